"""XLSX for people and CSV for machines, from the one table writer (`reports.tables`):
headings in the reader's language with their codes on a 'Kamus' sheet, number formats by kind,
frozen headings, filters and the 'Keterangan' sheet with the data dates; the CSV headers of
``coverage``, ``export assessment`` and ``missed`` pinned (docs/csv.md), ISO dates, plain numbers,
on SQLite and PostgreSQL; and a hand-made report (`Laporan`) written by `render_xlsx.to_xlsx`."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from matplotlib.figure import Figure
from typer.testing import CliRunner

from sinergi.cli import app as cli_app
from sinergi.monitor.coverage import FACTOR_KINDS
from sinergi.reports.document import (
    Angka,
    Bagian,
    Gambar,
    Kolom,
    Laporan,
    Paragraf,
    Tabel,
    TandaTangan,
)
from sinergi.reports.render_xlsx import to_xlsx
from sinergi.reports.tables import kamus_codes, read_table, write_table
from sinergi.rules.ruleset import FACTOR_CODES
from tests.web.conftest import (  # noqa: F401  (the seeded regency's fixtures)
    Facts,
    seeded,
    seeded_pg,
    seeded_pg_url,
    seeded_sqlite,
    seeded_sqlite_url,
)

# The machine contract (docs/csv.md): these names, in this order, never change.
ASSESSMENT_CSV = [
    "no_kk",
    "kode_desa",
    "sasaran",
    "krs",
    "faktor",
    "miskin_ekstrem",
    "jumlah_balita_stunting",
    "pasangan",
    "temuan",
]
MISSED_CSV = [
    "jenis",
    "kode_alasan",
    "alasan",
    "no_kk",
    "nik",
    "nama",
    "jenis_kelamin",
    "tanggal_lahir",
    "kode_desa",
    "nama_desa",
    "tanggal_ukur_terakhir",
    "zs_tbu",
    "zs_bbtb",
    "status_tbu",
    "status_bbtb",
    "zs_bbu",
    "status_bbu",
    "lila",
    "berat_lahir",
    "ditangani_oleh",
    "tanggal_ditangani",
]
COVERAGE_HEAD = ["kode_wilayah", "nama_wilayah", "keluarga", "keluarga_sasaran", "krs"]
COVERAGE_TAIL = [
    "konvergen",
    "konvergensi_pct",
    "konvergen_dilayani",
    "konvergensi_dilayani_pct",
    "krs_tanpa_intervensi",
    "miskin_ekstrem_tanpa_bantuan",
    "balita_diukur",
    "balita_stunting",
    "prevalensi_stunting_pct",
    "ci95_bawah_pct",
    "ci95_atas_pct",
    "krs_sebelumnya",
    "perubahan_krs",
    "prevalensi_sebelumnya_pct",
    "konvergensi_sebelumnya_pct",
]
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "no_kk": ["6408011234567890", "6408019876543210"],
            "kode_desa": ["64.08.01.2001", "64.08.01.2002"],
            "krs": [1234, 5],
            "prevalensi_stunting_pct": [20.61, None],
            "perlu_air_minum_tidak_layak": [3, 0],
            "tanggal_lahir": [date(2024, 1, 2), None],
            "biaya_satuan": [150_000, 2_500_000],
            "tahun": [2026, 2026],
            "kolom_tanpa_judul": ["a", "b"],
        }
    )


def test_people_xlsx_headings_kamus_formats_frozen_filter(tmp_path: Path) -> None:
    out = tmp_path / "t.xlsx"
    write_table(out, _frame(), "Data", {"about_baris": 2}, "id")
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Data", "Kamus", "Keterangan"]
    ws = book["Data"]
    header = [c.value for c in ws[1]]
    assert header == [
        "No KK",
        "Kode desa",
        "KRS",
        "Prevalensi stunting (%)",
        "Perlu: Air minum tidak layak",
        "Tanggal lahir",
        "Biaya satuan",
        "tahun",  # no heading in the catalogue: the code stays
        "kolom_tanpa_judul",
    ]
    first = {h: c for h, c in zip(header, ws[2], strict=True)}
    assert first["No KK"].value == "6408011234567890" and first["No KK"].number_format == "@"
    assert first["KRS"].number_format == "#,##0"
    assert first["Prevalensi stunting (%)"].number_format == "0.0"
    assert first["Biaya satuan"].number_format == '"Rp" #,##0'
    assert first["Tanggal lahir"].number_format == "dd/mm/yyyy"
    assert first["tahun"].number_format == "General"  # a year is not 2.026
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:I3"
    kamus = list(book["Kamus"].iter_rows(values_only=True))
    assert kamus[0] == ("Judul kolom", "Kode (nama kolom CSV)", "Arti")
    assert [r[1] for r in kamus[1:]] == list(_frame().columns)
    assert kamus[1][2].startswith("Nomor Kartu Keluarga")  # meanings where the catalogue has one
    assert dict((r[0], r[1]) for r in book["Keterangan"].iter_rows(values_only=True)) == {
        "Baris": "2"
    }
    # Scripts read the codes back through the Kamus sheet.
    back = read_table(out, "Data", dtype={"no_kk": str})
    assert list(back.columns) == list(_frame().columns)
    assert back["no_kk"].tolist() == _frame()["no_kk"].tolist()


def test_people_xlsx_in_english(tmp_path: Path) -> None:
    out = tmp_path / "t.xlsx"
    write_table(out, _frame(), "Data", {"about_baris": 2}, "en")
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Data", "Codes", "About"]
    header = [c.value for c in book["Data"][1]]
    assert header[:5] == [
        "Family card no. (KK)",
        "Village code",
        "KRS",
        "Stunting prevalence (%)",
        "In need: Unsafe drinking water",
    ]
    assert kamus_codes(book)["Village code"] == "kode_desa"
    assert list(read_table(out).columns) == list(_frame().columns)


def test_csv_stays_the_machine_contract(tmp_path: Path) -> None:
    out = tmp_path / "t.csv"
    write_table(out, _frame(), "Data", {"about_baris": 2}, "en")
    with out.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == list(_frame().columns)  # codes, whatever the language
    assert rows[1][5] == "2024-01-02" and rows[1][2] == "1234" and rows[1][6] == "150000"
    assert rows[2][3] == "" and rows[2][5] == ""


def _cli(*args: str) -> None:
    res = CliRunner().invoke(cli_app, list(args))
    assert res.exit_code == 0, res.output


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _header(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return next(csv.reader(f))


def test_csv_headers_of_the_three_exports_are_pinned(
    seeded: tuple[str, Facts],  # noqa: F811
    tmp_path: Path,
) -> None:
    url = seeded[0]
    assessment, missed, cover = (tmp_path / n for n in ("a.csv", "m.csv", "c.csv"))
    _cli("export", "assessment", "--out", str(assessment), "--db", url, "--lang", "en")
    _cli("missed", "--out", str(missed), "--db", url, "--semua", "--lang", "en")
    _cli("coverage", "--level", "desa", "--out", str(cover), "--db", url, "--lang", "en")

    assert _header(assessment) == ASSESSMENT_CSV
    assert _header(missed) == MISSED_CSV
    header = _header(cover)
    assert header[:5] == COVERAGE_HEAD and header[5] == "miskin_ekstrem"
    middle = header[6 : -len(COVERAGE_TAIL)]
    assert header[-len(COVERAGE_TAIL) :] == COVERAGE_TAIL
    assert middle and len(middle) % len(FACTOR_KINDS) == 0
    factors = [c.split("_", 1)[1] for c in middle[:: len(FACTOR_KINDS)]]
    assert set(factors) <= set(FACTOR_CODES)
    assert middle == [f"{kind}_{f}" for f in factors for kind in FACTOR_KINDS]

    # ISO dates and plain numbers, in English as in Indonesian.
    rows = _csv(missed)
    born = [r["tanggal_lahir"] for r in rows if r["tanggal_lahir"]]
    assert born and all(ISO_DATE.match(d) for d in born)
    z = [r["zs_tbu"] for r in rows if r["zs_tbu"]]
    assert z and all(PLAIN_NUMBER.match(v) for v in z)
    families = _csv(assessment)
    assert {r["krs"] for r in families} <= {"0", "1"}
    assert all(len(r["no_kk"]) == 16 and r["no_kk"].isdigit() for r in families)
    areas = _csv(cover)
    assert all(PLAIN_NUMBER.match(r["keluarga"]) for r in areas)
    assert sum(int(r["krs"]) for r in areas) == sum(int(r["krs"]) for r in families)


def test_the_three_exports_as_xlsx_for_people(
    seeded: tuple[str, Facts],  # noqa: F811
    tmp_path: Path,
) -> None:
    url = seeded[0]
    for lang, heading, dates, roster in (
        ("id", "No KK", "Tanggal data (per sumber)", "Data keluarga (PK/Verval KRS): "),
        ("en", "Family card no. (KK)", "Data dates (by source)", "Family roster (PK/Verval KRS): "),
    ):
        cover, missed, assessment = (tmp_path / f"{n}-{lang}.xlsx" for n in "cma")
        _cli("coverage", "--out", str(cover), "--db", url, "--lang", lang)
        _cli("missed", "--out", str(missed), "--db", url, "--lang", lang)
        _cli("export", "assessment", "--out", str(assessment), "--db", url, "--lang", lang)
        for path, codes in ((assessment, ASSESSMENT_CSV), (missed, MISSED_CSV), (cover, None)):
            book = openpyxl.load_workbook(path)
            ws = book.worksheets[0]
            header = [c.value for c in ws[1]]
            names = kamus_codes(book)
            assert [names[h] for h in header] == (codes or [names[h] for h in header])
            assert ws.freeze_panes == "A2" and ws.auto_filter.ref
            assert not any(h in ("no_kk", "kode_desa", "kode_wilayah", "krs") for h in header)
            about = {r[0]: r[1] for r in book.worksheets[-1].iter_rows(values_only=True)}
            # The data dates: each kind of source loaded, with the date its data describe.
            assert dates in about and roster in about[dates]
            day = r"(\d{2}/\d{2}/\d{4}|\d{4}-\d{2}-\d{2})"  # as `core.display.tgl` writes it
            assert re.search(re.escape(roster) + day, about[dates])
        assert heading in [c.value for c in openpyxl.load_workbook(missed).worksheets[0][1]]
        frame = read_table(cover, dtype={"kode_wilayah": str})
        assert "konvergensi_pct" in frame.columns and frame["kode_wilayah"].str.len().eq(8).all()


def _png() -> bytes:
    fig = Figure(figsize=(4, 2), dpi=50)
    fig.subplots().plot([0, 1, 2], [2, 1, 3])
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def _laporan(lang: str = "id") -> Laporan:
    data = pd.DataFrame(
        {
            "kode": ["64.08.01", "64.08.02"],
            "krs": [1500, 320],
            "persen": [20.64, 7.0],
            "biaya": [15_000_000_000, 0],
            "tanggal": [date(2026, 8, 31), None],
        }
    )
    kolom = [
        Kolom("kode", "Kode wilayah"),
        Kolom("krs", "KRS", "angka"),
        Kolom("persen", "Stunting (%)", "persen"),
        Kolom("biaya", "Anggaran", "rupiah"),
        Kolom("tanggal", "Tanggal", "tanggal"),
        Kolom("cek", "Ada", "centang"),
    ]
    long = "Tabel dengan judul yang sangat panjang sekali melebihi batas"
    return Laporan(
        jenis="uji",
        judul="Laporan uji",
        subjudul="Kabupaten Kutai Timur",
        lang=lang,  # type: ignore[arg-type]
        bagian=[
            Bagian(
                "Bagian satu",
                [
                    Angka([("KRS", "1.820"), ("Stunting", "20,6 %")]),
                    Paragraf("Sebuah paragraf."),
                    Tabel(
                        "Per kecamatan",
                        kolom,
                        data,
                        catatan="catatan kaki",
                        total={"kode": "Jumlah", "krs": 1820},
                        lembar="Kecamatan",
                    ),
                    Gambar(_png(), "Peta"),
                ],
            ),
            Bagian(
                "Bagian dua",
                [
                    Tabel(long, kolom[:2], data[["kode", "krs"]]),
                    Tabel(long, kolom[:2], data[["kode", "krs"]]),
                    Tabel("Kecamatan", kolom[:2], data.iloc[:0][["kode", "krs"]]),
                    TandaTangan(["Kepala Desa"]),
                ],
            ),
        ],
        tentang={"about_laporan": "uji", "about_tanggal_acuan": date(2026, 8, 31)},
    )


def test_to_xlsx_writes_a_report_for_people(tmp_path: Path) -> None:
    out = tmp_path / "lap.xlsx"
    assert to_xlsx(_laporan(), out) == 2 + 2 + 2 + 0
    book = openpyxl.load_workbook(out)
    long = "Tabel dengan judul yang sangat panjang sekali melebihi batas"
    assert book.sheetnames == [
        "Ringkasan",
        "Kecamatan",
        long[:31].strip(),
        long[:27] + " (2)",
        "Kecamatan (2)",
        "Gambar",
        "Kamus",
        "Keterangan",
    ]
    assert all(len(n) <= 31 for n in book.sheetnames)
    summary = [c for r in book["Ringkasan"].iter_rows(values_only=True) for c in r if c]
    for text in ("Laporan uji", "Kabupaten Kutai Timur", "Bagian satu", "KRS", "1.820"):
        assert text in summary
    assert "Sebuah paragraf." in summary and "Per kecamatan" in summary

    ws = book["Kecamatan"]
    assert ws["A1"].value == "Per kecamatan" and ws["A2"].value == "catatan kaki"
    header_row = 4  # title, note, an empty line, then the headings
    assert [c.value for c in ws[header_row]] == [
        "Kode wilayah",
        "KRS",
        "Stunting (%)",
        "Anggaran",
        "Tanggal",
        "Ada",
    ]
    assert ws.freeze_panes == f"A{header_row + 1}"
    assert ws.auto_filter.ref == f"A{header_row}:F{header_row + 2}"
    row = ws[header_row + 1]
    assert row[1].value == 1500 and row[1].number_format == "#,##0"
    assert row[2].number_format == "0.0"
    assert row[3].number_format == '"Rp" #,##0'
    assert row[4].number_format == "dd/mm/yyyy"
    assert row[5].value is None and row[5].border.left.style == "thin"  # a box to tick
    total = ws[header_row + 3]
    assert total[0].value == "Jumlah" and total[1].value == 1820 and total[1].font.b

    assert book["Gambar"]._images  # the picture is in the workbook
    kamus = list(book["Kamus"].iter_rows(values_only=True))
    assert [r[1] for r in kamus[1:]] == ["kode", "krs", "persen", "biaya", "tanggal", "cek"]
    about = {r[0]: r[1] for r in book["Keterangan"].iter_rows(values_only=True)}
    assert about == {"Laporan": "uji", "Tanggal acuan": "31/08/2026"}


def test_to_xlsx_in_english_and_empty(tmp_path: Path) -> None:
    laporan = _laporan("en")
    laporan.bagian = []
    laporan.kosong = "Nothing to report: no assessment yet."
    out = tmp_path / "empty.xlsx"
    assert to_xlsx(laporan, out) == 0
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Summary", "Codes", "About"]
    cells = [c for r in book["Summary"].iter_rows(values_only=True) for c in r if c]
    assert "Nothing to report: no assessment yet." in cells


@pytest.mark.parametrize("bad", ["[x]", "a/b:c*?", "'"])
def test_sheet_names_excel_refuses_are_cleaned(tmp_path: Path, bad: str) -> None:
    laporan = _laporan()
    laporan.bagian = [
        Bagian("b", [Tabel(bad, [Kolom("kode", "Kode")], pd.DataFrame({"kode": []}))])
    ]
    out = tmp_path / "n.xlsx"
    to_xlsx(laporan, out)
    names = openpyxl.load_workbook(out).sheetnames
    assert len(names) == 4 and not any(ch in names[1] for ch in "[]:*?/\\")
