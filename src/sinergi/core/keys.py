"""Texts as integer codes numbered in the texts' sort order: the one place a large column of keys
(No KKs, NIKs, a child's identity) is turned into numbers that compare and sort as the texts do.

Millions of keys are costly to hash: pandas hashes Python strings, Arrow's dictionary encoding
hashes bytes, and either misses the CPU's caches once a province's keys number tens of millions
(Jawa Barat at 95 M families: 30 M keys, 13 M distinct; benchmarks/national_bench.py). Keys of
one width made of ASCII digits only (a NIK or No KK is 16 of them) are read as integers, whose
order is the texts' for one width, and numbered by sorting instead (about a third of the time);
any other column is numbered through Arrow's dictionary encoding, its distinct texts sorted.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

# The widest key read as an integer: 18 digits stay below int64's limit.
MAX_DIGITS = 18


def sorted_codes(values: pa.Array | pa.ChunkedArray) -> tuple[np.ndarray, pa.Array]:
    """For each of ``values`` (texts) its code (int64; -1 for null), the codes numbered
    0, 1, … in the sort order of the distinct texts (Arrow's byte order, which for UTF-8 is
    Python's order of strings: what ``pd.factorize(…, sort=True)`` gives); and those distinct
    texts in that order."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks() if values.num_chunks else pa.array([], pa.string())
    values = values.cast(pa.string())
    valid = values.is_valid().to_numpy(zero_copy_only=False)
    present = values.drop_null() if values.null_count else values
    width = _digit_width(present)
    if width is None:
        keys = pc.dictionary_encode(present)
        order = pc.sort_indices(keys.dictionary).to_numpy()
        rank = np.empty(len(order), np.int64)
        rank[order] = np.arange(len(order), dtype=np.int64)
        theirs = rank[keys.indices.to_numpy()] if len(present) else np.empty(0, np.int64)
        distinct = keys.dictionary.take(pa.array(order))
    else:
        numbers = pc.cast(present, pa.int64()).to_numpy()
        order = np.argsort(numbers, kind="stable")
        ordered = numbers[order]
        first = np.empty(len(ordered), bool)
        first[:1] = True
        np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
        theirs = np.empty(len(ordered), np.int64)
        theirs[order] = np.cumsum(first) - 1
        distinct = pc.utf8_lpad(pa.array(ordered[first]).cast(pa.string()), width, "0")
    if len(present) == len(values):
        return theirs, distinct
    codes = np.full(len(values), -1, np.int64)
    codes[valid] = theirs
    return codes, distinct


def texts_of(column: pa.ChunkedArray | pd.Series) -> pa.Array | pa.ChunkedArray:
    """A column of keys (Arrow's, or pandas' with None or NaN for none) as Arrow texts; raises
    ``pa.ArrowInvalid`` or ``pa.ArrowTypeError`` for a pandas column of anything but texts."""
    if isinstance(column, pa.ChunkedArray):
        return column.cast(pa.string())
    return pa.array(column.to_numpy(object), type=pa.string(), from_pandas=True)


def sorted_codes_of(column: pd.Series) -> np.ndarray:
    """`sorted_codes` of a pandas column of texts (None or NaN for none); a column holding
    anything but texts is numbered by ``pd.factorize(…, sort=True)``, which orders the same."""
    try:
        values = texts_of(column)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return pd.factorize(column, sort=True)[0].astype(np.int64)
    return sorted_codes(values)[0]


def _digit_width(texts: pa.Array) -> int | None:
    """The one width of ``texts`` when every one is 1 to `MAX_DIGITS` ASCII digits of that same
    width (their order as integers is then their order as texts); None otherwise."""
    if not len(texts):
        return None
    widths = pc.min_max(pc.utf8_length(texts))
    low, high = widths["min"].as_py(), widths["max"].as_py()
    if low != high or not 1 <= low <= MAX_DIGITS:
        return None
    return int(low) if pc.all(pc.ascii_is_decimal(texts)).as_py() else None
