"""Growth input clean-up: the columns a caller or a file hands over, as typed NumPy arrays.

Any reasonable array-like is taken (lists, NumPy arrays, pandas Series with or without a time
zone, a scalar repeated for every child). Values are read by ingest's parsers, the ones every
source file goes through: dates by ``date_array``, sex by ``sex_codes``, numbers written as text by
``number_value``, the measuring position by the ``cara_ukur`` vocabulary. What cannot be read
becomes a marker (NaT, NaN, -1) that the scoring turns into a reason code; nothing here raises on
a bad value.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from sinergi.ingest import vocab
from sinergi.ingest.parsers import bool_value, date_array, map_distinct, number_value, sex_codes

__all__ = [
    "Children",
    "broadcast",
    "children",
    "common_length",
    "numbers",
    "parse_dates",
    "yes_codes",
]


def _as_array(values: Any) -> np.ndarray:
    """A NumPy array of the values; a time-zone-aware pandas column keeps its local dates."""
    if isinstance(values, pd.Series | pd.Index | pd.api.extensions.ExtensionArray):
        if isinstance(values, pd.Series | pd.Index) and isinstance(
            values.dtype, pd.DatetimeTZDtype
        ):
            values = (
                values.dt.tz_localize(None)
                if isinstance(values, pd.Series)
                else values.tz_localize(None)
            )
        return np.asarray(values.to_numpy() if hasattr(values, "to_numpy") else values)
    return np.asarray(values)


def broadcast(values: Any, n: int) -> np.ndarray:
    """One value per child: a scalar is repeated ``n`` times, a column must have ``n`` values."""
    arr = _as_array(values)
    if arr.ndim == 0:
        return np.full(n, arr.item(), dtype=arr.dtype if arr.dtype.kind != "U" else object)
    if arr.ndim != 1 or len(arr) != n:
        raise ValueError(f"expected {n} values, got shape {arr.shape}")
    return arr


def common_length(*values: Any) -> int:
    """The number of children the columns describe (None columns and scalars aside)."""
    sizes = {len(a) for a in (_as_array(v) for v in values if v is not None) if a.ndim == 1}
    if len(sizes) > 1:
        raise ValueError(f"inputs have different lengths: {sorted(sizes)}")
    return sizes.pop() if sizes else 1


def parse_dates(values: Any) -> np.ndarray:
    """Dates as ``datetime64[D]`` (NaT when missing or unreadable): see
    ``sinergi.ingest.parsers.date_array`` for the forms read."""
    return date_array(_as_array(values))


_POSITIONS = {"berbaring": 0, "berdiri": 1}


def _position_code(value: Any) -> int:
    return _POSITIONS.get(vocab.lookup("cara_ukur", str(value)) or "", -1)


def _position_codes(values: np.ndarray) -> np.ndarray:
    """0 = lying (L), 1 = standing (H), -1 = unknown (the age default applies)."""
    return map_distinct(values, _position_code, np.int8, -1)


def _number(value: Any) -> float:
    if isinstance(value, bool | np.bool_):
        return np.nan
    if isinstance(value, int | float | np.number):  # a number a spreadsheet typed: as it is
        return float(value)
    parsed = number_value(str(value))  # text, read as every source file's numbers are
    return float(parsed.value) if parsed.ok else np.nan


def numbers(values: np.ndarray) -> np.ndarray:
    """Measurements as float64, NaN when missing or unreadable."""
    if values.dtype.kind in "biuf":
        return values.astype(np.float64)
    return map_distinct(values, _number, np.float64, np.nan)


def _yes(value: Any) -> bool:
    if isinstance(value, bool | np.bool_):
        return bool(value)
    parsed = bool_value(str(value))  # Ya/Tidak, Y/T, 1/0, true/false, as every source file
    return bool(parsed.value) if parsed.ok else False


def yes_codes(values: np.ndarray) -> np.ndarray:
    """Yes/no values as booleans; missing or unreadable is no (WHO Anthro: oedema "n")."""
    if values.dtype == np.bool_:
        return values
    return map_distinct(values, _yes, np.bool_, False)


@dataclass(frozen=True)
class Children:
    """The typed inputs of the scoring, one element per child."""

    sex: np.ndarray  # int8: 0 boy (L), 1 girl (P), -1 unknown
    weight: np.ndarray  # float64 kg, NaN unknown
    height: np.ndarray  # float64 cm as recorded, NaN unknown
    position: np.ndarray  # int8: 0 lying, 1 standing, -1 unknown
    muac: np.ndarray | None  # float64 cm, None when not given at all
    oedema: np.ndarray  # bool: bilateral pitting oedema (missing: no)


def children(
    sex: Any,
    weight_kg: Any,
    height_cm: Any,
    position: Any,
    muac_cm: Any,
    n: int,
    oedema: Any = None,
) -> Children:
    """The columns other than the dates, read for ``n`` children."""
    return Children(
        sex_codes(broadcast(sex, n)),
        numbers(broadcast(weight_kg, n)),
        numbers(broadcast(height_cm, n)),
        np.full(n, -1, dtype=np.int8)
        if position is None
        else _position_codes(broadcast(position, n)),
        None if muac_cm is None else numbers(broadcast(muac_cm, n)),
        np.zeros(n, dtype=np.bool_) if oedema is None else yes_codes(broadcast(oedema, n)),
    )
