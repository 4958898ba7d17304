"""The validation report an officer opens in Excel: one line per rejected or warned cell."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import xlsxwriter

from sinergi.core.spreadsheet import XLSX_OPTIONS, write_csv
from sinergi.ingest.validate import Issue
from sinergi.messages import Lang, t

HEADERS = {
    "id": ["berkas", "sheet", "baris", "kolom", "nilai", "tingkat", "alasan", "kode"],
    "en": ["file", "sheet", "row", "column", "value", "severity", "reason", "code"],
}


def issue_text(issue: Issue, lang: Lang) -> str:
    return t(issue.kode, lang, **issue.params)


def report_rows(file_name: str, sheet: str | None, issues: list[Issue], lang: Lang) -> list[list]:
    return [
        [
            file_name,
            sheet or "",
            i.baris,
            i.kolom or "",
            i.nilai or "",
            t(f"severity_{i.tingkat}", lang),
            issue_text(i, lang),
            i.kode,
        ]
        for i in issues
    ]


def write_report(
    path: Path, file_name: str, sheet: str | None, issues: list[Issue], lang: Lang = "id"
) -> None:
    """Write the report as XLSX (formatted for officers) or CSV, chosen by the file extension."""
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = report_rows(file_name, sheet, issues, lang)
    # The report columns keep the Indonesian names the issue tracker and officers agreed on
    # (baris, kolom, nilai, alasan); --lang en translates the reasons and severities.
    header = HEADERS["id"]
    if path.suffix.lower() == ".csv":
        write_csv(path, header, rows)
        return
    wb = xlsxwriter.Workbook(str(path), XLSX_OPTIONS)
    bold = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    text = wb.add_format({"num_format": "@", "valign": "top"})
    ws = wb.add_worksheet("Laporan" if lang == "id" else "Report")
    ws.write_row(0, 0, header, bold)
    for r, row in enumerate(rows, start=1):
        for c, v in enumerate(row):
            if c == 4:
                ws.write_string(r, c, str(v), text)  # keep NIKs and codes as written
            elif v is None:
                ws.write_blank(r, c, None)
            else:
                ws.write(r, c, v, wrap if c == 6 else None)
    widths = [28, 14, 7, 22, 24, 11, 70, 26]
    for c, w in enumerate(widths):
        ws.set_column(c, c, w)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(len(rows), 1), len(header) - 1)

    summary = wb.add_worksheet("Ringkasan" if lang == "id" else "Summary")
    summary.write_row(0, 0, ["kode", "tingkat", "jumlah", "alasan"], bold)
    counts = Counter((i.kode, i.tingkat) for i in issues)
    for r, ((code, severity), n) in enumerate(sorted(counts.items()), start=1):
        sample = next(i for i in issues if i.kode == code)
        summary.write_row(
            r, 0, [code, t(f"severity_{severity}", lang), n, issue_text(sample, lang)]
        )
    summary.set_column(0, 0, 28)
    summary.set_column(1, 2, 11)
    summary.set_column(3, 3, 90)
    wb.close()
