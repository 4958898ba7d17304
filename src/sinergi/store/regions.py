"""The store's ``regions`` table as the stages read it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, select

from sinergi.store.tables import regions

VILLAGE_LEVEL = "desa_kelurahan"


def village_rows(*where: ColumnElement[bool]) -> Select[Any]:
    """The villages meeting ``where``, as ``kode_desa``, ``nama_desa`` and ``kode_kecamatan``."""
    r = regions.c
    return select(
        r.kode.label("kode_desa"), r.nama.label("nama_desa"), r.induk.label("kode_kecamatan")
    ).where(r.tingkat == VILLAGE_LEVEL, *where)
