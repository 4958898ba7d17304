"""How a number or a date is written for a reader, in the reader's language.

Indonesian writes 1.234.567, 20,6 % and 31/08/2026; English 1,234,567, 20.6 % and 2026-08-31.
One home for every place a figure reaches a person: the command line's tables and sentences, the
pages (the Jinja filters call these functions), the charts and the 'about' sheet of an export.
Values stored in files and databases keep their machine form; only what is shown goes through here.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from numbers import Integral, Real
from typing import Any

from sinergi.core.values import clean

MISSING = "—"


def missing(value: Any) -> bool:
    """True for ``None`` and NaN (pandas' missing number)."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def _localise(text: str, lang: str) -> str:
    """A number written by Python (1,234.5) the way ``lang`` writes it."""
    if lang == "en":
        return text
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def num(value: Any, lang: str = "id") -> str:
    """A whole number with thousands separators (rounded): 1.234 / 1,234."""
    if missing(value):
        return MISSING
    # Whole numbers stay exact (a float would round amounts beyond 2**53 rupiah).
    whole = int(value) if isinstance(value, Integral) else round(float(value))
    return _localise(f"{whole:,}", lang)


class Number(int):
    """A count inside a catalogue sentence, written in the sentence's language by its format spec:
    ``{n:id}`` writes 1.234.567, ``{n:en}`` 1,234,567 (any other spec as an int)."""

    def __format__(self, spec: str) -> str:
        if spec in ("id", "en"):
            return num(int(self), spec)
        return int.__format__(self, spec)


def dec(value: Any, lang: str = "id", places: int = 2) -> str:
    """A number with ``places`` decimals: 1.234,57 / 1,234.57."""
    if missing(value):
        return MISSING
    return _localise(f"{float(value):,.{places}f}", lang)


def pct(value: Any, lang: str = "id", places: int = 1) -> str:
    """A percentage (``value`` already times 100): 20,6 % / 20.6 %."""
    return MISSING if missing(value) else f"{dec(value, lang, places)} %"


def rp(value: Any, lang: str = "id") -> str:
    """Rupiah, whole: Rp 15.000.000.000 / Rp 15,000,000,000."""
    return MISSING if missing(value) else f"Rp {num(value, lang)}"


def tgl(value: Any, lang: str = "id") -> str:
    """A date (or the date of a datetime, or an ISO text): 31/08/2026 / 2026-08-31."""
    if missing(value) or value == "":
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    if isinstance(value, datetime):
        value = value.date()
    return value.strftime("%d/%m/%Y") if lang == "id" else value.isoformat()


class Day(date):
    """A date inside a catalogue sentence, written in the sentence's language by its format spec:
    ``{d:id}`` writes 31/08/2026, ``{d:en}`` 2026-08-31 (as `tgl`)."""

    @classmethod
    def of(cls, value: date) -> Day:
        return cls(value.year, value.month, value.day)

    def __format__(self, spec: str) -> str:
        if spec in ("id", "en"):
            return tgl(date(self.year, self.month, self.day), spec)
        return date.__format__(self, spec)


def waktu(value: Any, lang: str = "id", seconds: bool = True) -> str:
    """A moment (or an ISO text of one): 31/08/2026 14:05:09 / 2026-08-31 14:05:09; a text
    holding only a date is written as `tgl` does."""
    if missing(value) or value == "":
        return ""
    if isinstance(value, str):
        if len(value) <= 10:
            return tgl(value, lang)
        value = datetime.fromisoformat(value)
    clock = "%H:%M:%S" if seconds else "%H:%M"
    return value.strftime(f"%d/%m/%Y {clock}" if lang == "id" else f"%Y-%m-%d {clock}")


def cell(value: Any, lang: str = "id") -> str:
    """Any value shown in a table cell: whole numbers with separators, other numbers with one
    decimal, dates and moments as above, text as it is; missing values as a dash. (Yes/no words
    are the caller's: they belong to the message catalogue.)"""
    value = clean(value)
    if value is None:
        return MISSING
    if isinstance(value, Integral) and not isinstance(value, bool):
        return num(value, lang)
    if isinstance(value, Real) and not isinstance(value, bool):
        return dec(value, lang, 1)
    if isinstance(value, datetime):
        return waktu(value, lang)
    if isinstance(value, date):
        return tgl(value, lang)
    return str(value)
