"""The command line's traps an officer met (issue 14, item 7) and rupiah as officers write them:
reports in a folder of their own, a report or a file of another kind refused before anything is
written, no assessment of an empty registry, Typer's help and errors in Indonesian, and one
rupiah parser for every budget."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import create_engine, func, select
from typer.testing import CliRunner

from sinergi.cli import UserError, app
from sinergi.core import display
from sinergi.core.rupiah import MAX_RUPIAH, RupiahError, parse_rupiah
from sinergi.ingest import parsers
from sinergi.store.tables import assessment_runs, import_batches
from tests.helpers import KELUARGA_HEADER, clean_family, person, write_csv, write_xlsx

runner = CliRunner()

P3KE_HEADER = [
    "No KK",
    "NIK Kepala Keluarga",
    "Nama Kepala Keluarga",
    "Kode Desa",
    "Alamat",
    "Desil Kesejahteraan",
    "Penerima PKH",
    "Penerima BPNT",
    "Pengeluaran per Kapita",
]
P3KE_ROW = [
    "6408010101200001",
    "6408010101880002",
    "Budi",
    "6408012001",
    "Jl. A",
    "1",
    "Ya",
    "T",
    "",
]


def _roster_with_one_bad_row(folder: Path, name: str = "kel.csv") -> Path:
    rows = clean_family() + [
        person("6408010101200001", "6.40801E+15", "Anak", "L", "01/01/2021", "Anak", "Belum Kawin")
    ]
    folder.mkdir(parents=True, exist_ok=True)
    return write_csv(folder / name, KELUARGA_HEADER, rows)


def _batches(url: str) -> int:
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(import_batches)).scalar_one())
    finally:
        engine.dispose()


# --- reports in their own folder ----------------------------------------------------------------


def test_reports_go_to_their_own_folder_named_by_file_kind_and_moment(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    sources = tmp_path / "keluarga"
    first = _roster_with_one_bad_row(sources / "kec1", "data.csv")
    second = _roster_with_one_bad_row(sources / "kec2", "data.csv")
    for f in (first, second):
        res = runner.invoke(
            app,
            ["import", "keluarga", str(f), "--db", db_url, "--dry-run", "--as-of", "2026-08-31"],
        )
        assert res.exit_code == 0, res.output
    # Nothing beside the sources: a later `keluarga/*` loop meets only source files.
    assert sorted(p.name for p in sources.rglob("*") if p.is_file()) == ["data.csv", "data.csv"]
    reports = sorted((tmp_path / "laporan").iterdir())
    assert len(reports) == 2  # same name, same kind, same second: neither overwrote the other
    assert all(p.name.startswith("data.keluarga.") for p in reports)
    assert all(p.name.endswith(".laporan.xlsx") for p in reports)
    ws = openpyxl.load_workbook(reports[0]).active
    assert ws is not None and [c.value for c in ws[2]][2:4] == [5, "NIK"]


def test_laporan_option_names_the_folder(sqlite_url: str, tmp_path: Path) -> None:
    f = _roster_with_one_bad_row(tmp_path / "src")
    folder = tmp_path / "out" / "reports"
    res = runner.invoke(
        app, ["import", "keluarga", str(f), "--db", sqlite_url, "--laporan", str(folder)]
    )
    assert res.exit_code == 0, res.output
    [report] = folder.iterdir()
    assert str(report) in res.output.replace("\n", "")


def test_a_report_is_never_imported(db_url: str, tmp_path: Path) -> None:
    f = _roster_with_one_bad_row(tmp_path / "src")
    folder = tmp_path / "laporan"
    runner.invoke(app, ["import", "keluarga", str(f), "--db", db_url, "--laporan", str(folder)])
    [report] = folder.iterdir()
    before = _batches(db_url)
    csv_report = tmp_path / "r.csv"
    runner.invoke(
        app,
        ["import", "keluarga", str(f), "--db", db_url, "--dry-run", "--report", str(csv_report)],
    )
    for again in (report, csv_report):
        res = runner.invoke(
            app, ["import", "keluarga", str(again), "--db", db_url, "--laporan", str(folder)]
        )
        assert res.exit_code == 2
        assert "laporan validasi Sinergi, bukan berkas sumber" in res.output
    assert _batches(db_url) == before  # nothing was written: no batch
    assert list(folder.iterdir()) == [report]  # and no report about the report


# --- a file of another kind ---------------------------------------------------------------------


def test_a_file_of_another_kind_is_refused_naming_the_better_kind(
    db_url: str, tmp_path: Path
) -> None:
    roster = _roster_with_one_bad_row(tmp_path / "src")
    p3ke = write_xlsx(tmp_path / "src" / "p3ke.xlsx", P3KE_HEADER, [P3KE_ROW])
    folder = tmp_path / "laporan"
    before = _batches(db_url)
    res = runner.invoke(
        app, ["import", "p3ke", str(roster), "--db", db_url, "--laporan", str(folder)]
    )
    assert res.exit_code == 2
    assert "cocok dengan jenis 'keluarga'" in res.output and "bukan 'p3ke'" in res.output
    res = runner.invoke(
        app,
        ["import", "keluarga", str(p3ke), "--db", db_url, "--laporan", str(folder), "--lang", "en"],
    )
    assert res.exit_code == 2
    assert "matches the kind 'p3ke'" in res.output and "not 'keluarga'" in res.output
    assert _batches(db_url) == before
    assert not folder.exists()  # no report either


def test_a_file_that_fits_its_kind_is_not_sent_elsewhere(sqlite_url: str, tmp_path: Path) -> None:
    # A roster with only a few of its columns is refused for the missing column, as before.
    f = write_csv(tmp_path / "kel.csv", ["No KK", "Nama"], [["6408010101200001", "Budi"]])
    res = runner.invoke(
        app,
        ["import", "keluarga", str(f), "--db", sqlite_url, "--laporan", str(tmp_path / "l")],
    )
    assert res.exit_code == 2 and "Kolom wajib 'NIK'" in res.output


# --- assess on an empty registry ----------------------------------------------------------------


def test_assess_refuses_an_empty_registry(db_url: str) -> None:
    res = runner.invoke(app, ["assess", "--date", "2026-08-31", "--db", db_url])
    assert isinstance(res.exception, UserError)
    assert "Registri belum berisi keluarga" in str(res.exception)
    res = runner.invoke(app, ["assess", "--db", db_url, "--lang", "en"])
    assert "The registry holds no families yet" in str(res.exception)
    engine = create_engine(db_url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(assessment_runs)).scalar_one() == 0
    engine.dispose()


def test_main_exits_non_zero_with_the_sentence(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from sinergi import cli

    monkeypatch.setattr("sys.argv", ["sinergi", "assess", "--db", sqlite_url])
    with pytest.raises(SystemExit) as exit_:
        cli.main()
    assert exit_.value.code == 2
    assert "Registri belum berisi keluarga" in capsys.readouterr().err


# --- Typer's own words --------------------------------------------------------------------------


def test_help_is_indonesian_by_default_and_english_on_request() -> None:
    res = runner.invoke(app, ["import", "--help"])
    assert res.exit_code == 0
    for words in ("Penggunaan:", "Argumen", "Opsi", "Tampilkan bantuan ini lalu keluar."):
        assert words in res.output
    assert "Impor satu berkas sumber" in res.output and "[wajib]" in res.output
    assert "Usage:" not in res.output and "Show this message" not in res.output
    res = runner.invoke(app, ["import", "--help", "--lang", "en"])
    for words in ("Usage:", "Arguments", "Options", "Show this message and exit."):
        assert words in res.output
    assert "Import one source file" in res.output
    top = runner.invoke(app, ["--help"])
    assert "Perintah" in top.output and "Pilih keluarga" in top.output


@pytest.mark.parametrize(
    ("args", "indonesian", "english"),
    [
        (["import"], "Argumen 'kind' wajib diisi.", "Missing argument 'kind'."),
        (["assess", "--bogus"], "Opsi tidak dikenal: --bogus", "No such option: --bogus"),
        (
            ["serve", "--port", "x"],
            "Nilai tidak sah untuk '--port': harus bilangan bulat",
            "Invalid value for '--port': Input should be a valid integer",
        ),
        (["serve", "--port"], "Opsi '--port' memerlukan nilai.", "requires an argument"),
        (["imprt"], "Perintah 'imprt' tidak dikenal. Maksudnya 'import'?", "Did you mean"),
    ],
)
def test_parsing_errors_in_the_readers_language(
    args: list[str], indonesian: str, english: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sinergi.settings import get_settings

    res = runner.invoke(app, args)
    assert res.exit_code == 2
    assert indonesian in res.output and "Kesalahan" in res.output
    # `serve` has no --lang: SINERGI_LANG asks for English everywhere.
    monkeypatch.setenv("SINERGI_LANG", "en")
    get_settings.cache_clear()
    try:
        res = runner.invoke(app, args)
    finally:
        monkeypatch.delenv("SINERGI_LANG")
        get_settings.cache_clear()
    assert res.exit_code == 2 and english in res.output and "Error" in res.output


def test_a_parsing_error_points_to_the_help_in_the_readers_language() -> None:
    res = runner.invoke(app, ["import", "keluarga"])
    assert "Lihat 'sinergi import --help' untuk bantuan." in res.output
    assert "Argumen 'file' wajib diisi." in res.output
    res = runner.invoke(app, ["import", "keluarga", "--lang", "en"])
    assert "Try 'sinergi import --help' for help." in res.output
    assert "Missing argument 'file'." in res.output


def test_sinergi_lang_selects_english(monkeypatch: pytest.MonkeyPatch) -> None:
    from sinergi.settings import get_settings

    monkeypatch.setenv("SINERGI_LANG", "en")
    get_settings.cache_clear()
    try:
        res = runner.invoke(app, ["assess", "--help"])
        assert "Usage:" in res.output and "Classify every family" in res.output
    finally:
        monkeypatch.delenv("SINERGI_LANG")
        get_settings.cache_clear()


# --- rupiah -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["1.200.000.000", "Rp 1,2 M", "1,2 miliar", "1.2e9", "1200000000", "Rp. 1200 juta"]
    + ["1,200,000,000", "1,2e9", "1_200_000_000", "1.2 billion", "Rp 1.200.000.000,00"],
)
def test_a_budget_the_indonesian_way(text: str) -> None:
    assert parse_rupiah(text) == 1_200_000_000


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("1.500 juta", "rupiah_ambigu"),
        ("1,500 M", "rupiah_ambigu"),
        ("satu miliar", "rupiah_tidak_valid"),
        ("1,2 X", "rupiah_tidak_valid"),
        ("-5", "rupiah_tidak_valid"),
        ("", "rupiah_tidak_valid"),
        ("1e30", "rupiah_terlalu_besar"),
    ],
)
def test_ambiguous_or_invalid_text_gets_a_sentence(text: str, code: str) -> None:
    with pytest.raises(RupiahError) as exc:
        parse_rupiah(text)
    assert exc.value.code == code
    assert f"'{text}'" in exc.value.message("id") and f"'{text}'" in exc.value.message("en")


def test_ambiguity_names_both_readings() -> None:
    with pytest.raises(RupiahError) as exc:
        parse_rupiah("1.500 juta")
    assert "Rp 1.500.000 atau Rp 1.500.000.000" in exc.value.message("id")
    assert "Rp 1,500,000 or Rp 1,500,000,000" in exc.value.message("en")


AMOUNTS = st.integers(min_value=0, max_value=MAX_RUPIAH)


@given(AMOUNTS, st.sampled_from(["", "Rp ", "Rp. ", "rp"]))
def test_every_amount_written_either_way_reads_back(amount: int, prefix: str) -> None:
    for text in (str(amount), display.num(amount, "id"), display.num(amount, "en")):
        assert parse_rupiah(prefix + text) == amount


@given(st.integers(min_value=1, max_value=999), st.integers(min_value=0, max_value=9))
def test_a_decimal_comma_with_a_scale_word(whole: int, tenth: int) -> None:
    expected = (whole * 10 + tenth) * 10**8
    assert parse_rupiah(f"{whole},{tenth} M") == expected
    assert parse_rupiah(f"Rp {whole},{tenth} miliar") == expected
    assert parse_rupiah(f"{whole}.{tenth}e9") == expected
    assert parse_rupiah(f"{whole},{tenth} juta") == expected // 1000


@given(st.text(alphabet="0123456789.,eE+- RrpMmiliarjutbn_", max_size=24) | st.text(max_size=24))
def test_any_text_is_an_amount_or_a_sentence(text: str) -> None:
    try:
        amount = parse_rupiah(text)
    except RupiahError as exc:
        assert exc.message("id") and exc.message("en")
        assert parsers.money_value(text).code is not None  # the import reads it the same way
        return
    assert 0 <= amount <= MAX_RUPIAH
    assert parsers.money_value(text).value == amount


def test_budget_options_read_rupiah_before_opening_anything(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'none.db'}"
    for command in (["allocate", "pmt-baznas"], ["prioritize", "air-bersih"]):
        res = runner.invoke(
            app, [*command, "--budget", "1.500 juta", "--out", "x.xlsx", "--db", url]
        )
        assert isinstance(res.exception, UserError)
        assert "--budget: '1.500 juta' dapat dibaca sebagai" in str(res.exception)
    res = runner.invoke(
        app,
        ["scenario", "air-bersih", "--budgets", "5 M;1,2 miliar;abc", "--out", "x.xlsx"]
        + ["--db", url, "--lang", "en"],
    )
    assert "--budgets: 'abc' is not a rupiah amount" in str(res.exception)
    assert not (tmp_path / "none.db").exists()


def test_allocate_within_rp_1_2_m(sqlite_url: str, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "kel.csv", KELUARGA_HEADER, clean_family())
    assert runner.invoke(app, ["import", "keluarga", str(f), "--db", sqlite_url]).exit_code == 0
    res = runner.invoke(app, ["assess", "--date", "2026-08-31", "--db", sqlite_url])
    assert res.exit_code == 0, res.output
    out = tmp_path / "usulan.xlsx"
    res = runner.invoke(
        app,
        ["allocate", "pmt-baznas", "--budget", "Rp 1,2 M", "--out", str(out)]
        + ["--db", sqlite_url],
    )
    assert res.exit_code == 0, res.output
    about = {row[0]: row[1] for row in openpyxl.load_workbook(out).worksheets[-1].values}
    assert "Rp 1.200.000.000" in about.values()
