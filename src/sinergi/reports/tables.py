"""Write a table for officers: XLSX for people or CSV for machines — the one table writer.

XLSX: headings in the reader's language (message ``kolom_<code>``; a column without one keeps its
code), number formats by kind, frozen headings, filters, a 'Kamus' sheet (heading · code ·
meaning) and an 'about' sheet ('Keterangan'). Its keys are message codes (``about_*`` in
`sinergi.messages`) and its numbers and dates are written by `sinergi.core.display`. The sheet
writer (`write_sheet`) is shared with the report workbook (`sinergi.reports.render_xlsx`).
CSV: the machine contract of docs/csv.md (column codes, ISO dates, plain numbers)."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from numbers import Real
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import xlsxwriter

from sinergi.core.display import cell
from sinergi.core.spreadsheet import XLSX_OPTIONS, neutralise_frame
from sinergi.core.values import clean
from sinergi.messages import CATALOGUE, Lang, t
from sinergi.monitor.coverage import FACTOR_KINDS
from sinergi.reports.document import Format, Kolom

RUPIAH_HINTS = ("biaya", "nilai", "anggaran", "rp", "pengeluaran")
HEADING_PREFIX = "kolom_"  # a column's heading for people: kolom_<code>
MEANING_PREFIX = "kamus_"  # what it holds, on the 'Kamus' sheet: kamus_<code>
FACTOR_PREFIX = "faktor_"  # coverage's per-factor columns are <kind>_<factor> (FACTOR_KINDS)
# Whole numbers written without separators: identifiers, years, row numbers.
PLAIN_NUMBER_WORDS = frozenset({"id", "tahun", "baris", "run", "desil", "peringkat", "versi"})
# The spreadsheet's number format of each `Kolom.format` (None: as it is).
NUMBER_FORMATS: dict[str, str | None] = {
    "teks": None,
    "angka": "#,##0",
    "desimal": "0.00",
    "desimal2": "0.00",
    "persen": "0.0",
    "rupiah": '"Rp" #,##0',
    "tanggal": "dd/mm/yyyy",
    "centang": None,
}
# The 'Kamus' sheet's name in either language (`read_table` finds it by name).
KAMUS_SHEETS = (CATALOGUE["lembar_kamus"][0], CATALOGUE["lembar_kamus"][1])


def is_rupiah(column: str) -> bool:
    """Whether a column holds rupiah, by the words of its name (``biaya_satuan``, ``anggaran``;
    not ``terpilih``, which merely contains the letters 'rp')."""
    return any(word in RUPIAH_HINTS for word in str(column).lower().split("_"))


def heading(code: str, lang: Lang = "id") -> str:
    """A column's heading for people (message ``kolom_<code>``; a coverage column
    ``perlu_<factor>`` … ``proses_<factor>`` names its factor); a column without one keeps its
    machine code."""
    key = HEADING_PREFIX + code
    if key in CATALOGUE:
        return t(key, lang)
    kind, _, factor = code.partition("_")
    if kind in FACTOR_KINDS and FACTOR_PREFIX + factor in CATALOGUE:
        return t(HEADING_PREFIX + kind, lang, faktor=t(FACTOR_PREFIX + factor, lang))
    return code


def meaning(code: str, lang: Lang = "id") -> str:
    """What a column holds, for the 'Kamus' sheet (message ``kamus_<code>``; empty when none)."""
    key = MEANING_PREFIX + code
    if key in CATALOGUE:
        return t(key, lang)
    kind, _, factor = code.partition("_")
    if kind in FACTOR_KINDS and MEANING_PREFIX + kind in CATALOGUE:
        return t(MEANING_PREFIX + kind, lang)
    return ""


def column_format(code: str, series: pd.Series) -> Format:
    """How a frame's column is written for people, by its name and values: rupiah by the words
    of its name, percentages by ``_pct``/``_persen``, other floats with decimals, whole numbers
    with separators (identifiers and years without), dates as dates, the rest as text."""
    numeric = pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)
    words = str(code).lower().split("_")
    if numeric and is_rupiah(code):
        return "rupiah"
    if numeric and words[-1] in ("pct", "persen"):
        return "persen"
    if pd.api.types.is_float_dtype(series):
        return "desimal"
    if numeric and not PLAIN_NUMBER_WORDS.intersection(words):
        return "angka"
    if pd.api.types.is_datetime64_any_dtype(series):
        return "tanggal"
    sample = series.dropna().head(50)
    if len(sample) and all(isinstance(v, date) for v in sample):
        return "tanggal"
    return "teks"


def columns_of(frame: pd.DataFrame, lang: Lang = "id") -> list[Kolom]:
    """A `Kolom` per column of ``frame``: its heading in ``lang``, its format and meaning."""
    return [
        Kolom(
            str(c),
            heading(str(c), lang),
            column_format(str(c), frame[c]),
            1.0,
            meaning(str(c), lang),
        )
        for c in frame.columns
    ]


class Formats:
    """The workbook's cell formats, made once per workbook (xlsxwriter keeps every one made)."""

    def __init__(self, wb: xlsxwriter.Workbook) -> None:
        self.head = wb.add_format(
            {"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "top"}
        )
        self.title = wb.add_format({"bold": True, "font_size": 13})
        self.note = wb.add_format({"italic": True, "font_color": "#555555"})
        self.wrap = wb.add_format({"text_wrap": True, "valign": "top"})
        self.text = wb.add_format({"num_format": "@"})
        self.box = wb.add_format({"border": 1})
        self.by_kind: dict[tuple[str, bool], Any] = {}
        for kind, number in NUMBER_FORMATS.items():
            for bold in (False, True):
                spec: dict[str, object] = {"bold": bold}
                if number:
                    spec["num_format"] = number
                self.by_kind[kind, bold] = wb.add_format(spec)


def write_sheet(
    wb: xlsxwriter.Workbook,
    fmt: Formats,
    name: str,
    frame: pd.DataFrame,
    kolom: Sequence[Kolom],
    *,
    title: str = "",
    note: str = "",
    total: dict[str, object] | None = None,
) -> None:
    """One table on its own sheet, as people read it: ``title`` and ``note`` above (when given),
    the headings (`Kolom.judul`) frozen with a filter, each column written by its
    `Kolom.format` (``centang``: an empty box to tick) and ``total`` as a last, bold row."""
    ws = wb.add_worksheet(name[:31])
    top = 0
    if title:
        ws.write_string(0, 0, title, fmt.title)
        top = 1
    if note:
        ws.write_string(top, 0, note, fmt.note)
        top += 1
    if top:
        top += 1  # an empty line between the title and the table
    ws.write_row(top, 0, [k.judul for k in kolom], fmt.head)
    values = [frame[k.kode].tolist() if k.kode in frame.columns else None for k in kolom]
    rows = [*zip(*[v or [None] * len(frame) for v in values], strict=True)] if kolom else []
    if total is not None:
        rows.append(tuple(total.get(k.kode) for k in kolom))
    for r, row in enumerate(rows, start=top + 1):
        bold = total is not None and r == top + len(rows)
        for c, (k, v) in enumerate(zip(kolom, row, strict=True)):
            _write_cell(ws, fmt, r, c, k.format, clean(v), bold)
    for c, k in enumerate(kolom):
        sample = [len(cell(v)) for v in (values[c] or [])[:200]]
        width = max([len(k.judul) if len(k.judul) < 24 else 24, *sample])
        ws.set_column(c, c, min(max(width + 2, 8), 60) * k.lebar)
    ws.freeze_panes(top + 1, 0)
    ws.autofilter(top, 0, top + max(len(frame), 1), max(len(kolom) - 1, 0))


def _write_cell(ws: Any, fmt: Formats, r: int, c: int, kind: Format, v: object, bold: bool) -> None:
    """One value in the cell format of its column's kind."""
    if kind == "centang":
        ws.write_blank(r, c, None, fmt.box)
        return
    style = fmt.by_kind[kind, bold]
    if v is None:
        if bold:
            ws.write_blank(r, c, None, style)
        return
    if isinstance(v, datetime | date):
        ws.write_datetime(r, c, datetime(v.year, v.month, v.day), fmt.by_kind["tanggal", bold])
    elif isinstance(v, str):
        # NIK and KK stay text so Excel never turns them into numbers.
        ws.write_string(r, c, v, fmt.text if v.isdigit() and not bold else style)
    elif isinstance(v, bool):
        ws.write_number(r, c, int(v), style)
    elif isinstance(v, Real):
        ws.write_number(r, c, float(v), style)
    else:
        ws.write_string(r, c, str(v), style)


def write_kamus(wb: xlsxwriter.Workbook, fmt: Formats, kolom: Iterable[Kolom], lang: Lang) -> None:
    """The 'Kamus' sheet: per column its heading, its machine code (the CSV's column name) and
    what it holds; each code once."""
    ws = wb.add_worksheet(t("lembar_kamus", lang))
    ws.write_row(
        0, 0, [t("kamus_judul", lang), t("kamus_kode", lang), t("kamus_arti", lang)], fmt.head
    )
    seen: set[str] = set()
    r = 0
    for k in kolom:
        if k.kode in seen:
            continue
        seen.add(k.kode)
        r += 1
        ws.write_string(r, 0, k.judul)
        ws.write_string(r, 1, k.kode)
        arti = k.keterangan or meaning(k.kode, lang)
        if arti:
            ws.write_string(r, 2, arti, fmt.wrap)
    ws.set_column(0, 0, 36)
    ws.set_column(1, 1, 32)
    ws.set_column(2, 2, 90)
    ws.freeze_panes(1, 0)


def write_about(
    wb: xlsxwriter.Workbook, fmt: Formats, about: dict[str, object], lang: Lang
) -> None:
    """The 'Keterangan' sheet: what the workbook is, when, which rule set and which data dates
    (message code → value; values written by `sinergi.core.display`)."""
    unknown = [k for k in about if k not in CATALOGUE]
    if unknown:
        raise ValueError(f"about keys must be message codes: {unknown}")
    info = wb.add_worksheet(t("lembar_keterangan", lang))
    info.set_column(0, 0, 28)
    info.set_column(1, 1, 100)
    for r, (k, v) in enumerate(about.items()):
        info.write_string(r, 0, t(k, lang), fmt.head)
        info.write_string(r, 1, cell(v, lang), fmt.wrap)


def write_table(
    path: Path,
    frame: pd.DataFrame,
    sheet: str = "Data",
    about: dict[str, object] | None = None,
    lang: Lang = "id",
) -> None:
    """Write ``frame`` to ``path``; the extension chooses XLSX or CSV.

    CSV is the machine contract (docs/csv.md): the frame's column names, ISO dates, plain
    numbers. XLSX is for people: headings in ``lang`` (`heading`), number formats by kind
    (`column_format`), frozen headings and a filter, a 'Kamus' sheet pairing each heading with
    its code, and — with ``about`` (message code → value) — a 'Keterangan' sheet saying what the
    table is and which rules and data made it."""
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
    fmt = Formats(wb)
    kolom = columns_of(frame, lang)
    write_sheet(wb, fmt, sheet, frame, kolom)
    write_kamus(wb, fmt, kolom, lang)
    if about:
        write_about(wb, fmt, about, lang)
    wb.close()


def kamus_codes(book: Any) -> dict[str, str]:
    """Heading → machine code, from the 'Kamus' sheet of a workbook written by `write_table`
    (an open `openpyxl` workbook); empty when it has none."""
    kamus = next((ws for ws in book.worksheets if ws.title in KAMUS_SHEETS), None)
    if kamus is None:
        return {}
    rows = kamus.iter_rows(min_row=2, max_col=2, values_only=True)
    return {str(judul): str(code) for judul, code in rows if code}


def read_table(path: Path | io.BytesIO, sheet: str | int = 0, **options: Any) -> pd.DataFrame:
    """A sheet of an XLSX written by `write_table` read back with its machine codes as column
    names (`kamus_codes`), for scripts and tests; ``options`` go to `pandas.read_excel`
    (``dtype`` keyed by code)."""
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        codes = kamus_codes(book)
    finally:
        book.close()
    by_code = {code: judul for judul, code in codes.items()}
    if isinstance(options.get("dtype"), dict):
        options["dtype"] = {by_code.get(k, k): v for k, v in options["dtype"].items()}
    if isinstance(path, io.BytesIO):
        path.seek(0)
    frame = pd.read_excel(path, sheet_name=sheet, **options)
    return frame.rename(columns=lambda c: codes.get(str(c), c))
