"""`sinergi batch`: the national jobs over a Parquet extract give the app's own answers.

A synthetic regency is imported and assessed by the app (SQLite), exported as a registry extract
(`sinergi export parquet`), and the batch jobs run over it on DuckDB and on Spark (local mode, one
session for the module): the DuckDB assessment equals the app's stored run family by family, and
every job gives identical rows on both engines.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine, select
from typer.testing import CliRunner

from sinergi.batch.engine import Extract, close_extract, open_extract, read_result
from sinergi.batch.jobs import (
    ASSESS_COLUMNS,
    NOT_IN_EXTRACT,
    assess_counts,
    run_assess,
    run_coverage,
)
from sinergi.rules import load_ruleset
from sinergi.store.tables import persons
from tests.conftest import SYNTH_REF
from tests.regency import decease, import_regency, merge_p3ke, mistype_kk, move_away

RULESET = "krs-2024"


@pytest.fixture(scope="module")
def regency(tmp_path_factory: pytest.TempPathFactory, synth_regency: Path) -> Engine:
    """The synthetic regency in SQLite, assessed by the app, with what the rules leave out: a
    few P3KE families merged into a roster KK, a family moved away, a deceased member; and a few
    agency-list rows whose No KK was mistyped, found by their NIK."""
    from sinergi.assess.run import assess
    from sinergi.store.db import ensure_schema

    path = tmp_path_factory.mktemp("batchdb") / "regency.db"
    engine = import_regency(ensure_schema(f"sqlite:///{path}"), synth_regency)
    with engine.begin() as conn:
        merge_p3ke(conn, 3)
        assert len(mistype_kk(conn, 20)) == 20
        move_away(conn)
        wife = conn.execute(
            select(persons.c.nik).where(persons.c.hubungan == "istri").limit(1)
        ).scalar_one()
        decease(conn, wife)
    assess(engine, load_ruleset(RULESET), SYNTH_REF)
    return engine


@pytest.fixture(scope="module")
def extract_dir(regency: Engine, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The regency's registry as `sinergi export parquet` writes it."""
    from sinergi.batch.export import export_registry
    from sinergi.security.auth import server_user

    folder = tmp_path_factory.mktemp("extract")
    export_registry(regency, folder, server_user(None), via="cli")
    return folder


@pytest.fixture(scope="module")
def duckdb_extract(extract_dir: Path) -> Iterator[Extract]:
    extract = open_extract("duckdb", extract_dir, memory_limit="1GB", threads=2)
    yield extract
    close_extract(extract)


@pytest.fixture(scope="module")
def spark_extract(extract_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Extract]:
    extract = open_extract(
        "spark", extract_dir, memory_limit="1GB", temp_dir=tmp_path_factory.mktemp("sparktmp")
    )
    yield extract
    close_extract(extract)


