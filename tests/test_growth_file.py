"""``sinergi anthro`` on files as they arrive: typed spreadsheet cells, a Windows-1252 CSV, and the
hostile corpus (tests/hostile.py), which the bounded reader answers with a sentence.

The hostile files run through the real CLI in a child process, as an officer would run it: before
the file I/O went through ``read_table``, a 5 KB XLSX with one cell at ZZ400000 made calamine
allocate a grid of about 9 GB, and a zip bomb unpacked 1 GB of text.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import pandas as pd
import pytest
import xlsxwriter
from typer.testing import CliRunner

from sinergi.assess.growth_file import GrowthFileError, score_file
from sinergi.assess.zscores import compute_zscores
from sinergi.cli import app
from sinergi.ingest.reader import ReadError, read_table
from sinergi.messages import t
from sinergi.settings import get_settings
from tests import hostile
from tests.hostile import CORPUS, run_measured

SINERGI = Path(sys.executable).with_name("sinergi")
REFUSED = [name for name, case in CORPUS.items() if case.refusal]
runner = CliRunner()


def words(text: str) -> str:
    """The text with every run of white space as one space (the console wraps long lines)."""
    return " ".join(text.split())


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return hostile.build_corpus(tmp_path_factory.mktemp("hostile"))


@pytest.mark.parametrize("name", REFUSED)
def test_anthro_answers_a_hostile_file_with_the_readers_sentence(
    corpus: dict[str, Path], name: str, tmp_path: Path
) -> None:
    path = corpus[name]
    with pytest.raises(ReadError) as info:
        read_table(path)
    assert info.value.code == CORPUS[name].refusal
    sentence = t(info.value.code, get_settings().lang, **info.value.params)
    out = tmp_path / "hasil.xlsx"
    env = {**os.environ, "SINERGI_LOG": str(tmp_path / "error.log"), "COLUMNS": "300"}
    run = run_measured([str(SINERGI), "anthro", str(path), "-o", str(out)], tmp_path, env)
    assert "Traceback" not in run.output and "kesalahan tak terduga" not in run.output, run.output
    assert run.exit == 2, run.output
    assert words(sentence) in words(run.output), run.output
    assert not out.exists()
    assert run.peak_mib < 500, f"{name}: {run.peak_mib:.0f} MB"


def test_anthro_reads_a_windows_1252_csv_and_says_so(tmp_path: Path) -> None:
    src = tmp_path / "ansi.csv"
    src.write_bytes(
        b"Nama;JK;Tgl Lahir;Tgl Ukur;BB;TB;Cara Ukur;Catatan\r\n"
        b"Andr\xe9;L;01/01/2024;01/07/2025;9,5;78,0;Berbaring;Sumur \x96 Pipa\r\n"
        b"Ani;P;12 Peb 2024;12 Nopember 2025;8,8;76,5;Berbaring;\x81\r\n"
    )
    (note,) = read_table(src).notes
    out = tmp_path / "hasil.csv"
    res = runner.invoke(app, ["anthro", str(src), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert words(t(note.code, get_settings().lang, **note.params)) in words(res.output)
    df = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(df.Nama) == ["André", "Ani"]
    assert list(df.alasan) == ["", ""]
    assert list(df.umur_hari) == ["547", "639"]


def test_score_xlsx_typed_cells_arrive_as_the_reader_shows_them(tmp_path: Path) -> None:
    src = tmp_path / "ukur.xlsx"
    wb = xlsxwriter.Workbook(src)
    ws = wb.add_worksheet()
    stamp = wb.add_format({"num_format": "dd/mm/yyyy hh:mm"})
    ws.write_row(0, 0, ["NIK", "JK", "Tgl Lahir", "Tgl Ukur", "BB", "TB", "Cara Ukur"])
    ws.write_string(1, 0, "6408014101230001")
    ws.write_number(1, 1, 2)  # a sex code a spreadsheet stored as a number
    ws.write_datetime(1, 2, dt.datetime(2023, 1, 10, 8, 30), stamp)
    # A measurement date left as an Excel serial number with a time of day (18:00).
    ws.write_number(1, 3, (dt.date(2024, 1, 10) - dt.date(1899, 12, 30)).days + 0.75)
    ws.write_row(1, 4, [8.1, 71, "berbaring"])
    wb.close()
    out = tmp_path / "hasil.xlsx"
    summary = score_file(src, out)
    df = pd.read_excel(out, engine="calamine", dtype=object)
    assert summary.rows == 1 and summary.scored == 1 and summary.notes == ()
    assert df.umur_hari[0] == 365
    assert (df.NIK[0], df.BB[0], df.TB[0]) == ("6408014101230001", "8.1", "71")
    expected = compute_zscores(["P"], ["2023-01-10"], ["2024-01-10"], [8.1], [71.0], ["L"])
    assert df.zs_tbu[0] == pytest.approx(expected.zs_tbu[0])


def test_anthro_finds_columns_by_the_headers_ingest_knows(tmp_path: Path) -> None:
    """The headers of the e-PPGBM kind (ingest.schema), its aliases and the short names of the
    CLI's template find the same columns; the missing ones are named by their e-PPGBM header."""
    rows = "L;01/01/2024;01/07/2025;9,5;78,0;berbaring\n"
    for header in (
        "jk;tgl_lahir;tgl_ukur;berat;tinggi;cara_ukur",
        "Sex;Tanggal Lahir Anak;Tanggal Penimbangan;Berat Badan (kg);Panjang/Tinggi;Posisi Ukur",
        "JK (L/P);Tgl. Lahir;Tgl Pengukuran;BB (kg);PB/TB;Cara Pengukuran",
    ):
        src = tmp_path / "ukur.csv"
        src.write_text(header + "\n" + rows, encoding="utf-8")
        summary = score_file(src, tmp_path / "hasil.csv")
        assert (summary.rows, summary.scored) == (1, 1), header
    src.write_text("Nama;JK;Tgl Lahir;Tgl Ukur\nAni;P;01/01/2024;01/07/2025\n", encoding="utf-8")
    with pytest.raises(GrowthFileError) as err:
        score_file(src, tmp_path / "hasil.csv")
    assert err.value.code == "kolom_berat_tinggi_hilang"
    assert "'Berat'" in str(err.value) and "'Tinggi'" in str(err.value)
    with pytest.raises(GrowthFileError) as err:
        score_file(src, tmp_path / "hasil.pdf")
    assert err.value.code == "hasil_harus_csv_xlsx" and "hasil.pdf" in str(err.value)
