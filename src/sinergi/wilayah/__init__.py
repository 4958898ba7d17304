"""Kemendagri region codes: lookup, hierarchy, name resolution, boundaries and a printable tree."""

from sinergi.wilayah.boundaries import load_boundaries, village_points
from sinergi.wilayah.regions import (
    TINGKAT,
    AmbiguousRegionName,
    Region,
    RegionNameError,
    UnknownRegionCode,
    UnknownRegionName,
    Wilayah,
    get_wilayah,
    normalize_code,
)
from sinergi.wilayah.tree import region_tree

__all__ = [
    "TINGKAT",
    "AmbiguousRegionName",
    "Region",
    "RegionNameError",
    "UnknownRegionCode",
    "UnknownRegionName",
    "Wilayah",
    "get_wilayah",
    "load_boundaries",
    "normalize_code",
    "region_tree",
    "village_points",
]
