"""The validation report an officer opens in Excel: one line per rejected or warned cell."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import xlsxwriter

from sinergi.core.spreadsheet import XLSX_OPTIONS, write_csv
from sinergi.ingest.schema import fold_header
from sinergi.ingest.validate import Issue
from sinergi.messages import Lang, t

HEADERS = {
    "id": ["berkas", "sheet", "baris", "kolom", "nilai", "tingkat", "alasan", "kode"],
    "en": ["file", "sheet", "row", "column", "value", "severity", "reason", "code"],
}


# The header of the summary sheet (the second sheet of an XLSX report).
SUMMARY_HEADER = ["kode", "tingkat", "jumlah", "alasan"]


def is_report(header: list[str]) -> bool:
    """True when ``header`` is the first row of a report Sinergi wrote (either sheet, either
    language's column names): such a file is never read as a source file."""
    folded = [fold_header(h) for h in header]
    return any(
        folded[: len(names)] == [fold_header(h) for h in names]
        for names in (*HEADERS.values(), SUMMARY_HEADER)
    )


def issue_text(issue: Issue, lang: Lang) -> str:
    return t(issue.kode, lang, **issue.params)


def report_row(
    file_name: str,
    sheet: str | None,
    baris: int | None,
    kolom: str | None,
    nilai: str | None,
    tingkat: str,
    reason: str,
    kode: str,
    lang: Lang,
) -> list:
    """One line of the report (the columns of `HEADERS`), from an issue or a stored one."""
    return [
        file_name,
        sheet or "",
        baris,
        kolom or "",
        nilai or "",
        t(f"severity_{tingkat}", lang),
        reason,
        kode,
    ]


def report_rows(file_name: str, sheet: str | None, issues: list[Issue], lang: Lang) -> list[list]:
    return [
        report_row(
            file_name,
            sheet,
            i.baris,
            i.kolom,
            i.nilai,
            i.tingkat,
            issue_text(i, lang),
            i.kode,
            lang,
        )
        for i in issues
    ]


def write_report(
    path: Path, file_name: str, sheet: str | None, issues: list[Issue], lang: Lang = "id"
) -> None:
    """Write the report as XLSX (formatted for officers) or CSV, chosen by the file extension."""
    write_report_rows(path, report_rows(file_name, sheet, issues, lang), lang)


def write_report_rows(path: Path, rows: list[list], lang: Lang = "id") -> None:
    """`write_report` from its lines (`report_row`): also for a report rebuilt from the issues
    stored with an import batch, whose reasons were written when the file was imported."""
    path.parent.mkdir(parents=True, exist_ok=True)
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
    summary.write_row(0, 0, SUMMARY_HEADER, bold)
    # Per code and severity (the words of each language sort like the codes: ditolak/rejected
    # before peringatan/warning), with the first reason of that code as its example.
    counts = Counter((row[7], row[5]) for row in rows)
    for r, ((code, severity), n) in enumerate(sorted(counts.items()), start=1):
        sample = next(row[6] for row in rows if row[7] == code)
        summary.write_row(r, 0, [code, severity, n, sample])
    summary.set_column(0, 0, 28)
    summary.set_column(1, 2, 11)
    summary.set_column(3, 3, 90)
    wb.close()
