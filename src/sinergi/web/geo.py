"""Kutai Timur village and kecamatan boundaries, simplified for the web map.

The bundled boundaries (``sinergi.wilayah.load_boundaries``) are ~1 MB for the 141 villages at
6 decimals. For the browser the coordinates are rounded to 5 decimals (about 1 m) and every
ring is simplified with Douglas-Peucker. Neighbouring villages share their border vertices, so
the rings are first cut into arcs at the points where the set of neighbours changes and each
arc is simplified once, in a canonical direction: both villages then get exactly the same
simplified border and the map shows neither gaps nor overlaps between them.

Features carry only ``kode`` (dotted Kemendagri code, as in the region table) and ``nama``.
"""

from __future__ import annotations

import json
from collections import defaultdict
from functools import cache
from typing import Any

from sinergi.wilayah.boundaries import Level, load_boundaries

__all__ = [
    "DECIMALS",
    "TOLERANCE_DEG",
    "kecamatan_geojson",
    "kecamatan_geojson_bytes",
    "simplify_collection",
    "village_geojson",
    "village_geojson_bytes",
]

DECIMALS = 5
# ~28 m at the equator. The source borders are already sparse (median vertex spacing ~100 m), so
# smaller tolerances barely remove anything; this one keeps the 141 villages at ~560 KB, under the
# 600 KB page budget, and the error stays below 3 pixels even at street zoom (z14, ~10 m/pixel).
TOLERANCE_DEG = 0.00025

Point = tuple[float, float]


def village_geojson() -> dict[str, Any]:
    """The 141 village boundaries as a FeatureCollection (a fresh copy on every call)."""
    return json.loads(village_geojson_bytes())


def village_geojson_bytes() -> bytes:
    """:func:`village_geojson` serialised compactly as UTF-8 JSON, computed once per process."""
    return _bundled_bytes("desa")


def kecamatan_geojson() -> dict[str, Any]:
    """The 18 kecamatan boundaries as a FeatureCollection (a fresh copy on every call)."""
    return json.loads(kecamatan_geojson_bytes())


def kecamatan_geojson_bytes() -> bytes:
    """:func:`kecamatan_geojson` serialised compactly as UTF-8 JSON, computed once per process."""
    return _bundled_bytes("kecamatan")


@cache
def _bundled_bytes(level: Level) -> bytes:
    collection = simplify_collection(load_boundaries(level))
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def simplify_collection(
    collection: dict[str, Any], tolerance: float = TOLERANCE_DEG, decimals: int = DECIMALS
) -> dict[str, Any]:
    """A copy of a (Multi)Polygon FeatureCollection, rounded and simplified preserving borders.

    Every output geometry is a MultiPolygon whose rings are closed with at least 4 positions.
    A polygon whose outer ring collapses under simplification is dropped unless it is the
    feature's largest, which is then kept rounded but unsimplified.
    """
    features = collection["features"]
    # rings[f][p][r]: ring r of polygon p of feature f, rounded, closing point removed
    rings = [
        [[_open_ring(ring, decimals) for ring in polygon] for polygon in _polygons(feature)]
        for feature in features
    ]
    junctions = _junctions(ring for feature in rings for polygon in feature for ring in polygon)
    simplified_arcs: dict[tuple[Point, ...], list[Point]] = {}

    out_features = []
    for feature, feature_rings in zip(features, rings, strict=True):
        outer_areas = [abs(_area(polygon[0])) if polygon else 0.0 for polygon in feature_rings]
        largest = outer_areas.index(max(outer_areas)) if outer_areas else 0
        polygons = []
        for number, polygon in enumerate(feature_rings):
            new_polygon: list[list[list[float]]] = []
            for ring in polygon:
                new_ring = _simplify_ring(ring, junctions, tolerance, simplified_arcs)
                if len(new_ring) < 4 and not new_polygon and number == largest:
                    new_ring = [*ring, ring[0]] if ring else []
                if len(new_ring) < 4:
                    if not new_polygon:
                        break  # the outer ring shrank to a sliver: drop the islet with its holes
                    continue  # a hole that shrank to a sliver
                new_polygon.append([list(point) for point in new_ring])
            if new_polygon:
                polygons.append(new_polygon)
        properties = feature.get("properties") or {}
        out_features.append(
            {
                "type": "Feature",
                "properties": {"kode": properties.get("kode"), "nama": properties.get("nama")},
                "geometry": {"type": "MultiPolygon", "coordinates": polygons},
            }
        )
    return {"type": "FeatureCollection", "features": out_features}


