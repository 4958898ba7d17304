"""Plain Python values from pandas and NumPy ones, for database drivers, templates, JSON and
spreadsheets alike."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd


def clean(value: Any) -> Any:
    """None for every kind of missing value (None, NaN, NaT, NA); numpy scalars as Python
    values; a pandas Timestamp as a date (at midnight) or a datetime."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        stamp = value.to_pydatetime()
        return stamp.date() if stamp.time() == stamp.min.time() else stamp
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        return value.item()
    return value


def split_codes(text: str | None) -> list[str]:
    """The codes of a stored list (factors, target groups): ``"a;b"`` → ``["a", "b"]``; none for
    an empty or missing value."""
    return [code for code in (text or "").split(";") if code]