def _sorted(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    return frame.sort_values(keys).reset_index(drop=True)


def test_duckdb_assessment_equals_the_apps_stored_run(
    regency: Engine, duckdb_extract: Extract, tmp_path: Path
) -> None:
    run_assess(duckdb_extract, load_ruleset(RULESET), SYNTH_REF, tmp_path)
    ours = _sorted(read_result(tmp_path, "assess"), ["no_kk"])
    with regency.connect() as conn:
        app = pd.read_sql(
            "select no_kk, kode_desa, sasaran, krs, faktor, miskin_ekstrem, pasangan "
            "from assessment_families order by no_kk",
            conn,
        )
    assert list(ours.columns) == list(ASSESS_COLUMNS)
    assert len(ours) == len(app) > 500
    for col in ("krs", "miskin_ekstrem"):
        app[col] = app[col].astype("int64")
    pd.testing.assert_frame_equal(ours[app.columns], app, check_dtype=False)
    assert (ours["provinsi"] == "64").all()
    # Names and NIKs at rest: the result, like the extract it was read from, is its owner's only.
    for tree in (tmp_path / "assess", duckdb_extract.folder):
        modes = {path.stat().st_mode & 0o777 for path in [tree, *tree.rglob("*")]}
        assert modes <= {0o700, 0o600}, (tree, modes)
    counts = assess_counts(tmp_path / "assess").set_index("provinsi").loc["64"]
    assert counts["keluarga"] == len(app)
    assert counts["krs"] == int(app["krs"].sum()) > 0


def test_spark_assessment_equals_duckdb(
    duckdb_extract: Extract, spark_extract: Extract, tmp_path: Path
) -> None:
    rs = load_ruleset(RULESET)
    run_assess(duckdb_extract, rs, SYNTH_REF, tmp_path / "duckdb")
    run_assess(spark_extract, rs, SYNTH_REF, tmp_path / "spark")
    duck = _sorted(read_result(tmp_path / "duckdb", "assess"), ["no_kk"])
    spark = _sorted(read_result(tmp_path / "spark", "assess"), ["no_kk"])
    assert len(duck) > 500 and duck["krs"].sum() > 0
    pd.testing.assert_frame_equal(spark[duck.columns], duck)


def test_duckdb_coverage_equals_the_apps_coverage(
    regency: Engine, duckdb_extract: Extract, tmp_path: Path
) -> None:
    """Every figure `sinergi coverage` gives and an extract can give, per village, kecamatan
    and regency, equals the app's own (the regency's delivery records are agency lists)."""
    from sinergi.monitor.coverage import coverage

    run_coverage(duckdb_extract, load_ruleset(RULESET), SYNTH_REF, tmp_path)
    ours = read_result(tmp_path, "coverage")
    assert set(ours["tingkat"]) == {"desa", "kecamatan", "kabupaten", "provinsi"}
    for level in ("desa", "kecamatan", "kabupaten"):
        app = coverage(regency, level=level).set_index("kode_wilayah")
        rows = ours[ours["tingkat"] == level].set_index("kode_wilayah")
        assert sorted(rows.index) == sorted(app.index)
        assert [c for c in app.columns if c not in rows.columns] == list(NOT_IN_EXTRACT)
        shared = [c for c in app.columns if c in rows.columns]
        got = rows.loc[app.index, shared].astype(object).where(rows[shared].notna(), None)
        pd.testing.assert_frame_equal(got, app[shared].astype(object), check_dtype=False)
    kabupaten = ours[ours["tingkat"] == "kabupaten"].iloc[0]
    assert kabupaten["krs_tanpa_intervensi"] < kabupaten["krs"]  # some were reached
    # Among them KRS families reached only by a row with a mistyped No KK (found by its NIK).
    with regency.connect() as conn:
        found_by_nik = pd.read_sql(
            "select a.krs from interventions i join persons p on p.nik = i.nik "
            "join assessment_families a on a.no_kk = p.no_kk where i.no_kk like '99%'",
            conn,
        )
    assert len(found_by_nik) == 20 and found_by_nik["krs"].sum() > 0
    province = ours[ours["tingkat"] == "provinsi"].set_index("kode_wilayah").loc["64"]
    assert province["krs"] == kabupaten["krs"] and province["nama_wilayah"] == "Kalimantan Timur"


def test_spark_coverage_equals_duckdb(
    duckdb_extract: Extract, spark_extract: Extract, tmp_path: Path
) -> None:
    rs = load_ruleset(RULESET)
    run_coverage(duckdb_extract, rs, SYNTH_REF, tmp_path / "duckdb")
    run_coverage(spark_extract, rs, SYNTH_REF, tmp_path / "spark")
    keys = ["tingkat", "kode_wilayah"]
    duck = _sorted(read_result(tmp_path / "duckdb", "coverage"), keys)
    spark = _sorted(read_result(tmp_path / "spark", "coverage"), keys)
    assert len(duck) > 100
    pd.testing.assert_frame_equal(spark[duck.columns], duck)


def test_cli_runs_each_job_and_refuses_a_folder_that_is_no_extract(
    extract_dir: Path, regency: Engine, tmp_path: Path
) -> None:
    from sinergi.cli import UserError, app

    runner = CliRunner()
    common = ["--input", str(extract_dir), "--out", str(tmp_path), "--memory-limit", "1GB"]
    common += ["--date", SYNTH_REF.isoformat(), "--ruleset", RULESET, "--lang", "en"]
    common += ["--db", str(regency.url)]
    for job in ("assess", "coverage"):
        result = runner.invoke(app, ["batch", job, *common])
        assert result.exit_code == 0, result.output
        assert f"batch {job} (duckdb)" in result.output and "By province" in result.output
        assert (tmp_path / job / "provinsi=64").is_dir()
    families = len(read_result(tmp_path, "assess"))
    assert f"{families:,} rows written" in runner.invoke(app, ["batch", "assess", *common]).output

    bad = runner.invoke(
        app,
        ["batch", "assess", *common[-2:], "--input", str(tmp_path), "--out", str(tmp_path / "x")],
    )
    assert isinstance(bad.exception, UserError)
    assert "sinergi export parquet" in str(bad.exception)
    unknown = runner.invoke(app, ["batch", "assess", *common, "--engine", "flink"])
    assert isinstance(unknown.exception, UserError) and "flink" in str(unknown.exception)
    memory = runner.invoke(
        app, ["batch", "coverage", *common[:4], *common[-2:], "--memory-limit", "lots"]
    )
    assert isinstance(memory.exception, UserError) and "16GB" in str(memory.exception)


def test_cli_says_when_a_job_outgrows_its_memory_limit(
    extract_dir: Path, regency: Engine, tmp_path: Path
) -> None:
    """DuckDB running out of ``--memory-limit`` is the officer's error to fix (a larger limit,
    fewer provinces), said as such; the earlier result stays."""
    from sinergi.cli import UserError, app

    runner = CliRunner()
    common = ["--input", str(extract_dir), "--out", str(tmp_path), "--lang", "en"]
    common += ["--date", SYNTH_REF.isoformat(), "--ruleset", RULESET, "--db", str(regency.url)]
    assert runner.invoke(app, ["batch", "assess", *common]).exit_code == 0
    before = read_result(tmp_path, "assess")
    tight = runner.invoke(app, ["batch", "assess", *common, "--memory-limit", "2MB"])
    assert isinstance(tight.exception, UserError), tight.output
    assert "Not enough memory for this job within --memory-limit 2MB" in str(tight.exception)
    assert "--provinsi" in str(tight.exception)
    pd.testing.assert_frame_equal(read_result(tmp_path, "assess"), before)
    assert not list(tmp_path.glob(".sementara-*"))  # DuckDB's spill folder went with the job


def test_every_batch_result_is_recorded_in_the_registrys_audit_log(
    extract_dir: Path, regency: Engine, tmp_path: Path
) -> None:
    """The batch door: a job asks the registry the extract came from who runs it and records the
    result it wrote (job, engine, folders, rows, whether it names persons) in that registry's
    append-only audit log."""
    from sinergi.batch.door import OBJECT
    from sinergi.cli import app
    from sinergi.store import audit

    common = ["--input", str(extract_dir), "--out", str(tmp_path), "--memory-limit", "1GB"]
    common += ["--date", SYNTH_REF.isoformat(), "--ruleset", RULESET, "--lang", "en"]
    common += ["--db", str(regency.url), "--oleh", "analis-nasional"]
    for job in ("assess", "coverage"):
        result = CliRunner().invoke(app, ["batch", job, *common])
        assert result.exit_code == 0, result.output
        assert "recorded in the registry's audit log for analis-nasional" in " ".join(
            result.output.split()
        )
    logged = [
        e for e in audit.entries(regency, "analis-nasional", audit.EXPORT) if e["objek"] == OBJECT
    ]
    by_job = {e["kunci"]: e["rincian"] for e in logged[:2]}
    assert set(by_job) == {"assess", "coverage"}
    assert by_job["assess"]["baris"] == len(read_result(tmp_path, "assess"))
    assert by_job["assess"]["pribadi"] is True and by_job["coverage"]["pribadi"] is False
    assert by_job["coverage"]["baris"] == len(read_result(tmp_path, "coverage"))
    assert by_job["assess"]["folder"] == str((tmp_path / "assess").resolve())
    assert by_job["assess"]["ekstrak"] == str(extract_dir.resolve())
    assert by_job["assess"]["mesin"] == "duckdb"


def test_the_batch_door_on_postgresql(extract_dir: Path, pg_url: str, tmp_path: Path) -> None:
    """The registry on PostgreSQL (a province's office): the job's record lands in its log."""
    from sinergi.batch.door import OBJECT
    from sinergi.cli import app
    from sinergi.store import audit
    from sinergi.store.db import get_engine

    common = ["--input", str(extract_dir), "--out", str(tmp_path), "--memory-limit", "1GB"]
    common += ["--date", SYNTH_REF.isoformat(), "--ruleset", RULESET, "--lang", "en"]
    result = CliRunner().invoke(
        app, ["batch", "coverage", *common, "--db", pg_url, "--oleh", "bappeda"]
    )
    assert result.exit_code == 0, result.output
    (entry,) = audit.entries(get_engine(pg_url), "bappeda", audit.EXPORT)
    assert entry["objek"] == OBJECT and entry["kunci"] == "coverage"
    assert entry["rincian"]["baris"] == len(read_result(tmp_path, "coverage"))


def test_a_result_whose_audit_row_cannot_be_written_is_removed(
    extract_dir: Path, regency: Engine, tmp_path: Path
) -> None:
    """No result without its audit row: a registry that refuses the write (opened read-only)
    leaves no result behind, and the officer is told why."""
    from sinergi.cli import UserError, app

    url = f"sqlite:///file:{regency.url.database}?mode=ro&uri=true"
    common = ["--input", str(extract_dir), "--out", str(tmp_path), "--memory-limit", "1GB"]
    common += ["--date", SYNTH_REF.isoformat(), "--ruleset", RULESET, "--lang", "en"]
    result = CliRunner().invoke(app, ["batch", "coverage", *common, "--db", url])
    assert isinstance(result.exception, UserError), result.output
    assert "The batch coverage result was removed" in str(result.exception)
    assert not (tmp_path / "coverage").exists()


@pytest.mark.parametrize(
    ("role", "wilayah", "job", "allowed"),
    [
        ("admin", (), "missed", True),
        ("dppkb", (), "assess", True),
        ("dppkb", ("6408010",), "assess", False),  # DPPKB with an area: not the whole registry
        ("pu", (), "missed", False),
        ("pu", (), "coverage", True),  # area figures only
        ("desa", ("6408010001",), "prioritize", True),
    ],
)
def test_who_may_run_which_batch_job(
    role: str, wilayah: tuple[str, ...], job: str, allowed: bool
) -> None:
    from sinergi.batch.door import BatchRefused, admit
    from sinergi.security.auth import User

    user = User(7, "petugas", role, wilayah, ())
    if allowed:
        admit(user, job)
    else:
        with pytest.raises(BatchRefused) as refused:
            admit(user, job)
        assert "only the administrator or DPPKB without an area limit" in str(refused.value)
