"""Region boundaries as GeoJSON (bundled: Kabupaten Kutai Timur, from cahyadsn/wilayah_boundaries).

Files have one feature per region with ``properties.kode`` (Kemendagri code), ``nama`` and a
representative point ``lat``/``lng``; geometries are (Multi)Polygons in WGS84 ``[lng, lat]``.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from sinergi.settings import package_data
from sinergi.wilayah.regions import normalize_code

Level = Literal["desa", "kecamatan", "kabupaten"]

BUNDLED_FILES: dict[str, str] = {
    "desa": "kutai-timur-desa.geojson",
    "kecamatan": "kutai-timur-kecamatan.geojson",
    "kabupaten": "kutai-timur.geojson",
}


def load_boundaries(level: Level, path: Path | None = None) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of boundaries at ``level``.

    Without ``path`` the bundled Kutai Timur file of that level is read; any file of the same
    shape can be given. Feature codes are returned in dotted form (``64.08.01.2001``).
    """
    if level not in BUNDLED_FILES:
        raise ValueError(f"unknown boundary level {level!r}; expected desa, kecamatan or kabupaten")
    source = path or package_data("geo", BUNDLED_FILES[level])
    with Path(source).open(encoding="utf-8") as handle:
        data = json.load(handle)
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise ValueError(f"{source}: not a GeoJSON FeatureCollection")
    features = data.get("features")
    if not isinstance(features, list):
        raise ValueError(f"{source}: FeatureCollection without a features list")
    for number, feature in enumerate(features, start=1):
        properties = feature.get("properties") if isinstance(feature, dict) else None
        if not isinstance(properties, dict) or "kode" not in properties:
            raise ValueError(f"{source}: feature {number} has no properties.kode")
        canonical = normalize_code(str(properties["kode"]))
        if canonical is None:
            raise ValueError(
                f"{source}: feature {number} has a malformed region code {properties['kode']!r}"
            )
        properties["kode"] = canonical
    return data


def village_points(path: Path | None = None) -> dict[str, tuple[float, float]]:
    """Village code -> representative point ``(lat, lng)`` from the desa boundaries.

    Uses the features' ``lat``/``lng`` properties; a feature without them gets the centroid of
    its largest polygon.
    """
    if path is None:
        return dict(_bundled_village_points())
    return _points(load_boundaries("desa", path))


@lru_cache(maxsize=1)
def _bundled_village_points() -> tuple[tuple[str, tuple[float, float]], ...]:
    return tuple(_points(load_boundaries("desa")).items())


def _points(collection: dict[str, Any]) -> dict[str, tuple[float, float]]:
    points: dict[str, tuple[float, float]] = {}
    for feature in collection["features"]:
        properties = feature["properties"]
        lat, lng = properties.get("lat"), properties.get("lng")
        if isinstance(lat, int | float) and isinstance(lng, int | float):
            points[properties["kode"]] = (float(lat), float(lng))
            continue
        centre = _centroid(feature.get("geometry") or {})
        if centre is not None:
            points[properties["kode"]] = centre
    return points


def _centroid(geometry: dict[str, Any]) -> tuple[float, float] | None:
    """(lat, lng) centroid of the outer ring of the largest polygon of a (Multi)Polygon."""
    if geometry.get("type") == "Polygon":
        polygons = [geometry["coordinates"]]
    elif geometry.get("type") == "MultiPolygon":
        polygons = geometry["coordinates"]
    else:
        return None
    best: tuple[float, float, float] | None = None  # (|area|, lat, lng)
    for polygon in polygons:
        if not polygon or len(polygon[0]) < 3:
            continue
        ring = polygon[0]
        area2 = cx = cy = 0.0
        for a, b in zip(ring, ring[1:] + ring[:1], strict=True):
            x0, y0, x1, y1 = a[0], a[1], b[0], b[1]
            cross = x0 * y1 - x1 * y0
            area2 += cross
            cx += (x0 + x1) * cross
            cy += (y0 + y1) * cross
        if area2 == 0:
            xs, ys = [p[0] for p in ring], [p[1] for p in ring]
            candidate = (0.0, sum(ys) / len(ys), sum(xs) / len(xs))
        else:
            candidate = (abs(area2) / 2, cy / (3 * area2), cx / (3 * area2))
        if best is None or candidate[0] > best[0]:
            best = candidate
    return None if best is None else (best[1], best[2])
