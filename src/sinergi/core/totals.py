"""The totals row of a per-area table (per kecamatan, per village): the counts added up, and the
row named in the reader's language ("Jumlah" / "Total", catalogue code ``jumlah_semua``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from sinergi.messages import Lang, t

TOTAL = "jumlah_semua"


def total_row(
    frame: pd.DataFrame,
    lang: Lang,
    *,
    code_column: str,
    name_column: str,
    code: str = "",
    columns: Iterable[str] | None = None,
) -> dict[str, Any]:
    """The totals of ``frame``: ``columns`` (by default every column but the code and the name)
    added up as whole numbers, ``name_column`` reading "Jumlah" / "Total" in ``lang`` and
    ``code_column`` holding ``code``."""
    summed = (
        [c for c in frame.columns if c not in (code_column, name_column)]
        if columns is None
        else list(columns)
    )
    return {code_column: code, name_column: t(TOTAL, lang)} | {
        c: int(frame[c].sum()) for c in summed
    }


def with_total(
    frame: pd.DataFrame, lang: Lang, *, code_column: str, name_column: str, code: str = ""
) -> pd.DataFrame:
    """``frame`` with its `total_row` appended as the last row."""
    row = total_row(frame, lang, code_column=code_column, name_column=name_column, code=code)
    return pd.concat([frame, pd.DataFrame([row])], ignore_index=True)
