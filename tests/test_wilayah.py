"""Region codes: counts, code shapes, hierarchy, name resolution, boundaries and the tree."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console

from sinergi.messages import t
from sinergi.wilayah import (
    AmbiguousRegionName,
    Region,
    RegionNameError,
    UnknownRegionCode,
    UnknownRegionName,
    Wilayah,
    get_wilayah,
    load_boundaries,
    normalize_code,
    region_tree,
    village_points,
)
from sinergi.wilayah.regions import name_keys

KUTIM = "64.08"
KUTIM_KECAMATAN = [
    "Muara Ancalong",
    "Muara Wahau",
    "Muara Bengkal",
    "Sangatta Utara",
    "Sangkulirang",
    "Busang",
    "Telen",
    "Kombeng",
    "Bengalon",
    "Kaliorang",
    "Sandaran",
    "Sangatta Selatan",
    "Teluk Pandan",
    "Rantau Pulung",
    "Kaubun",
    "Karangan",
    "Batu Ampar",
    "Long Mesangat",
]


@pytest.fixture(scope="module")
def w() -> Wilayah:
    return get_wilayah()


# --- the table ---------------------------------------------------------------------------------


def test_national_counts(w: Wilayah) -> None:
    assert len(w.regions("provinsi")) == 38
    assert len(w.regions("kabupaten_kota")) == 514
    assert len(w.regions("kecamatan")) == 7_285
    # Kepmendagri 300.2.2-2138/2025 as published: 75,266 desa + 8,496 kelurahan.
    villages = w.regions("desa_kelurahan")
    assert len(villages) == 83_762
    assert sum(v.is_kelurahan for v in villages) == 8_496
    assert sum(v.is_desa for v in villages) == 75_266
    assert len(w) == 38 + 514 + 7_285 + 83_762
    assert len(w.provinces()) == 38


def test_desa_adat_codes_start_with_3(w: Wilayah) -> None:
    adat = [v for v in w.regions("desa_kelurahan") if v.kode[9] == "3"]
    assert len(adat) == 14
    assert all(v.kode.startswith("91.03.") and v.nama.startswith("Desa Adat") for v in adat)
    assert all(v.is_desa and not v.is_kelurahan for v in adat)


def test_kutai_timur(w: Wilayah) -> None:
    regency = w.get(KUTIM)
    assert regency == Region("64.08", "Kabupaten Kutai Timur", "kabupaten_kota")
    kecamatan = w.children(KUTIM)
    assert [k.nama for k in kecamatan] == KUTIM_KECAMATAN
    villages = w.villages(KUTIM)
    assert len(villages) == 141
    assert all(v.kode.startswith("64.08.") and v.tingkat == "desa_kelurahan" for v in villages)
    assert [v.kode for v in villages if v.is_kelurahan] == ["64.08.04.1010", "64.08.12.1002"]
    assert sum(len(w.children(k.kode)) for k in kecamatan) == 141
    assert w.population(KUTIM) == 448_850
    assert w.population("6408") == 448_850
    assert w.population("64.08.01") is None
    assert w.area_km2(KUTIM) == pytest.approx(31_572.691)


def test_population_totals(w: Wilayah) -> None:
    provinces = [w.population(p.kode) for p in w.provinces()]
    assert None not in provinces
    assert sum(p for p in provinces if p is not None) == 284_973_643


def test_names_are_trimmed(w: Wilayah) -> None:
    assert all(r.nama == r.nama.strip() for r in w)
    region = w.get("31.72")
    assert region is not None and region.nama == "Kota Administrasi Jakarta Utara"


def test_get_wilayah_is_cached() -> None:
    assert get_wilayah() is get_wilayah()


# --- code shapes -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("6408012001", "64.08.01.2001"),
        ("64.08.01.2001", "64.08.01.2001"),
        (" 64.08 ", "64.08"),
        ("64", "64"),
        ("6408", "64.08"),
        ("640801", "64.08.01"),
        ("64.08.01", "64.08.01"),
        ("\t6408012001\n", "64.08.01.2001"),
    ],
)
def test_normalize_code_accepts(text: str, expected: str) -> None:
    assert normalize_code(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "6",
        "640",
        "64080",
        "64080120",
        "640801200",
        "64080120011",
        "6408014101900001",
        "64.8",
        "64.08.1.2001",
        "64.08.01.201",
        "64.08.01.2001.1",
        "64..08",
        "64.08.",
        "6408012001.0",
        "6.40801E+15",
        "64-08-01-2001",
        "64 08 01 2001",
        "abcdefghij",
        "６４０８",  # full-width digits
    ],
)
def test_normalize_code_rejects(text: str) -> None:
    assert normalize_code(text) is None


def test_normalize_code_rejects_non_strings() -> None:
    assert normalize_code(6408012001) is None  # type: ignore[arg-type]
    assert normalize_code(None) is None  # type: ignore[arg-type]


def _digits(n: int) -> st.SearchStrategy[str]:
    return st.text(alphabet="0123456789", min_size=n, max_size=n)


@given(_digits(2), _digits(2), _digits(2), _digits(4))
def test_normalize_code_round_trip_village(pp: str, kk: str, cc: str, dddd: str) -> None:
    dotted = f"{pp}.{kk}.{cc}.{dddd}"
    assert normalize_code(dotted.replace(".", "")) == dotted
    assert normalize_code(dotted) == dotted
    assert normalize_code(f"  {dotted} ") == dotted


@given(st.integers(min_value=1, max_value=3), _digits(6))
def test_normalize_code_round_trip_upper_levels(levels: int, digits: str) -> None:
    undotted = digits[: 2 * levels]
    dotted = ".".join(undotted[i : i + 2] for i in range(0, len(undotted), 2))
    assert normalize_code(undotted) == dotted
    assert normalize_code(dotted) == dotted


@given(st.text(max_size=16))
def test_normalize_code_is_total(text: str) -> None:
    result = normalize_code(text)
    assert result is None or (
        result.replace(".", "").isdigit() and normalize_code(result) == result
    )


# --- lookup and hierarchy ----------------------------------------------------------------------


def test_get_in_any_form(w: Wilayah) -> None:
    village = w.get("6408012001")
    assert village == Region("64.08.01.2001", "Senyiur", "desa_kelurahan")
    assert w.get("64.08.01.2001") is village
    assert w.get(" 64.08.01.2001 ") is village
    assert village.parent_kode == "64.08.01"
    assert village.digits == "6408012001"
    assert village.is_village and village.is_desa and not village.is_kelurahan
    assert w.get("99.99") is None
    assert w.get("not a code") is None
    assert "6408" in w and "99" not in w


def test_region_properties(w: Wilayah) -> None:
    province = w.get("64")
    assert province is not None and province.parent_kode is None and not province.is_village
    kelurahan = w.get("64.08.04.1010")
    assert kelurahan is not None and kelurahan.nama == "Teluk Lingga" and kelurahan.is_kelurahan
    kecamatan = w.get("64.08.04")
    assert kecamatan is not None and not kecamatan.is_kelurahan and not kecamatan.is_desa


def test_parents(w: Wilayah) -> None:
    assert [r.kode for r in w.parents("6408012001")] == ["64", "64.08", "64.08.01"]
    assert [r.nama for r in w.parents("64.08.01")] == ["Kalimantan Timur", "Kabupaten Kutai Timur"]
    assert w.parents("64") == []


def test_children(w: Wilayah) -> None:
    kutim = [r.kode for r in w.children("64")]
    assert KUTIM in kutim and kutim == sorted(kutim)
    assert all(r.tingkat == "kabupaten_kota" for r in w.children("64"))
    assert [r.nama for r in w.children("64.08.04")] == [
        "Teluk Lingga",
        "Sangatta Utara",
        "Singa Gembara",
        "Swarga Bara",
    ]
    assert w.children("64.08.04.1010") == []


def test_children_of_every_region_are_consistent(w: Wilayah) -> None:
    for regency in w.children("64"):
        for kecamatan in w.children(regency.kode):
            assert kecamatan.parent_kode == regency.kode
            for village in w.children(kecamatan.kode):
                assert village.parent_kode == kecamatan.kode


def test_unknown_codes_raise(w: Wilayah) -> None:
    with pytest.raises(UnknownRegionCode):
        w.children("99.99")
    with pytest.raises(UnknownRegionCode):
        w.parents("64.08.99.2001")
    with pytest.raises(UnknownRegionCode):
        w.villages("garbage")
    with pytest.raises(UnknownRegionCode):
        w.require("99")


def test_is_kecamatan_prefix(w: Wilayah) -> None:
    assert w.is_kecamatan_prefix("640801")
    assert w.is_kecamatan_prefix("64.08.01")
    assert not w.is_kecamatan_prefix("640899")
    assert not w.is_kecamatan_prefix("6408")
    assert not w.is_kecamatan_prefix("64080")
    assert not w.is_kecamatan_prefix("6408014101")
    assert not w.is_kecamatan_prefix("")


def test_villages_of_other_levels(w: Wilayah) -> None:
    assert len(w.villages("64.08.04")) == 4
    assert len(w.villages("64")) == sum(len(w.villages(r.kode)) for r in w.children("64"))


# --- names -------------------------------------------------------------------------------------


def test_kombeng_spelling_in_the_table(w: Wilayah) -> None:
    kecamatan = w.get("64.08.08")
    assert kecamatan is not None and kecamatan.nama == "Kombeng"


@pytest.mark.parametrize(
    "name",
    [
        "Kombeng",
        "KOMBENG",
        "  kombeng ",
        "Kongbeng",
        "KONGBENG",
        "Kecamatan Kongbeng",
        "Kec. Kombeng",
        "kec.kongbeng",
        "Kong Beng",
    ],
)
def test_resolve_kombeng(w: Wilayah, name: str) -> None:
    assert w.resolve(name, KUTIM) == "64.08.08"


@pytest.mark.parametrize(
    ("name", "parent", "tingkat", "expected"),
    [
        ("Muara Ancalong", "64.08", None, "64.08.01"),
        ("muara   ANCALONG", "6408", None, "64.08.01"),
        ("MuaraAncalong", "64.08", None, "64.08.01"),
        ("Muara-Ancalong", "64.08", None, "64.08.01"),
        ("Sangatta Utara", "64.08", None, "64.08.04"),
        ("Sangata Utara", "64.08", None, "64.08.04"),
        ("senyiur", "64.08.01", None, "64.08.01.2001"),
        ("Desa Senyiur", "64.08.01", None, "64.08.01.2001"),
        ("Kelurahan Teluk Lingga", "64.08.04", None, "64.08.04.1010"),
        ("Kel. Teluk Lingga", "64.08.04", None, "64.08.04.1010"),
        ("Karya Bakti", "64.08.02", None, "64.08.02.2009"),
        ("Kongbeng Indah", "64.08.08", None, "64.08.08.2006"),
        ("kongbeng indah", "64.08", "desa_kelurahan", "64.08.08.2006"),
        ("Kutai Timur", "64", None, "64.08"),
        ("Kab. Kutai Timur", "64", None, "64.08"),
        ("Kalimantan Timur", None, None, "64"),
        ("DKI Jakarta", None, None, "31"),
        ("Soerabaja", "35", None, "35.78"),
        ("Pasi Kuala Bau", "11.01.02", None, "11.01.02.2018"),
        ("Pasi Kuala Ba’u", "11.01.02", None, "11.01.02.2018"),
        ("Desa Adat Yoboi", "91.03.01", None, "91.03.01.3007"),
    ],
)
def test_resolve_variants(
    w: Wilayah, name: str, parent: str | None, tingkat: str | None, expected: str
) -> None:
    assert w.resolve(name, parent, tingkat) == expected


def test_resolve_prefers_the_strictest_match(w: Wilayah) -> None:
    # "Lubuk Pakam I,II" and "Lubuk Pakam III" squeeze to the same letters; spelled out they differ.
    assert w.resolve("Lubuk Pakam III", "12.07.28") == "12.07.28.1008"
    assert w.resolve("lubuk pakam i, ii", "12.07.28") == "12.07.28.1007"
    with pytest.raises(AmbiguousRegionName):
        w.resolve("LubukPakamIII", "12.07.28")


def test_resolve_ambiguous(w: Wilayah) -> None:
    with pytest.raises(AmbiguousRegionName) as caught:
        w.resolve("Bekasi", "32")
    error = caught.value
    assert isinstance(error, RegionNameError) and isinstance(error, ValueError)
    assert error.code == "nama_wilayah_ambigu"
    assert error.name == "Bekasi"
    assert error.parent is not None and error.parent.kode == "32"
    assert [c.kode for c in error.candidates] == ["32.16", "32.75"]
    assert "Kabupaten Bekasi (32.16)" in str(error)
    assert str(error) == t("nama_wilayah_ambigu", "id", **error.message_kwargs("id"))
    assert "ambiguous" in error.message("en")


def test_resolve_ambiguous_village_same_name_desa_and_kelurahan(w: Wilayah) -> None:
    with pytest.raises(AmbiguousRegionName) as caught:
        w.resolve("Sorkam Kanan", "12.01.10")
    assert [c.kode for c in caught.value.candidates] == ["12.01.10.1001", "12.01.10.2018"]
    # the administrative prefix settles it
    assert w.resolve("Kelurahan Sorkam Kanan", "12.01.10") == "12.01.10.1001"
    assert w.resolve("Desa Sorkam Kanan", "12.01.10") == "12.01.10.2018"
    assert w.resolve("Kota Bekasi", "32") == "32.75"
    assert w.resolve("Kab Bekasi", "32") == "32.16"


def test_resolve_unknown_with_candidates(w: Wilayah) -> None:
    with pytest.raises(UnknownRegionName) as caught:
        w.resolve("Muara Ancalog", KUTIM)
    error = caught.value
    assert isinstance(error, RegionNameError) and isinstance(error, ValueError)
    assert error.code == "nama_wilayah_tidak_dikenal"
    assert error.name == "Muara Ancalog"
    assert error.parent is not None and error.parent.kode == KUTIM
    assert 1 <= len(error.candidates) <= 5
    assert error.candidates[0].kode == "64.08.01"
    assert "Muara Ancalong (64.08.01)" in str(error)
    assert "Did you mean" in error.message("en")


def test_resolve_unknown_without_candidates(w: Wilayah) -> None:
    with pytest.raises(UnknownRegionName) as caught:
        w.resolve("Zzyzx", KUTIM)
    assert caught.value.candidates == []
    assert str(caught.value).endswith("Kabupaten Kutai Timur.")
    with pytest.raises(UnknownRegionName):
        w.resolve("", KUTIM)


def test_resolve_sangatta_alone_is_unknown_not_guessed(w: Wilayah) -> None:
    with pytest.raises(UnknownRegionName) as caught:
        w.resolve("Sangatta", KUTIM)
    codes = {c.kode for c in caught.value.candidates}
    assert {"64.08.04", "64.08.12"} <= codes


def test_resolve_bad_arguments(w: Wilayah) -> None:
    with pytest.raises(UnknownRegionCode):
        w.resolve("Senyiur", "99.99")
    with pytest.raises(ValueError):
        w.resolve("Senyiur", "64.08.01.2001")
    with pytest.raises(ValueError):
        w.resolve("Senyiur", "64.08", "desa")
    with pytest.raises(ValueError):
        w.resolve("Kutai Timur", "64.08", "kabupaten_kota")


def test_resolve_village(w: Wilayah) -> None:
    assert w.resolve_village("Muara Ancalong", "Senyiur", KUTIM) == "64.08.01.2001"
    assert w.resolve_village("Kec. Kongbeng", "desa kombeng indah", "6408") == "64.08.08.2006"
    assert w.resolve_village("sangatta utara", "Kel. Teluk Lingga", KUTIM) == "64.08.04.1010"


def test_resolve_village_in_the_wrong_kecamatan_names_the_right_one(w: Wilayah) -> None:
    with pytest.raises(UnknownRegionName) as caught:
        w.resolve_village("Muara Wahau", "Senyiur", KUTIM)
    assert caught.value.parent is not None and caught.value.parent.kode == "64.08.02"
    assert [c.kode for c in caught.value.candidates] == ["64.08.01.2001"]


def test_resolve_village_unknown_kecamatan(w: Wilayah) -> None:
    with pytest.raises(UnknownRegionName) as caught:
        w.resolve_village("Atlantis", "Senyiur", KUTIM)
    assert caught.value.parent is not None and caught.value.parent.kode == KUTIM


def test_every_kutai_timur_name_resolves_to_itself(w: Wilayah) -> None:
    for kecamatan in w.children(KUTIM):
        assert w.resolve(kecamatan.nama.upper(), KUTIM) == kecamatan.kode
        for village in w.children(kecamatan.kode):
            assert w.resolve_village(kecamatan.nama, village.nama.lower(), KUTIM) == village.kode


def test_generic_folds_merge_no_siblings(w: Wilayah) -> None:
    """The loosest tier (old spellings, doubled letters) must not merge names the stricter
    spacing-insensitive tier keeps apart, anywhere in Indonesia."""
    groups: dict[str | None, list[Region]] = defaultdict(list)
    for region in w:
        groups[region.parent_kode].append(region)
    merged = []
    for regions in groups.values():
        strict: dict[str, set[str]] = defaultdict(set)
        for region in regions:
            keys = name_keys(region.nama, region.tingkat)
            strict[keys[3]].add(keys[2])
        merged.extend(sorted(v) for v in strict.values() if len(v) > 1)
    assert merged == []


# --- boundaries --------------------------------------------------------------------------------


def test_load_bundled_boundaries(w: Wilayah) -> None:
    desa = load_boundaries("desa")
    assert desa["type"] == "FeatureCollection"
    codes = sorted(f["properties"]["kode"] for f in desa["features"])
    assert codes == [v.kode for v in w.villages(KUTIM)]
    kecamatan = load_boundaries("kecamatan")
    assert sorted(f["properties"]["nama"] for f in kecamatan["features"]) == sorted(KUTIM_KECAMATAN)
    regency = load_boundaries("kabupaten")
    assert [f["properties"]["kode"] for f in regency["features"]] == [KUTIM]
    assert regency["features"][0]["geometry"]["type"] in {"Polygon", "MultiPolygon"}


def test_load_boundaries_rejects_unknown_level() -> None:
    with pytest.raises(ValueError):
        load_boundaries("provinsi")  # type: ignore[arg-type]


def _square(lng: float, lat: float, size: float) -> list[list[float]]:
    return [
        [lng, lat],
        [lng + size, lat],
        [lng + size, lat + size],
        [lng, lat + size],
        [lng, lat],
    ]


def test_load_boundaries_from_any_file(tmp_path: Path) -> None:
    collection = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"kode": "6408012001", "nama": "Senyiur", "lat": 0.3, "lng": 116.5},
                "geometry": {"type": "Polygon", "coordinates": [_square(116.4, 0.2, 0.2)]},
            },
            {
                "type": "Feature",
                "properties": {"kode": "64.08.01.2002", "nama": "Kelinjau Ilir"},
                "geometry": {
                    "type": "MultiPolygon",
                    "coordinates": [[_square(116.0, 0.0, 0.1)], [_square(117.0, 1.0, 1.0)]],
                },
            },
        ],
    }
    path = tmp_path / "desa.geojson"
    path.write_text(json.dumps(collection), encoding="utf-8")
    loaded = load_boundaries("desa", path)
    assert [f["properties"]["kode"] for f in loaded["features"]] == [
        "64.08.01.2001",
        "64.08.01.2002",
    ]
    points = village_points(path)
    assert points["64.08.01.2001"] == (0.3, 116.5)
    lat, lng = points["64.08.01.2002"]  # centroid of the larger square
    assert lat == pytest.approx(1.5) and lng == pytest.approx(117.5)


@pytest.mark.parametrize(
    "content",
    [
        "[]",
        '{"type": "Feature"}',
        '{"type": "FeatureCollection"}',
        '{"type": "FeatureCollection", "features": [{"properties": {}}]}',
        '{"type": "FeatureCollection", "features": [{"properties": {"kode": "64-08"}}]}',
    ],
)
def test_load_boundaries_rejects_other_shapes(tmp_path: Path, content: str) -> None:
    path = tmp_path / "bad.geojson"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError):
        load_boundaries("desa", path)


def test_village_points(w: Wilayah) -> None:
    points = village_points()
    assert sorted(points) == [v.kode for v in w.villages(KUTIM)]
    for lat, lng in points.values():
        assert -0.5 < lat < 2.0 and 115.5 < lng < 119.0
    assert points["64.08.01.2001"] == (0.30347, 116.537416)
    points.clear()  # the caller's copy; the cached points stay intact
    assert len(village_points()) == 141


# --- tree --------------------------------------------------------------------------------------


def _render(code: str, depth: int | None = None) -> str:
    console = Console(record=True, width=120, color_system=None)
    console.print(region_tree(code, depth))
    return console.export_text()


def test_region_tree_kutai_timur() -> None:
    text = _render("64.08")
    lines = text.splitlines()
    assert lines[0] == "64.08  Kabupaten Kutai Timur  (18 kecamatan; 139 desa, 2 kelurahan)"
    for name in KUTIM_KECAMATAN:
        assert name in text
    assert len(lines) == 1 + 18 + 141
    assert text.count("(kel.)") == 2
    assert "64.08.04.1010  Teluk Lingga  (kel.)" in text
    assert "64.08.08  Kombeng  (7 desa)" in text
    assert "64.08.04  Sangatta Utara  (3 desa, 1 kelurahan)" in text


def test_region_tree_depth() -> None:
    text = _render("6408", depth=1)
    assert len(text.splitlines()) == 1 + 18
    assert "Muara Ancalong" in text and "Senyiur" not in text
    assert _render("64.08", depth=0).splitlines() == [
        "64.08  Kabupaten Kutai Timur  (18 kecamatan; 139 desa, 2 kelurahan)"
    ]


def test_region_tree_village_and_unknown() -> None:
    assert _render("64.08.04.1010").strip() == "64.08.04.1010  Teluk Lingga  (kel.)"
    with pytest.raises(UnknownRegionCode):
        region_tree("99.99")
    with pytest.raises(ValueError):
        region_tree("64.08", depth=-1)
