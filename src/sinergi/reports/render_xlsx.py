"""A report (`Laporan`) as a workbook for people: 'Ringkasan' first (title, subtitle, key figures,
paragraphs, and where each table went), one sheet per `Tabel` written by the same sheet writer as
every exported table (`sinergi.reports.tables.write_sheet`), a 'Gambar' sheet with the report's
pictures, then 'Kamus' (heading · code · meaning) and 'Keterangan' (``Laporan.tentang``)."""

from __future__ import annotations

import io
from pathlib import Path

import xlsxwriter

from sinergi.core.spreadsheet import XLSX_OPTIONS
from sinergi.messages import t
from sinergi.reports.document import Angka, Gambar, Laporan, Paragraf, Tabel, TandaTangan
from sinergi.reports.tables import Formats, write_about, write_kamus, write_sheet

SHEET_CHARS = 31  # Excel's limit on a sheet name
FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})
PX_PER_CM = 37.8
ROW_PX = 20  # the default row's height in pixels: how many rows a picture covers


def sheet_names(laporan: Laporan) -> list[str]:
    """One unique sheet name per table: its ``lembar`` or its heading, without the characters
    Excel refuses, at most 31 characters, numbered when two would be the same."""
    taken = {
        t("lap_xlsx_ringkasan", laporan.lang).lower(),
        t("lap_xlsx_gambar", laporan.lang).lower(),
        t("lembar_kamus", laporan.lang).lower(),
        t("lembar_keterangan", laporan.lang).lower(),
    }
    names = []
    for i, tabel in enumerate(laporan.tabel(), start=1):
        base = " ".join((tabel.lembar or tabel.judul or str(i)).translate(FORBIDDEN).split())
        base = base.strip("'")[:SHEET_CHARS].strip() or str(i)
        name, n = base, 1
        while name.lower() in taken:
            n += 1
            suffix = f" ({n})"
            name = base[: SHEET_CHARS - len(suffix)] + suffix
        taken.add(name.lower())
        names.append(name)
    return names


def to_xlsx(laporan: Laporan, path: Path) -> int:
    """Write ``laporan`` to ``path`` as a workbook; the number of table rows written."""
    lang = laporan.lang
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(path), XLSX_OPTIONS)
    fmt = Formats(wb)
    names = sheet_names(laporan)
    where = dict(zip(map(id, laporan.tabel()), names, strict=True))

    summary = wb.add_worksheet(t("lap_xlsx_ringkasan", lang))
    summary.set_column(0, 0, 48)
    summary.set_column(1, 1, 60)
    summary.write_string(0, 0, laporan.judul, fmt.title)
    r = 1
    if laporan.subjudul:
        summary.write_string(r, 0, laporan.subjudul)
        r += 1
    if laporan.kosong:
        r += 1
        summary.write_string(r, 0, laporan.kosong, fmt.note)
        r += 1
    pictures: list[Gambar] = []
    for bagian in laporan.bagian:
        r += 1
        summary.write_string(r, 0, bagian.judul, fmt.head)
        r += 1
        for blok in bagian.blok:
            if isinstance(blok, Paragraf):
                summary.merge_range(r, 0, r, 1, blok.teks, fmt.wrap)
                summary.set_row(r, 15 * max(1, len(blok.teks) // 100 + 1))
                r += 1
            elif isinstance(blok, Angka):
                for label, value in blok.isi:
                    summary.write_string(r, 0, label)
                    summary.write_string(r, 1, value)
                    r += 1
            elif isinstance(blok, Tabel):
                summary.write_string(r, 0, blok.judul)
                summary.write_url(r, 1, f"internal:'{where[id(blok)]}'!A1", string=where[id(blok)])
                r += 1
            elif isinstance(blok, Gambar):
                pictures.append(blok)
                summary.write_string(r, 0, blok.judul or t("lap_xlsx_gambar", lang))
                summary.write_string(r, 1, t("lap_xlsx_lihat_gambar", lang))
                r += 1
            elif isinstance(blok, TandaTangan):
                continue  # a signature belongs on paper, not in a workbook

    rows = 0
    for tabel in laporan.tabel():
        write_sheet(
            wb,
            fmt,
            where[id(tabel)],
            tabel.data,
            tabel.kolom,
            title=tabel.judul,
            note=tabel.catatan,
            total=tabel.total,
        )
        rows += len(tabel.data)

    if pictures:
        sheet = wb.add_worksheet(t("lap_xlsx_gambar", lang))
        r = 0
        for gambar in pictures:
            if gambar.judul:
                sheet.write_string(r, 0, gambar.judul, fmt.title)
                r += 1
            scale, height = _scale(gambar)
            sheet.insert_image(
                r,
                0,
                "gambar.png",
                {"image_data": io.BytesIO(gambar.png), "x_scale": scale, "y_scale": scale},
            )
            r += int(height * scale / ROW_PX) + 2

    write_kamus(wb, fmt, [k for tabel in laporan.tabel() for k in tabel.kolom], lang)
    if laporan.tentang:
        write_about(wb, fmt, laporan.tentang, lang)
    wb.close()
    return rows


def _scale(gambar: Gambar) -> tuple[float, int]:
    """The factor that shows the PNG ``lebar_cm`` wide, and its height in pixels (both read from
    the PNG header)."""
    png = gambar.png
    if png[:8] != b"\x89PNG\r\n\x1a\n" or len(png) < 24:
        return 1.0, 400
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    return ((gambar.lebar_cm * PX_PER_CM) / width if width else 1.0), height
