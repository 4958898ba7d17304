"""Files officers open in a spreadsheet: text that could run as a formula is neutralised.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by Excel
and LibreOffice as a formula (``=HYPERLINK(…)`` that leaks data when clicked, ``+1+1``), even in a
CSV. Every CSV the product writes passes `neutralise`, which puts an apostrophe in front — what
OWASP's CSV-injection advice and spreadsheet-safe exporters do; the spreadsheet shows the text as
written. Plain numbers (``-12``, ``+62812``) are left alone: they are numbers, not formulas.
XLSX files are written with `XLSX_OPTIONS`, so xlsxwriter stores such text as text, never as a
formula. Columns are named as the spreadsheet names them (`column_letters`, `column_number`).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")
# xlsxwriter: text is text (no formulas, no hyperlinks made from text).
XLSX_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False}


def column_letters(n: int) -> str:
    """1 → A, 26 → Z, 27 → AA, 702 → ZZ: the column as the spreadsheet names it."""
    letters = ""
    while n > 0:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_number(letters: str) -> int:
    """A → 1, ZZ → 702, in either case: the inverse of `column_letters` (ASCII letters only)."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def neutralise(value: Any) -> Any:
    """The value, with an apostrophe in front when it is text a spreadsheet would run."""
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_START)
        and not _PLAIN_NUMBER.fullmatch(value)
    ):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text columns are neutralised (numbers and dates untouched)."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or isinstance(out[col].dtype, pd.StringDtype):
            out[col] = out[col].map(neutralise)
    out.columns = [neutralise(c) for c in out.columns]
    return out


def write_csv(
    path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]], encoding: str = "utf-8-sig"
) -> Path:
    """A CSV an officer can open safely (UTF-8 with BOM, so Excel reads the accents)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding=encoding, newline="") as fh:
        w = csv.writer(fh)
        w.writerow([neutralise(h) for h in header])
        w.writerows([neutralise(v) for v in row] for row in rows)
    return path
