"""Whole columns of a table as Arrow, for the stages that read or write most of the registry.

An assessment reads every person of the registry and stores a row per family. Through Python's
``sqlite3`` each of a regency's ~4 M values becomes a Python object (≈ 4 s of a 2-core machine's
time before Arrow sees them); Apache Arrow's ADBC SQLite driver moves whole columns in C. The
driver runs in its own process (`sinergi.store.sqlite_worker`, which says why), started by
`start_reads` and `begin_write`, so a read proceeds while this process works on something else.
Elsewhere (PostgreSQL, an in-memory SQLite) the rows come through SQLAlchemy, converted once.

Columns come back typed as the store declares them (`sinergi.store.tables`): dates as dates
(SQLite keeps them as ISO text), booleans as booleans (SQLite keeps 0/1), whole numbers as 64-bit
integers, text as text — whatever the driver inferred, and also for a column that holds no value
at all.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeAlias

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.ipc as ipc
from sqlalchemy import Boolean, Date, Engine, Float, Integer, Select, Table, insert, select, update
from sqlalchemy.sql.elements import ColumnElement

from sinergi.store.bulk import bulk_insert, convert_values, records
from sinergi.store.dialect import rows_by_keys
from sinergi.store.frames import read_frame
from sinergi.store.sqlite_worker import retyped


def arrow_type(table: Table, column: str) -> pa.DataType:
    """The Arrow type of a store column."""
    t = table.c[column].type
    if isinstance(t, Date):
        return pa.date32()
    if isinstance(t, Boolean):
        return pa.bool_()
    if isinstance(t, Integer):
        return pa.int64()
    if isinstance(t, Float):
        return pa.float64()
    return pa.string()


def _typed(raw: pa.Table, table: Table, columns: Sequence[str]) -> pa.Table:
    return retyped(raw.rename_columns(list(columns)), [arrow_type(table, c) for c in columns])


def _sqlite_file(engine: Engine) -> str | None:
    """The database file of a SQLite engine, None for an in-memory one or another database."""
    if engine.dialect.name != "sqlite":
        return None
    path = engine.url.database
    return None if not path or path == ":memory:" or path.startswith("file:") else path


def _select(table: Table, columns: Sequence[str], where: ColumnElement[bool] | None) -> Select[Any]:
    query = select(*[table.c[c] for c in columns])
    return query if where is None else query.where(where)


def read_arrow(
    engine: Engine,
    table: Table,
    columns: Sequence[str],
    where: ColumnElement[bool] | None = None,
) -> pa.Table:
    """``SELECT columns FROM table [WHERE where]`` as an Arrow table typed as the store declares,
    through this process's connection (for reads too small to be worth a worker process)."""
    with engine.connect() as conn:
        frame = read_frame(conn, _select(table, columns, where))
    return _typed(pa.Table.from_pandas(frame, preserve_index=False), table, columns)


