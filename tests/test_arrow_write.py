"""A run's rows written in one transaction, in two steps (`sinergi.store.arrow.begin_write`): on
a SQLite file by the ADBC worker that read the registry, elsewhere by SQLAlchemy — nothing is
visible before the commit, and an aborted write leaves nothing."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from sqlalchemy import func, select

from sinergi.store.arrow import begin_write, start_reads
from sinergi.store.tables import assessment_families, assessment_runs
from tests.stored import run_row


def _head() -> dict[str, object]:
    return run_row(date(2026, 8, 31))


def _families(kks: list[str]) -> pd.DataFrame:
    n = len(kks)
    return pd.DataFrame(
        {
            "no_kk": kks,
            "kode_desa": ["64.08.01.2001"] * n,
            "sasaran": ["pus"] * n,
            "faktor": [""] * n,
            "pasangan": [None] * n,
            "krs": [False] * n,
            "miskin_ekstrem": [True] * n,
            "jumlah_balita": [0] * n,
            "jumlah_balita_stunting": [0] * n,
            "temuan": [""] * n,
        }
    )


def _stored(engine) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        runs = conn.execute(select(func.count()).select_from(assessment_runs)).scalar_one()
        rows = conn.execute(select(func.count()).select_from(assessment_families)).scalar_one()
    return runs, rows


def test_two_steps_commit_together(engine) -> None:  # type: ignore[no-untyped-def]
    write = begin_write(engine, assessment_runs, _head(), [(assessment_families, _families(["1"]))])
    assert _stored(engine) == (0, 0)  # nothing is visible before the commit
    write.finish(
        {"families": 3, "counts": {"krs": 0}}, [(assessment_families, _families(["2", "3"]))]
    )
    with engine.connect() as conn:
        run = conn.execute(select(assessment_runs)).one()
        kks = conn.execute(
            select(assessment_families.c.no_kk, assessment_families.c.run_id).order_by(
                assessment_families.c.no_kk
            )
        ).all()
    assert run.id == write.id and run.families == 3 and run.counts == {"krs": 0}
    assert [(k, r) for k, r in kks] == [("1", write.id), ("2", write.id), ("3", write.id)]


def test_abort_leaves_nothing(engine) -> None:  # type: ignore[no-untyped-def]
    write = begin_write(engine, assessment_runs, _head(), [(assessment_families, _families(["1"]))])
    write.abort()
    assert _stored(engine) == (0, 0)
    # The database takes the next write as usual.
    begin_write(engine, assessment_runs, _head(), []).finish()
    assert _stored(engine) == (1, 0)


def test_failed_finish_rolls_back(engine) -> None:  # type: ignore[no-untyped-def]
    write = begin_write(engine, assessment_runs, _head(), [(assessment_families, _families(["1"]))])
    with pytest.raises(Exception):  # noqa: B017 - the driver's own integrity error
        # The same family twice in one run breaks the table's key: the whole write goes.
        write.finish({"families": 2}, [(assessment_families, _families(["1"]))])
    assert _stored(engine) == (0, 0)


def test_reader_then_writes_on_its_connection(sqlite_url: str) -> None:
    from sinergi.store.db import ensure_schema

    engine = ensure_schema(sqlite_url)
    reads = start_reads(engine, [(assessment_runs, ("id",), None)], then_write=True)
    assert reads.result()[0].num_rows == 0
    worker = reads.waiting
    assert worker is not None and worker.poll() is None  # it waits for the write
    write = begin_write(engine, assessment_runs, _head(), [], reads=reads)
    assert reads.waiting is None
    write.finish({"families": 7})
    assert worker.wait(timeout=30) == 0  # done: committed, checkpointed, gone
    with engine.connect() as conn:
        assert conn.execute(select(assessment_runs.c.families)).scalar_one() == 7
    # A reader nobody writes through is let go.
    idle = start_reads(engine, [(assessment_runs, ("id",), None)], then_write=True)
    idle.result()
    process = idle.waiting
    idle.close()
    assert process is not None and process.returncode == 0


def test_reads_hand_over_each_table_as_it_is_read(sqlite_url: str) -> None:
    """``first`` orders the worker's reads; `Reads.result` of some tables returns once those are
    read (in the order asked for), from any thread, and the rest follow."""
    from concurrent.futures import ThreadPoolExecutor

    from sinergi.store.db import ensure_schema
    from sinergi.store.tables import families

    engine = ensure_schema(sqlite_url)
    write = begin_write(engine, assessment_runs, _head(), [(assessment_families, _families(["9"]))])
    write.finish({"families": 1})
    specs = [
        (assessment_runs, ("id", "families"), None),
        (assessment_families, ("no_kk",), None),
        (families, ("no_kk",), None),
    ]
    reads = start_reads(engine, specs, first=(2, 1))
    assert reads.order == [2, 1, 0]
    with ThreadPoolExecutor(2) as pool:
        runs = pool.submit(reads.result, (0,))
        kk, none = reads.result((1, 2))
        assert kk.column(0).to_pylist() == ["9"] and none.num_rows == 0
        assert runs.result()[0].column("families").to_pylist() == [1]
    assert [t.num_rows for t in reads.result()] == [1, 1, 0]


def test_a_worker_that_dies_fails_every_waiting_reader(sqlite_url: str) -> None:
    from sinergi.store.arrow import WorkerError
    from sinergi.store.db import ensure_schema

    engine = ensure_schema(sqlite_url)
    reads = start_reads(engine, [(assessment_runs, ("id",), None)] * 2, then_write=True)
    assert reads.process is not None
    reads.process.kill()
    with pytest.raises(WorkerError):
        reads.result((1,))
    with pytest.raises(WorkerError):
        reads.result()
    reads.close()


def test_arrow_rows_are_written_as_they_are(engine) -> None:  # type: ignore[no-untyped-def]
    """A part may be Arrow (an assessment's families come from DuckDB as Arrow)."""
    import pyarrow as pa

    rows = pa.Table.from_pandas(_families(["1", "2"]), preserve_index=False)
    write = begin_write(engine, assessment_runs, _head(), [(assessment_families, rows)])
    write.finish({"families": 2}, [(assessment_families, pa.Table.from_pandas(_families(["3"])))])
    assert _stored(engine) == (1, 3)
    with engine.connect() as conn:
        got = conn.execute(select(assessment_families.c.miskin_ekstrem)).scalars().all()
    assert got == [True, True, True]


def test_the_worker_never_imports_pandas(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The worker binds the application's parameter files and builds its key column from a
    buffer: building Arrow arrays from Python values would import pandas (half a second)."""
    import subprocess
    import sys

    import pyarrow as pa
    import pyarrow.ipc as ipc

    batch = pa.RecordBatch.from_arrays([pa.array(["x"]), pa.array([1])], names=["p0", "p1"])
    with ipc.new_file(tmp_path / "p.arrow", batch.schema) as out:
        out.write_batch(batch)
    code = (
        "import sys; from sinergi.store import sqlite_worker as w; "
        f"b = w._params({str(tmp_path / 'p.arrow')!r}); k = w._constant(7, 3); "
        "assert b.num_rows == 1 and k.to_pylist() == [7, 7, 7]; "
        "print('pandas' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
