"""Write a table for officers: XLSX (frozen header, widths, filters, an 'about' sheet) or CSV.

The 'about' sheet speaks the reader's language: its keys are message codes (``about_*`` in
`sinergi.messages`) and its numbers and dates are written by `sinergi.core.display`."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pandas as pd
import xlsxwriter

from sinergi.core.display import cell
from sinergi.core.spreadsheet import XLSX_OPTIONS, neutralise_frame
from sinergi.core.values import clean
from sinergi.messages import CATALOGUE, Lang, t

RUPIAH_HINTS = ("biaya", "nilai", "anggaran", "rp", "pengeluaran")


def is_rupiah(column: str) -> bool:
    """Whether a column holds rupiah, by the words of its name (``biaya_satuan``, ``anggaran``;
    not ``terpilih``, which merely contains the letters 'rp')."""
    return any(word in RUPIAH_HINTS for word in str(column).lower().split("_"))


def write_table(
    path: Path,
    frame: pd.DataFrame,
    sheet: str = "Data",
    about: dict[str, object] | None = None,
    lang: Lang = "id",
) -> None:
    """Write ``frame`` to ``path``; the extension chooses XLSX or CSV. ``about`` (message code →
    value) becomes a second sheet saying what the table is and which rules made it, in ``lang``."""
    unknown = [k for k in about or {} if k not in CATALOGUE]
    if unknown:
        raise ValueError(f"about keys must be message codes: {unknown}")
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".csv":
        neutralise_frame(frame).to_csv(
            path, index=False, encoding="utf-8-sig", date_format="%Y-%m-%d"
        )
        return
    wb = xlsxwriter.Workbook(str(path), XLSX_OPTIONS)
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    fmt_date = wb.add_format({"num_format": "dd/mm/yyyy"})
    fmt_rp = wb.add_format({"num_format": '"Rp" #,##0'})
    fmt_num = wb.add_format({"num_format": "0.00"})
    fmt_text = wb.add_format({"num_format": "@"})
    ws = wb.add_worksheet(sheet[:31])
    ws.write_row(0, 0, [str(c) for c in frame.columns], head)
    formats = []
    for col in frame.columns:
        series = frame[col]
        if is_rupiah(col) and pd.api.types.is_numeric_dtype(series):
            formats.append(fmt_rp)
        elif pd.api.types.is_float_dtype(series):
            formats.append(fmt_num)
        else:
            formats.append(None)
    for r, row in enumerate(frame.itertuples(index=False, name=None), start=1):
        for c, v in enumerate(row):
            v = clean(v)
            if v is None:
                continue
            if isinstance(v, datetime | date):
                ws.write_datetime(r, c, datetime(v.year, v.month, v.day), fmt_date)
            elif isinstance(v, str):
                # NIK and KK stay text so Excel never turns them into numbers.
                ws.write_string(r, c, v, fmt_text if v.isdigit() else None)
            elif isinstance(v, bool):
                ws.write_number(r, c, int(v))
            else:
                ws.write_number(r, c, v, formats[c])
    for c, col in enumerate(frame.columns):
        sample = frame[col].head(200).astype(str).str.len()
        width = max(len(str(col)), int(sample.max()) if len(sample) else 0)
        ws.set_column(c, c, min(max(width + 2, 8), 60))
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(len(frame), 1), max(len(frame.columns) - 1, 0))
    if about:
        info = wb.add_worksheet(t("lembar_keterangan", lang))
        info.set_column(0, 0, 28)
        info.set_column(1, 1, 100)
        wrap = wb.add_format({"text_wrap": True, "valign": "top"})
        for r, (k, v) in enumerate(about.items()):
            info.write_string(r, 0, t(k, lang), head)
            info.write_string(r, 1, cell(v, lang), wrap)
    wb.close()