@dataclass
class Reads:
    """Reads under way (`start_reads`); `result` waits for them, or for some of them."""

    specs: list[tuple[Table, Sequence[str]]]
    files: list[Path] = field(default_factory=list)
    process: subprocess.Popen[str] | None = None
    folder: tempfile.TemporaryDirectory[str] | None = None
    # The tables read so far, by their place in ``specs``; each place's event is set once its
    # table is here (or the reading failed: ``error``).
    done: dict[int, pa.Table] = field(default_factory=dict)
    ready: dict[int, threading.Event] = field(default_factory=dict)
    error: BaseException | None = None
    finished: threading.Event = field(default_factory=threading.Event)
    # The worker reads in this order of ``specs`` places (`start_reads`' ``first``).
    order: list[int] = field(default_factory=list)

    # The worker stays after its reads, waiting for the write that ends the work (`start_reads`
    # with ``then_write``); `begin_write` hands it that write, `close` lets it go.
    then_write: bool = False
    waiting: subprocess.Popen[str] | None = None
    pump: threading.Thread | None = None

    def result(self, wanted: Sequence[int] | None = None) -> list[pa.Table]:
        """The tables, in the order asked for (typed as the store declares); ``wanted``: only
        the tables at these places of the specs, returned as soon as they are read (the
        worker goes on with the rest). Any thread may wait for its own tables."""
        places = range(len(self.specs)) if wanted is None else wanted
        for i in places:
            if i in self.ready:
                self.ready[i].wait()
        if wanted is None and self.pump is not None:
            self.finished.wait()
        if self.error is not None:
            raise self.error
        return [self.done[i] for i in places]

    def _start(self, process: subprocess.Popen[str]) -> None:
        """Follow the worker's answers in a thread: each ``ready I`` makes the I-th table of
        the order available (`result`)."""
        self.process = process
        self.ready = {i: threading.Event() for i in range(len(self.specs))}
        self.pump = threading.Thread(target=self._follow, name="sinergi-reads", daemon=True)
        self.pump.start()

    def _follow(self) -> None:
        process = self.process
        assert process is not None and process.stdout is not None
        try:
            for _ in self.order:
                answer = process.stdout.readline().strip()
                if not answer.startswith("ready "):
                    raise self._failed(process)
                place = self.order[int(answer.split()[1])]
                table, cols = self.specs[place]
                # Mapped, not copied: the worker already typed the columns (`retyped`).
                mapped = ipc.open_file(pa.memory_map(str(self.files[place]))).read_all()
                self.done[place] = _typed(mapped, table, cols)
                self.ready[place].set()
            if process.stdout.readline().strip() != "ok":
                raise self._failed(process)
            if self.then_write:
                self.waiting = process
            else:
                _, err = process.communicate()
                if process.returncode != 0:
                    raise WorkerError(err)
        except BaseException as exc:  # handed to every thread waiting in `result`
            self.error = exc
            if process.poll() is None:
                process.kill()
                process.communicate()
        finally:
            self.process = None
            if self.folder is not None:
                self.folder.cleanup()  # the tables read stay mapped
                self.folder = None
            for event in self.ready.values():
                event.set()
            self.finished.set()

    @staticmethod
    def _failed(process: subprocess.Popen[str]) -> WorkerError:
        process.kill()
        return WorkerError(process.communicate()[1])

    def close(self) -> None:
        """Stop the reads still under way and let a waiting worker go (it writes nothing)."""
        process = self.process
        if process is not None and process.poll() is None:
            process.kill()
        if self.pump is not None:
            self.pump.join()
        process, self.waiting = self.waiting, None
        if process is not None:
            process.communicate()


class WorkerError(RuntimeError):
    """The ADBC worker process failed; the message is its error output."""


def _worker(request: dict[str, Any]) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "sinergi.store.sqlite_worker"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    _send(process, request, last=not request.get("then"))
    return process


def _send(process: subprocess.Popen[str], request: dict[str, Any], last: bool = True) -> None:
    """One request line to the worker; ``last``: no other follows (its input ends)."""
    assert process.stdin is not None
    process.stdin.write(json.dumps(request) + "\n")
    process.stdin.flush()
    if last:
        process.stdin.close()
        process.stdin = None  # sent: `communicate` only collects the answer


def start_reads(
    engine: Engine,
    specs: Sequence[tuple[Table, Sequence[str], ColumnElement[bool] | None]],
    then_write: bool = False,
    first: Sequence[int] = (),
) -> Reads:
    """Start reading each ``(table, columns, where)``; `Reads.result` returns the Arrow tables.

    On a SQLite file a worker process reads them while the caller goes on (it reads committed
    data: start it outside a write); elsewhere they are read here, before this returns.
    ``then_write``: the worker then waits for `begin_write` (given these reads) to write
    the result of the work on its connection; `Reads.close` releases it if nothing is written.
    ``first``: the places of ``specs`` the worker reads before the others (`Reads.result` can
    return them while it reads the rest)."""
    order = [*first, *(i for i in range(len(specs)) if i not in first)]
    reads = Reads([(table, cols) for table, cols, _ in specs], then_write=then_write, order=order)
    path = _sqlite_file(engine)
    if path is None:
        reads.done = {
            i: read_arrow(engine, table, cols, where)
            for i, (table, cols, where) in enumerate(specs)
        }
        return reads
    reads.folder = tempfile.TemporaryDirectory(prefix="sinergi-arrow-")
    reads.files = [Path(reads.folder.name) / f"{i}.arrow" for i in range(len(specs))]
    queries = [
        {
            "sql": _literal_sql(engine, _select(table, cols, where)),
            "out": str(reads.files[i]),
            "types": [str(arrow_type(table, c)) for c in cols],
        }
        for i, (table, cols, where) in ((i, specs[i]) for i in order)
    ]
    reads._start(_worker({"op": "read", "db": path, "queries": queries, "then": then_write}))
    return reads


