"""`sinergi batch monitor`: assess, coverage and missed in one job, the families assessed once,
give the three commands' own results, each recorded in the audit log.

The regency of `tests.test_batch` (imported by the app, assessed, exported as an extract) is run
by the three commands and by ``batch monitor``, on DuckDB from the command line and on Spark
(local mode) by the same steps: every result is the same, row for row.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from sqlalchemy import Engine
from typer.testing import CliRunner

from sinergi.batch.engine import Extract, read_result
from sinergi.batch.monitor import JOBS, monitor_steps
from sinergi.rules import load_ruleset
from tests import test_batch
from tests.conftest import SYNTH_REF
from tests.test_batch import RULESET

regency = test_batch.regency
extract_dir = test_batch.extract_dir
duckdb_extract = test_batch.duckdb_extract
spark_extract = test_batch.spark_extract


def _rows(out: Path, job: str) -> pd.DataFrame:
    """A written result in one order (every column a key), as text where it is a date."""
    frame = read_result(out, job)
    frame = frame.astype(object).where(frame.notna(), None).astype(str)
    return frame.sort_values(list(frame.columns)).reset_index(drop=True)


def test_cli_batch_monitor_writes_the_three_commands_results_and_records_each(
    extract_dir: Path, regency: Engine, tmp_path: Path
) -> None:
    from sinergi.batch.door import OBJECT
    from sinergi.cli import app
    from sinergi.store import audit

    common = ["--input", str(extract_dir), "--memory-limit", "1GB", "--lang", "en"]
    common += ["--date", SYNTH_REF.isoformat(), "--ruleset", RULESET, "--db", str(regency.url)]
    runner = CliRunner()
    for job in JOBS:
        alone = runner.invoke(app, ["batch", job, *common, "--out", str(tmp_path / "alone")])
        assert alone.exit_code == 0, alone.output
    one = runner.invoke(
        app, ["batch", "monitor", *common, "--out", str(tmp_path / "one"), "--oleh", "pemantau"]
    )
    assert one.exit_code == 0, one.output
    text = " ".join(one.output.split())
    for job in JOBS:
        assert f"batch {job} (duckdb)" in text
        ours, theirs = _rows(tmp_path / "one", job), _rows(tmp_path / "alone", job)
        assert len(ours) > 0, job
        pd.testing.assert_frame_equal(ours, theirs)
    assert text.count("recorded in the registry's audit log for pemantau") == 3
    # The progress bar's last lines (a terminal sees them move).
    for line in ("assess: waves of provinces", "coverage: provinces", "missed: provinces"):
        assert f"batch {line}" in text
    logged = [e for e in audit.entries(regency, "pemantau", audit.EXPORT) if e["objek"] == OBJECT]
    assert sorted(e["kunci"] for e in logged) == sorted(JOBS)
    rows = {e["kunci"]: e["rincian"]["baris"] for e in logged}
    assert rows == {job: len(read_result(tmp_path / "one", job)) for job in JOBS}


def test_monitor_on_spark_gives_duckdbs_three_results(
    duckdb_extract: Extract, spark_extract: Extract, tmp_path: Path
) -> None:
    """Coverage counted from the assessment Spark wrote equals coverage assessed again on
    DuckDB (and so do the other two)."""
    from sinergi.batch.jobs import run_assess, run_coverage
    from sinergi.batch.missed import run_missed

    rs = load_ruleset(RULESET)
    for step in monitor_steps().values():
        step(spark_extract, rs, SYNTH_REF, tmp_path / "spark")
    run_assess(duckdb_extract, rs, SYNTH_REF, tmp_path / "duckdb")
    run_coverage(duckdb_extract, rs, SYNTH_REF, tmp_path / "duckdb")
    run_missed(duckdb_extract, rs, SYNTH_REF, tmp_path / "duckdb")
    for job in JOBS:
        spark, duck = _rows(tmp_path / "spark", job), _rows(tmp_path / "duckdb", job)
        assert len(duck) > 0, job
        pd.testing.assert_frame_equal(spark, duck)


def test_a_written_result_is_read_a_province_at_a_time(
    duckdb_extract: Extract, tmp_path: Path
) -> None:
    """A result this run wrote, read by a later job province by province (`per_province`):
    its own province's files, and no rows for a province it has none of."""
    import pyarrow as pa

    from sinergi.batch.engine import _duckdb_rows, _province_view_sql, result_table, write_result

    schema = pa.schema([("no_kk", pa.string()), ("krs", pa.int64()), ("provinsi", pa.string())])
    frame = pd.DataFrame({"no_kk": ["1", "2"], "krs": [1, 0], "provinsi": ["64", "64"]})
    write_result(duckdb_extract, frame, tmp_path, "hasil", schema=schema)
    table = result_table(duckdb_extract, tmp_path, "hasil", schema)
    name = table.get_name()
    for province, rows in (("64", 2), ("11", 0)):
        view, create = _province_view_sql(duckdb_extract, name, province)
        duckdb_extract.con.raw_sql(create)
        read = _duckdb_rows(duckdb_extract, f'SELECT * FROM "{view}"')
        assert sorted(read.columns) == sorted(schema.names)
        assert len(read) == rows
    assert list(read.dtypes.astype(str)) != []


def test_the_jobs_report_their_provinces_and_waves_as_they_go(
    duckdb_extract: Extract, tmp_path: Path
) -> None:
    """`Extract.progress` (the command line's progress bar) hears of each province stepped
    and each wave written, the last report saying all are done."""
    rs = load_ruleset(RULESET)
    heard: list[tuple[str, int, int]] = []
    duckdb_extract.progress = lambda unit, done, total: heard.append((unit, done, total))
    try:
        for job, step in monitor_steps().items():
            heard.clear()
            step(duckdb_extract, rs, SYNTH_REF, tmp_path)
            units = {"assess": "gelombang", "coverage": "provinsi", "missed": "provinsi"}
            assert heard, job
            assert heard[-1] == (units[job], 1, 1), job
    finally:
        duckdb_extract.progress = None