def _polygons(feature: dict[str, Any]) -> list[list[list[list[float]]]]:
    geometry = feature.get("geometry") or {}
    if geometry.get("type") == "Polygon":
        return [geometry["coordinates"]]
    if geometry.get("type") == "MultiPolygon":
        return list(geometry["coordinates"])
    return []


def _open_ring(ring: list[list[float]], decimals: int) -> list[Point]:
    """Rounded ring without consecutive duplicates and without the closing point."""
    out: list[Point] = []
    for position in ring:
        point = (round(float(position[0]), decimals), round(float(position[1]), decimals))
        if not out or point != out[-1]:
            out.append(point)
    while len(out) > 1 and out[-1] == out[0]:
        out.pop()
    return out


def _junctions(rings: Any) -> set[Point]:
    """Points where an arc must end: those with more than two distinct neighbours overall.

    Inside a border shared by two villages each vertex has the same two neighbours in both
    rings; where the border ends, a third neighbour appears.
    """
    neighbours: dict[Point, set[Point]] = defaultdict(set)
    for ring in rings:
        count = len(ring)
        for i, point in enumerate(ring):
            neighbours[point].add(ring[i - 1])
            neighbours[point].add(ring[(i + 1) % count])
    return {point for point, around in neighbours.items() if len(around) > 2}


def _simplify_ring(
    ring: list[Point],
    junctions: set[Point],
    tolerance: float,
    done: dict[tuple[Point, ...], list[Point]],
) -> list[Point]:
    """The ring cut at junctions, each arc simplified; returned closed."""
    if len(ring) < 3:
        return [*ring, ring[0]] if ring else []
    cuts = [i for i, point in enumerate(ring) if point in junctions]
    if not cuts:
        # An island sharing no border end with another ring: start at its smallest point so
        # that a ring with the same points elsewhere is cut, and simplified, identically.
        start = min(range(len(ring)), key=ring.__getitem__)
        cuts = [start, (start + len(ring) // 2) % len(ring)]
    out: list[Point] = []
    for a, b in zip(cuts, cuts[1:] + cuts[:1], strict=True):
        arc = ring[a : b + 1] if a < b else ring[a:] + ring[: b + 1]
        out.extend(_simplify_arc(arc, tolerance, done)[:-1])
    out.append(out[0])
    return out


def _simplify_arc(
    arc: list[Point], tolerance: float, done: dict[tuple[Point, ...], list[Point]]
) -> list[Point]:
    # Simplify in one canonical direction so both villages along a border get the same points.
    forward = tuple(arc)
    backward = forward[::-1]
    canonical = min(forward, backward)
    result = done.get(canonical)
    if result is None:
        result = _douglas_peucker(list(canonical), tolerance)
        done[canonical] = result
    return result if canonical == forward else result[::-1]


def _douglas_peucker(points: list[Point], tolerance: float) -> list[Point]:
    """Douglas-Peucker keeping both end points (iterative: borders can be thousands long)."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        worst, worst_distance = -1, tolerance
        for i in range(first + 1, last):
            distance = _segment_distance(points[i], points[first], points[last])
            if distance > worst_distance:
                worst, worst_distance = i, distance
        if worst >= 0:
            keep[worst] = True
            stack.append((first, worst))
            stack.append((worst, last))
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def _segment_distance(p: Point, a: Point, b: Point) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    length2 = dx * dx + dy * dy
    if length2 == 0:
        return ((p[0] - a[0]) ** 2 + (p[1] - a[1]) ** 2) ** 0.5
    t = max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length2))
    return ((p[0] - a[0] - t * dx) ** 2 + (p[1] - a[1] - t * dy) ** 2) ** 0.5


def _area(ring: list[Point]) -> float:
    if len(ring) < 3:
        return 0.0
    return (
        sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True))
        / 2
    )
