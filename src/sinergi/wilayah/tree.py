"""A Rich tree of a region and the regions below it (``sinergi wilayah 64.08``)."""

from __future__ import annotations

from rich.text import Text
from rich.tree import Tree

from sinergi.wilayah.regions import Region, Wilayah, get_wilayah

_CHILD_LABEL = {
    "provinsi": "kabupaten/kota",
    "kabupaten_kota": "kecamatan",
}


def region_tree(code: str, depth: int | None = None, wilayah: Wilayah | None = None) -> Tree:
    """Tree of ``code`` and its descendants, ``depth`` levels deep (all levels for None).

    Each node reads "kode  nama" followed by what lies below it (for example
    "(18 kecamatan; 139 desa, 2 kelurahan)"); kelurahan are marked "(kel.)".
    Raises :class:`~sinergi.wilayah.regions.UnknownRegionCode` for an unknown code.
    """
    if depth is not None and depth < 0:
        raise ValueError("depth must be 0 or more")
    table = wilayah or get_wilayah()
    root = table.require(code)
    tree = Tree(_label(root, table), guide_style="dim")
    _grow(tree, root, table, depth)
    return tree


def _grow(node: Tree, region: Region, table: Wilayah, depth: int | None) -> None:
    if depth == 0:
        return
    for child in table.children(region.kode):
        branch = node.add(_label(child, table))
        _grow(branch, child, table, None if depth is None else depth - 1)


def _label(region: Region, table: Wilayah) -> Text:
    text = Text.assemble((region.kode, "bold"), "  ", region.nama)
    if region.is_village:
        if region.is_kelurahan:
            text.append("  (kel.)", style="cyan")
        elif region.kode[9] == "3":
            text.append("  (desa adat)", style="magenta")
        return text
    text.append(f"  ({_summary(region, table)})", style="dim")
    return text


def _summary(region: Region, table: Wilayah) -> str:
    villages = table.villages(region.kode)
    kelurahan = sum(1 for v in villages if v.is_kelurahan)
    parts = [f"{len(villages) - kelurahan} desa"]
    if kelurahan:
        parts.append(f"{kelurahan} kelurahan")
    village_text = ", ".join(parts)
    child_label = _CHILD_LABEL.get(region.tingkat)
    if child_label is None:  # a kecamatan: its children are the villages
        return village_text
    return f"{len(table.children(region.kode))} {child_label}; {village_text}"
