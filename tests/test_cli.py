"""The `sinergi` command line as an officer uses it: exit codes, messages, reports."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from sinergi.cli import app
from tests.helpers import KELUARGA_HEADER, clean_family, person, write_csv

runner = CliRunner()


def test_import_writes_an_excel_report_and_reimport_says_nothing_changed(db_url, tmp_path) -> None:
    rows = clean_family() + [
        person("6408010101200001", "6.40801E+15", "Anak", "L", "01/01/2021", "Anak", "Belum Kawin")
    ]
    f = write_csv(tmp_path / "kel.csv", KELUARGA_HEADER, rows)
    report = tmp_path / "laporan.xlsx"
    res = runner.invoke(
        app,
        ["import", "keluarga", str(f), "--report", str(report), "--db", db_url]
        + ["--as-of", "2026-08-31"],
    )
    assert res.exit_code == 0, res.output
    assert "4 baris dibaca, 3 dimuat, 1 ditolak" in res.output
    ws = openpyxl.load_workbook(report).active
    header = [c.value for c in ws[1]]
    assert header[:7] == ["berkas", "sheet", "baris", "kolom", "nilai", "tingkat", "alasan"]
    assert [c.value for c in ws[2]][2:6] == [5, "NIK", "6.40801E+15", "ditolak"]
    assert "Excel" in ws.cell(2, 7).value
    again = runner.invoke(app, ["import", "keluarga", str(f), "--db", db_url])
    assert again.exit_code == 0 and "sudah pernah diimpor" in again.output


def test_refused_file_exits_2_and_names_the_column(sqlite_url: str, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "kel.csv", ["No KK", "Nama"], [["6408010101200001", "Budi"]])
    res = runner.invoke(
        app,
        ["import", "keluarga", str(f), "--db", sqlite_url, "--lang", "en"]
        + ["--laporan", str(tmp_path / "laporan")],
    )
    assert res.exit_code == 2
    assert "Required column 'NIK' is missing" in res.output


def test_english_csv_report(sqlite_url: str, tmp_path: Path) -> None:
    rows = clean_family()
    rows[0][4] = "31/02/1988"
    f = write_csv(tmp_path / "kel.csv", KELUARGA_HEADER, rows)
    report = tmp_path / "r.csv"
    res = runner.invoke(
        app,
        [
            "import",
            "keluarga",
            str(f),
            "--db",
            sqlite_url,
            "--lang",
            "en",
            "--report",
            str(report),
            "--dry-run",
            "--as-of",
            "2026-08-31",
        ],
    )
    assert res.exit_code == 0 and "Dry run" in res.output
    with report.open(encoding="utf-8-sig") as fh:
        lines = list(csv.DictReader(fh))
    assert [(x["baris"], x["kolom"], x["nilai"], x["kode"]) for x in lines] == [
        ("2", "Tanggal Lahir", "31/02/1988", "tanggal_tidak_valid")
    ]
    assert lines[0]["alasan"].startswith("Date not recognised")


def test_unknown_kind_and_missing_file_are_user_errors(sqlite_url: str, tmp_path: Path) -> None:
    from sinergi.cli import UserError

    res = runner.invoke(app, ["import", "kk", str(tmp_path / "x.csv"), "--db", sqlite_url])
    assert isinstance(res.exception, UserError)
    res = runner.invoke(app, ["import", "keluarga", str(tmp_path / "none.csv"), "--db", sqlite_url])
    assert isinstance(res.exception, UserError) and "tidak ada" in str(res.exception)


def test_wilayah_tree() -> None:
    res = runner.invoke(app, ["wilayah", "64.08"])
    assert res.exit_code == 0
    assert "Kabupaten Kutai Timur" in res.output and "Sangatta Utara" in res.output
    assert "Teluk Lingga" in res.output
