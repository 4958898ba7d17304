"""`sinergi.core.keys`: texts coded as integers in their sort order, the same codes whichever
way a column is read (digits of one width as integers, anything else through Arrow's
dictionary), and the same as ``pd.factorize(…, sort=True)`` gives."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from sinergi.core import keys
from sinergi.core.keys import sorted_codes, sorted_codes_of

CASES = {
    # NIKs and No KKs: read as integers.
    "sixteen digits": [
        "6408010101900001",
        "3201101706240002",
        None,
        "6408010101900001",
        "0000000000000009",
    ],
    # Digits of several widths sort as texts ("10" before "9"), not as numbers.
    "widths differ": ["9", "10", "100", None, "09", "9"],
    # Unicode digits are no ASCII digits: not read as integers.
    "unicode digits": ["١٢٣", "123", "124"],
    "names": ["Zahra", "ahmad", "Ahmad", "Élodie", None, "Zahra", ""],
    "wider than int64": ["1234567890123456789012", "1234567890123456789013"],
    "all null": [None, None],
    "empty": [],
}


@pytest.mark.parametrize("values", list(CASES.values()), ids=list(CASES))
def test_codes_are_pandas_sorted_factorize(values: list[str | None]) -> None:
    expected, uniques = pd.factorize(pd.Series(values, dtype=object), sort=True)
    codes, distinct = sorted_codes(pa.array(values, pa.string()))
    assert codes.dtype == np.int64
    assert codes.tolist() == expected.tolist()
    assert distinct.to_pylist() == list(uniques)
    assert sorted_codes_of(pd.Series(values, dtype=object)).tolist() == expected.tolist()


def test_the_integer_path_is_taken_for_one_width_of_digits(monkeypatch: pytest.MonkeyPatch) -> None:
    """The integer path, not the dictionary's, numbers 16-digit keys (and gives its codes)."""
    taken: list[int | None] = []
    width = keys._digit_width
    monkeypatch.setattr(keys, "_digit_width", lambda t: taken.append(width(t)) or width(t))
    values = pa.chunked_array([["3201101706240002", None], ["3201101706240001"]])
    codes, distinct = sorted_codes(values)
    assert taken == [16]
    assert codes.tolist() == [1, -1, 0]
    assert distinct.to_pylist() == ["3201101706240001", "3201101706240002"]
    assert width(pa.array(["12", "1a"])) is None
    assert width(pa.array(["12", "123"])) is None


def test_a_column_of_other_things_is_factorized() -> None:
    """Not texts (numbers beside texts, floats): pandas' own sorted factorization."""
    for column in (pd.Series(["b", 3, "a"], dtype=object), pd.Series([2.5, np.nan, 1.0])):
        expected = pd.factorize(column, sort=True)[0]
        assert sorted_codes_of(column).tolist() == expected.tolist()