def _literal_sql(engine: Engine, query: Select[Any]) -> str:
    return str(query.compile(engine, compile_kwargs={"literal_binds": True}))


def read_arrow_by_keys(
    engine: Engine, table: Table, columns: Sequence[str], key: str, keys: Sequence[Any]
) -> pa.Table:
    """`read_arrow` of the rows whose ``key`` is one of ``keys`` (looked up in chunks,
    `sinergi.store.dialect.rows_by_keys`)."""
    with engine.connect() as conn:
        rows = rows_by_keys(conn, [table.c[c] for c in columns], table.c[key], keys)
    frame = pd.DataFrame(rows, columns=list(columns))
    return _typed(pa.Table.from_pandas(frame, preserve_index=False), table, columns)


def with_keys(data: pa.Table, key: str, keys: Sequence[Any]) -> pa.Table:
    """The rows of an Arrow table whose ``key`` is one of ``keys``."""
    wanted = pa.array(list(keys), type=data.schema.field(key).type)
    return data.filter(pc.is_in(data[key], value_set=wanted))


# Rows to write: a frame, or Arrow (written as it is, never turned into Python objects).
Rows: TypeAlias = pd.DataFrame | pa.Table


def _arrow_rows(frame: Rows, table: Table, cols: Sequence[str]) -> pa.Table:
    if isinstance(frame, pa.Table):
        return _typed(frame.select(list(cols)), table, cols)
    raw = pa.Table.from_pandas(frame[list(cols)], preserve_index=False)
    return _typed(raw, table, cols)


