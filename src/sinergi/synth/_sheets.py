"""A source file in the making (columns of cells, planned duplicate rows, injected errors) and the
CSV / XLSX writers that turn it into the file an officer would receive."""

from __future__ import annotations

import csv
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from sinergi.assess.summary import SYNTHETIC_COLUMN
from sinergi.core.spreadsheet import column_letters

Format = Literal["csv", "xlsx"]


@dataclass
class Injected:
    row: int  # index of the clean row (before duplicates are inserted)
    key: str  # canonical column key, '' for a row-level issue
    kode: str
    tingkat: str  # error | warning | none
    nilai: str  # the value as written
    copy: bool = False  # reported on the inserted copy (the row after ``row``)
    gangguan: str = ""  # identity-noise code (what a linkage must see through), '' if none


@dataclass
class Sheet:
    """Cells by column; a cell is str (text), float/int (number; NaN = empty) or date (a date cell
    in XLSX). CSV files get every cell as text."""

    path: str  # relative to the output directory, with forward slashes
    fmt: Format
    keys: list[str]  # canonical column keys (used by the error injector and the truth)
    headers: list[str]  # the header text as written in the file
    cells: dict[str, np.ndarray]
    sheet: str = ""  # the sheet name for XLSX
    header_row: int = 1  # spreadsheet row of the header (p3ke has one blank row above it)
    row_fid: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # family
    row_pid: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # person
    row_meas: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # e-PPGBM
    dup: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    injected: list[Injected] = field(default_factory=list)
    used: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))

    def __post_init__(self) -> None:
        n = self.n
        if len(self.dup) != n:
            self.dup = np.zeros(n, dtype=bool)
        if len(self.used) != n:
            self.used = np.zeros(n, dtype=bool)

    @property
    def n(self) -> int:
        return len(next(iter(self.cells.values()))) if self.cells else 0

    def header_of(self, key: str) -> str:
        return self.headers[self.keys.index(key)]

    def order(self) -> np.ndarray:
        """Clean row index of each written row: copies follow their original."""
        return np.repeat(np.arange(self.n), 1 + self.dup.astype(np.int64))

    def baris(self) -> np.ndarray:
        """Spreadsheet row number of each clean row (its first occurrence)."""
        shift = np.concatenate([[0], np.cumsum(self.dup.astype(np.int64))[:-1]])
        return self.header_row + 1 + np.arange(self.n) + shift


def text_cells(values: np.ndarray) -> np.ndarray:
    """Cells as the text a CSV holds: numbers without a trailing .0, empty for NaN."""
    out = np.empty(len(values), dtype=object)
    for i, v in enumerate(values):
        if isinstance(v, str):
            out[i] = v
        elif v is None or (isinstance(v, float) and v != v):
            out[i] = ""
        elif isinstance(v, date):
            out[i] = v.strftime("%d/%m/%Y")
        elif isinstance(v, float) and v.is_integer():
            out[i] = str(int(v))
        else:
            out[i] = str(v)
    return out


def mark_synthetic(sheet: Sheet) -> None:
    """Append the column that says the file is synthetic (`SYNTHETIC_COLUMN`, "ya" on every
    row), last, so that no injected error moves: the importer keeps its name with the batch, and
    the dashboard and the demo tell synthetic data from real (`holds_synthetic`)."""
    sheet.keys.append("data_sintetis")
    sheet.headers.append(SYNTHETIC_COLUMN)
    sheet.cells["data_sintetis"] = np.full(sheet.n, "ya", dtype=object)


def write(sheet: Sheet, out: Path, created: datetime) -> Path:
    target = out / sheet.path
    target.parent.mkdir(parents=True, exist_ok=True)
    if sheet.fmt == "csv":
        _write_csv(sheet, target)
    else:
        _write_xlsx(sheet, target, created)
    return target


def _write_csv(sheet: Sheet, target: Path) -> None:
    order = sheet.order()
    # CSV sheets are built from text cells; only numeric arrays need converting.
    frame = pd.DataFrame(
        {
            h: (sheet.cells[k] if sheet.cells[k].dtype == object else text_cells(sheet.cells[k]))[
                order
            ]
            for k, h in zip(sheet.keys, sheet.headers, strict=True)
        }
    )
    with target.open("w", encoding="utf-8", newline="") as handle:
        if sheet.header_row > 1:
            handle.write("\n" * (sheet.header_row - 1))
        frame.to_csv(handle, index=False, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)


# --- a small XLSX writer -------------------------------------------------------------------------
# The files have one sheet of plain cells (inline strings, numbers, dd/mm/yyyy dates); writing the
# package directly is several times faster than a general library for half a million cells, and
# fixed zip timestamps keep the bytes identical between runs.

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_CONTENT_TYPES = (
    _HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    _HEAD + f'<Relationships xmlns="{_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
    f'<Relationship Id="rId2" Type="{_PKG_REL}/metadata/core-properties" Target="docProps/core.xml"/>'
    "</Relationships>"
)
_WORKBOOK_RELS = (
    _HEAD + f'<Relationships xmlns="{_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/>'
    "</Relationships>"
)
_STYLES = (
    _HEAD + f'<styleSheet xmlns="{_MAIN}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
_EXCEL_EPOCH = date(1899, 12, 30)


def _escape(text: str) -> str:
    if "&" in text or "<" in text or ">" in text:
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text


def _cell(ref: str, v: object) -> str:
    if isinstance(v, str):
        return f'<c r="{ref}" t="inlineStr"><is><t>{_escape(v)}</t></is></c>' if v else ""
    if isinstance(v, date):
        return f'<c r="{ref}" s="1"><v>{(v - _EXCEL_EPOCH).days}</v></c>'
    if v is None:
        return ""
    x = float(v)  # type: ignore[arg-type]
    if x != x:
        return ""
    return f'<c r="{ref}"><v>{int(x) if x.is_integer() else repr(x)}</v></c>'


def _write_xlsx(sheet: Sheet, target: Path, created: datetime) -> None:
    letters = [column_letters(n) for n in range(1, len(sheet.keys) + 1)]
    columns = [sheet.cells[k] for k in sheet.keys]
    parts = [_HEAD, f'<worksheet xmlns="{_MAIN}"><sheetData>']
    top = sheet.header_row
    parts.append(f'<row r="{top}">')
    parts.extend(
        _cell(f"{letter}{top}", h) for letter, h in zip(letters, sheet.headers, strict=True)
    )
    parts.append("</row>")
    for r, i in enumerate(sheet.order(), start=top + 1):
        parts.append(f'<row r="{r}">')
        parts.extend(
            _cell(f"{letter}{r}", col[i]) for letter, col in zip(letters, columns, strict=True)
        )
        parts.append("</row>")
    parts.append("</sheetData></worksheet>")
    name = _escape(sheet.sheet or "Sheet1")
    workbook = (
        _HEAD + f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>'
        f'<sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    stamp = created.strftime("%Y-%m-%dT%H:%M:%SZ")
    core = (
        _HEAD + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
        'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        "<dc:creator>sinergi synth</dc:creator>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
        "</cp:coreProperties>"
    )
    members = (
        ("[Content_Types].xml", _CONTENT_TYPES),
        ("_rels/.rels", _ROOT_RELS),
        ("docProps/core.xml", core),
        ("xl/workbook.xml", workbook),
        ("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS),
        ("xl/styles.xml", _STYLES),
        ("xl/worksheets/sheet1.xml", "".join(parts)),
    )
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for member, text in members:
            info = zipfile.ZipInfo(member, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode("utf-8"), compresslevel=1)
