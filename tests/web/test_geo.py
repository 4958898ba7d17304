"""The simplified village and kecamatan boundaries served to the web map."""

from __future__ import annotations

import json

from sinergi.web import geo
from sinergi.wilayah import get_wilayah, load_boundaries

MAX_VILLAGE_BYTES = 600_000


def _rings(feature: dict) -> list[list[list[float]]]:
    assert feature["geometry"]["type"] == "MultiPolygon"
    return [ring for polygon in feature["geometry"]["coordinates"] for ring in polygon]


def test_village_features_match_the_region_table() -> None:
    collection = geo.village_geojson()
    assert collection["type"] == "FeatureCollection"
    features = collection["features"]
    assert len(features) == 141
    wilayah = get_wilayah()
    codes = [feature["properties"]["kode"] for feature in features]
    assert len(set(codes)) == 141
    for feature in features:
        region = wilayah.get(feature["properties"]["kode"])
        assert region is not None, feature["properties"]
        assert region.kode == feature["properties"]["kode"]  # already canonical: 64.08.01.2001
        assert region.kode.startswith("64.08.")
        assert region.tingkat == "desa_kelurahan"
        assert feature["properties"]["nama"]
    assert set(codes) == {region.kode for region in wilayah.villages("64.08")}


def test_village_geojson_is_small_and_the_bytes_match() -> None:
    data = geo.village_geojson_bytes()
    assert len(data) < MAX_VILLAGE_BYTES
    assert json.loads(data) == geo.village_geojson()
    assert geo.village_geojson_bytes() is data  # computed once per process


def test_rings_are_valid_and_rounded() -> None:
    for collection in (geo.village_geojson(), geo.kecamatan_geojson()):
        for feature in collection["features"]:
            rings = _rings(feature)
            assert rings, feature["properties"]
            for ring in rings:
                assert len(ring) >= 4
                assert ring[0] == ring[-1]
                assert len({tuple(point) for point in ring}) >= 3
                for lng, lat in ring:
                    assert 115 < lng < 119 and -1 < lat < 2  # Kutai Timur, [lng, lat] order
                    assert round(lng, 5) == lng and round(lat, 5) == lat


def test_kecamatan_features() -> None:
    features = geo.kecamatan_geojson()["features"]
    assert len(features) == 18
    wilayah = get_wilayah()
    assert {f["properties"]["kode"] for f in features} == {
        region.kode for region in wilayah.descendants("64.08", "kecamatan")
    }
    assert len(geo.kecamatan_geojson_bytes()) < 100_000


def test_simplification_keeps_shared_borders_identical() -> None:
    # Two neighbouring villages must keep every common vertex of the simplified border.
    source = load_boundaries("desa")
    original_points = [
        {(round(p[0], 5), round(p[1], 5)) for ring in _rings(f) for p in ring}
        for f in source["features"]
    ]
    simplified_points = [
        {tuple(p) for ring in _rings(f) for p in ring} for f in geo.village_geojson()["features"]
    ]
    checked = 0
    for i in range(len(original_points)):
        for j in range(i + 1, len(original_points)):
            if len(original_points[i] & original_points[j]) < 10:
                continue  # not neighbours along a real border
            shared_before = original_points[i] & original_points[j]
            kept_i = simplified_points[i] & shared_before
            kept_j = simplified_points[j] & shared_before
            assert kept_i == kept_j, (i, j)
            checked += 1
    assert checked > 100


def test_simplification_reduces_points_on_a_square_with_noise() -> None:
    square = [[0, 0], [0.5, 0.00001], [1, 0], [1, 1], [0, 1], [0, 0]]
    collection = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"kode": "64.08.01.2001", "nama": "x"},
                "geometry": {"type": "Polygon", "coordinates": [square]},
            }
        ],
    }
    result = geo.simplify_collection(collection, tolerance=0.001)
    ring = result["features"][0]["geometry"]["coordinates"][0][0]
    assert ring[0] == ring[-1]
    assert [0.5, 0.00001] not in ring
    assert len(ring) == 5
