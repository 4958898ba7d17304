"""Read a CSV or XLSX source file into rows of text, keeping spreadsheet row numbers.

The header is the first non-empty row. Each data row keeps the number the spreadsheet shows
(header on line 1 → first data row is 2), counted the same way for CSV. Cell values become the
text an officer would see: numbers as Excel's General format shows them (so a NIK that Excel
turned into a number reads ``6.40801E+15`` and is reported as such), dates as yyyy-mm-dd.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from python_calamine import CalamineWorkbook


class ReadError(Exception):
    """The file cannot be read at all; ``code`` is a message code, ``params`` its parameters."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass
class RawTable:
    path: Path
    sheet: str | None  # None for CSV
    header: list[str]
    header_row: int  # spreadsheet row number of the header
    rows: list[list[str]]  # data rows, each as long as the header
    row_numbers: list[int]
    sha256: str


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float):
        v = float(value)
        if v.is_integer() and abs(v) < 1e15:
            return str(int(v))
        if abs(v) >= 1e11:
            # Excel's General format shows 6 significant digits for large numbers.
            mantissa, exp = f"{v:.5E}".split("E")
            return f"{mantissa.rstrip('0').rstrip('.')}E{exp[0]}{int(exp[1:]):02d}"
        return repr(v)
    return str(value).strip()


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def read_table(path: Path, sheet: str | None = None) -> RawTable:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".xls", ".ods"):
        grid, sheet_name = _read_workbook(path, sheet)
    elif suffix in (".csv", ".txt"):
        grid, sheet_name = _read_csv(path), None
    else:
        raise ReadError("berkas_tidak_terbaca", detail=f"format '{suffix}' bukan CSV atau XLSX")
    return _to_table(path, sheet_name, grid)


def _read_workbook(path: Path, sheet: str | None) -> tuple[list[list[str]], str]:
    try:
        wb = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises several error types for damaged files
        raise ReadError("berkas_tidak_terbaca", detail=str(exc)) from exc
    names = wb.sheet_names
    if sheet is None:
        if not names:
            raise ReadError("berkas_kosong")
        sheet = names[0]
    elif sheet not in names:
        raise ReadError("sheet_tidak_ada", sheet=sheet, available=", ".join(names))
    data = wb.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    return [[cell_text(v) for v in row] for row in data], sheet


def _read_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    sample = text[:20000]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    # Each physical line is one spreadsheet row; blank lines count as rows too.
    return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text), dialect)]


def _to_table(path: Path, sheet: str | None, grid: list[list[str]]) -> RawTable:
    header_idx = next((i for i, row in enumerate(grid) if any(row)), None)
    if header_idx is None:
        raise ReadError("berkas_kosong")
    header = list(grid[header_idx])
    while header and not header[-1]:
        header.pop()
    width = len(header)
    rows: list[list[str]] = []
    numbers: list[int] = []
    for i in range(header_idx + 1, len(grid)):
        row = grid[i]
        if not any(row):
            continue
        row = (row + [""] * width)[:width] if len(row) != width else row
        rows.append(row)
        numbers.append(i + 1)
    return RawTable(path, sheet, header, header_idx + 1, rows, numbers, file_sha256(path))