@dataclass
class RowsWrite:
    """A write `begin_write` opened: its head row's ``id``; `finish` adds the last parts and
    commits, `abort` rolls all of it back."""

    new_id: int | None  # None until the worker answered (`id`)
    head: Table
    key: str
    engine: Engine
    conn: Any = None  # SQLAlchemy connection in a transaction (not a SQLite file)
    process: subprocess.Popen[str] | None = None  # the worker holding the transaction
    folder: tempfile.TemporaryDirectory[str] | None = None

    @property
    def id(self) -> int:
        """The head row's id (on a SQLite file: once the worker has written the first parts)."""
        if self.new_id is None:
            assert self.process is not None and self.process.stdout is not None
            answer = self.process.stdout.readline().strip()
            if not answer.isdigit():
                process = self.process
                self._release()
                raise WorkerError(process.communicate()[1])
            self.new_id = int(answer)
        return self.new_id

    def finish(
        self,
        values: dict[str, Any] | None = None,
        parts: Sequence[tuple[Table, Rows]] = (),
    ) -> None:
        """Update the head row with ``values``, insert ``parts`` (with the id in ``key``) and
        commit."""
        try:
            if self.conn is not None:
                if values:
                    self.conn.execute(
                        update(self.head).where(self.head.c.id == self.id).values(**values)
                    )
                _insert_parts(self.conn, parts, self.id, self.key)
                self.conn.commit()
                return
            _ = self.id  # the first step went in (else its error is raised here)
            assert self.process is not None and self.folder is not None
            names = list(values or {})
            request: dict[str, Any] = {
                "op": "finish",
                "update": None,
                "parts": _part_files(Path(self.folder.name), parts, self.key, "b"),
            }
            if names:
                (row,) = convert_values(self.head, names, [tuple(values.values())], as_text=True)  # type: ignore[union-attr]
                sets = ", ".join(f'"{n}" = ?' for n in names)
                request["update"] = {
                    "sql": f"UPDATE {self.head.name} SET {sets} WHERE id = ?",
                    "params": _params_file(
                        Path(self.folder.name) / "update.arrow", [*row, self.id]
                    ),
                }
            _send(self.process, request)
            assert self.process.stdout is not None
            if self.process.stdout.readline().strip() != "ok":
                raise WorkerError(self.process.communicate()[1])
            # Committed and answered; the worker then checkpoints the log on its own, and is
            # reaped by the next process this one starts (subprocess) or at its exit.
        finally:
            self._release()

    def abort(self) -> None:
        """Roll the whole write back."""
        try:
            if self.conn is not None:
                self.conn.rollback()
            elif self.process is not None and self.process.stdin is not None:
                self.process.stdin.close()  # the worker rolls back at the end of its input
                self.process.stdin = None
                self.process.communicate()
        finally:
            self._release()

    def _release(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None
        if self.folder is not None:
            self.folder.cleanup()
            self.folder = None
        self.process = None


def _insert_parts(conn: Any, parts: Sequence[tuple[Table, Rows]], new_id: int, key: str) -> None:
    for table, rows in parts:
        frame = rows.to_pandas() if isinstance(rows, pa.Table) else rows
        if len(frame):
            cols = [c.name for c in table.columns if c.name != key]
            rows = [(new_id, *r) for r in records(frame, cols)]
            bulk_insert(conn, table, [key, *cols], rows)


def _params_file(out: Path, values: Sequence[Any]) -> str:
    """A statement's parameters as the one-row Arrow IPC file the worker binds."""
    batch = pa.RecordBatch.from_arrays(
        [pa.array([v]) for v in values], names=[f"p{i}" for i in range(len(values))]
    )
    with ipc.new_file(out, batch.schema) as writer:
        writer.write_batch(batch)
    return str(out)


def _part_files(
    folder: Path, parts: Sequence[tuple[Table, Rows]], key: str, tag: str
) -> list[dict[str, str]]:
    """Each non-empty part's rows (the columns of its table but ``key``) as an Arrow IPC file
    for the worker."""
    files = []
    for i, (table, frame) in enumerate(parts):
        if len(frame):
            cols = [c.name for c in table.columns if c.name != key]
            out = folder / f"{tag}{i}.arrow"
            data = _arrow_rows(frame, table, cols)
            with ipc.new_file(out, data.schema) as writer:
                writer.write_table(data)
            files.append({"table": table.name, "file": str(out), "key": key})
    return files


def begin_write(
    engine: Engine,
    head: Table,
    values: dict[str, Any],
    parts: Sequence[tuple[Table, Rows]],
    key: str = "run_id",
    reads: Reads | None = None,
) -> RowsWrite:
    """Open a transaction: one row of ``head`` (its id comes back in `RowsWrite.id`) and each
    part's frame into its table with the new row's id in ``key`` (each part writes the columns of
    its table, but ``key``, that the frame holds under the same names); `RowsWrite.finish` adds
    more and commits. What is written becomes visible all at once, at the commit.

    On a SQLite file the worker process writes through ADBC's bulk ingestion (the head row too,
    so that all is one transaction) while this process goes on: the worker of ``reads`` when it
    waits for a write (`start_reads` with ``then_write``), else a new one. Elsewhere
    `sinergi.store.bulk` does (COPY on PostgreSQL) in a transaction of this process.
    """
    path = _sqlite_file(engine)
    if path is None:
        conn = engine.connect()
        try:
            conn.begin()
            new_id = int(
                conn.execute(insert(head).values(**values).returning(head.c.id)).scalar_one()
            )
            _insert_parts(conn, parts, new_id, key)
        except BaseException:
            conn.rollback()
            conn.close()
            raise
        return RowsWrite(new_id, head, key, engine, conn=conn)
    process = None
    if reads is not None:
        reads.result()  # all read: the worker waits for this write (or has failed)
        process, reads.waiting = reads.waiting, None
    if process is None:
        process = _worker({"op": "read", "db": path, "queries": [], "then": True})
        assert process.stdout is not None
        if process.stdout.readline().strip() != "ok":
            raise WorkerError(process.communicate()[1])
    folder = tempfile.TemporaryDirectory(prefix="sinergi-arrow-")
    names = list(values)
    (row,) = convert_values(head, names, [tuple(values.values())], as_text=True)
    quoted = ", ".join(f'"{n}"' for n in names)
    request = {
        "op": "begin",
        "head": {
            "sql": f"INSERT INTO {head.name} ({quoted}) VALUES ({', '.join('?' * len(names))})",
            "params": _params_file(Path(folder.name) / "head.arrow", list(row)),
        },
        "parts": _part_files(Path(folder.name), parts, key, "a"),
    }
    _send(process, request, last=False)
    # The worker answers with the id once its rows are in; this process goes on meanwhile.
    return RowsWrite(None, head, key, engine, process=process, folder=folder)
