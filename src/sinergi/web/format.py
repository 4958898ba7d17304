"""Number and date formatting for the pages: Indonesian uses '.' for thousands and ',' for
decimals, English the reverse."""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

from jinja2 import Environment

from sinergi.security.access import AUDIT_READERS, IMPORTERS, NAMED


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _swap(text: str, lang: str) -> str:
    if lang == "en":
        return text
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def num(value: Any, lang: str = "id") -> str:
    if _missing(value):
        return "—"
    return _swap(f"{round(float(value)):,}", lang)


def dec(value: Any, lang: str = "id", places: int = 2) -> str:
    if _missing(value):
        return "—"
    return _swap(f"{float(value):,.{places}f}", lang)


def pct(value: Any, lang: str = "id") -> str:
    return "—" if _missing(value) else f"{dec(value, lang, 1)} %"


def rp(value: Any, lang: str = "id") -> str:
    return "—" if _missing(value) else f"Rp {num(value, lang)}"


def tgl(value: Any, lang: str = "id") -> str:
    if _missing(value) or value == "":
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    if isinstance(value, datetime):
        value = value.date()
    return value.strftime("%d/%m/%Y") if lang == "id" else value.isoformat()


def waktu(value: Any, lang: str = "id") -> str:
    if _missing(value):
        return ""
    return value.strftime("%d/%m/%Y %H:%M:%S" if lang == "id" else "%Y-%m-%d %H:%M:%S")


def install(env: Environment) -> None:
    env.filters.update(num=num, dec=dec, pct=pct, rp=rp, tgl=tgl, waktu=waktu)
    env.globals.update(named_roles=NAMED, importer_roles=IMPORTERS, audit_roles=AUDIT_READERS)
