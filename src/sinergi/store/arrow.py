"""Whole columns of a table as Arrow, for the stages that read or write most of the registry.

An assessment reads every person of the registry and stores a row per family. Through Python's
``sqlite3`` each of a regency's ~4 M values becomes a Python object (≈ 4 s of a 2-core machine's
time before Arrow sees them); Apache Arrow's ADBC SQLite driver moves whole columns in C. The
driver runs in its own process (`sinergi.store.sqlite_worker`, which says why), started by
`start_reads` and `write_with_rows`, so a read proceeds while this process works on something else.
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
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.ipc as ipc
from sqlalchemy import Boolean, Date, Engine, Float, Integer, Select, Table, insert, select
from sqlalchemy.sql.elements import ColumnElement

from sinergi.store.bulk import bulk_insert, convert_values, records
from sinergi.store.dialect import rows_by_keys
from sinergi.store.frames import read_frame


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
    arrays = []
    for name, col in zip(columns, raw.columns, strict=True):
        want = arrow_type(table, name)
        if col.null_count == len(col):
            arrays.append(pa.nulls(len(col), want))
        elif col.type != want:
            arrays.append(pc.cast(col, want))
        else:
            arrays.append(col)
    return pa.table(arrays, names=list(columns))


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
    """Reads under way (`start_reads`); `result` waits for them."""

    specs: list[tuple[Table, Sequence[str]]]
    files: list[Path] = field(default_factory=list)
    process: subprocess.Popen[str] | None = None
    folder: tempfile.TemporaryDirectory[str] | None = None
    done: list[pa.Table] = field(default_factory=list)

    def result(self) -> list[pa.Table]:
        """The tables, in the order asked for (typed as the store declares)."""
        if self.process is not None:
            _, err = self.process.communicate()
            try:
                if self.process.returncode != 0:
                    raise WorkerError(err)
                self.done = [
                    _typed(ipc.open_file(path).read_all(), table, cols)
                    for path, (table, cols) in zip(self.files, self.specs, strict=True)
                ]
            finally:
                self.process = None
                if self.folder is not None:
                    self.folder.cleanup()
        return self.done


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
    assert process.stdin is not None
    process.stdin.write(json.dumps(request))
    process.stdin.close()
    process.stdin = None  # sent: `communicate` only collects the answer
    return process


def start_reads(
    engine: Engine,
    specs: Sequence[tuple[Table, Sequence[str], ColumnElement[bool] | None]],
) -> Reads:
    """Start reading each ``(table, columns, where)``; `Reads.result` returns the Arrow tables.

    On a SQLite file a worker process reads them while the caller goes on (it reads committed
    data: start it outside a write); elsewhere they are read here, before this returns."""
    reads = Reads([(table, cols) for table, cols, _ in specs])
    path = _sqlite_file(engine)
    if path is None:
        reads.done = [read_arrow(engine, table, cols, where) for table, cols, where in specs]
        return reads
    reads.folder = tempfile.TemporaryDirectory(prefix="sinergi-arrow-")
    reads.files = [Path(reads.folder.name) / f"{i}.arrow" for i in range(len(specs))]
    queries = [
        {"sql": _literal_sql(engine, _select(table, cols, where)), "out": str(out)}
        for (table, cols, where), out in zip(specs, reads.files, strict=True)
    ]
    reads.process = _worker({"op": "read", "db": path, "queries": queries})
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


def _arrow_rows(frame: pd.DataFrame, table: Table, cols: Sequence[str]) -> pa.Table:
    raw = pa.Table.from_pandas(frame[list(cols)], preserve_index=False)
    return _typed(raw, table, cols)


def write_with_rows(
    engine: Engine,
    head: Table,
    values: dict[str, Any],
    parts: Sequence[tuple[Table, pd.DataFrame]],
    key: str = "run_id",
) -> int:
    """Insert one row of ``head`` and, in the same transaction, each part's frame into its table
    with the new row's id in ``key``; returns the id. Each part writes the columns of its table
    (but ``key``) that the frame holds under the same names.

    On a SQLite file the worker process writes them through ADBC's bulk ingestion (the head row
    too, so that all is one transaction); elsewhere `sinergi.store.bulk` does (COPY on PostgreSQL).
    """
    columns = [[c.name for c in t.columns if c.name != key] for t, _ in parts]
    path = _sqlite_file(engine)
    if path is None:
        with engine.begin() as conn:
            new_id = int(
                conn.execute(insert(head).values(**values).returning(head.c.id)).scalar_one()
            )
            for (table, frame), cols in zip(parts, columns, strict=True):
                if len(frame):
                    rows = [(new_id, *r) for r in records(frame, cols)]
                    bulk_insert(conn, table, [key, *cols], rows)
        return new_id
    names = list(values)
    (row,) = convert_values(head, names, [tuple(values.values())], as_text=True)
    quoted = ", ".join(f'"{n}"' for n in names)
    sql = f"INSERT INTO {head.name} ({quoted}) VALUES ({', '.join('?' * len(names))})"
    with tempfile.TemporaryDirectory(prefix="sinergi-arrow-") as folder:
        files = []
        for i, ((table, frame), cols) in enumerate(zip(parts, columns, strict=True)):
            if len(frame):
                out = Path(folder) / f"{i}.arrow"
                data = _arrow_rows(frame, table, cols)
                with ipc.new_file(out, data.schema) as writer:
                    writer.write_table(data)
                files.append({"table": table.name, "file": str(out), "key": key})
        request = {"op": "write", "db": path, "head": {"sql": sql, "params": list(row)}}
        process = _worker(request | {"parts": files})
        out_text, err = process.communicate()
    if process.returncode != 0:
        raise WorkerError(err)
    return int(out_text.strip().splitlines()[-1])
