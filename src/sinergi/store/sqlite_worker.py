"""A separate process that moves whole Arrow columns in and out of a SQLite file through ADBC.

Python's ``sqlite3`` turns every value into a Python object; Apache Arrow's ADBC SQLite driver
moves whole columns in C, several times faster for the registry-wide reads and writes of an
assessment. But the driver carries its own copy of SQLite, and two copies of SQLite in one process
break SQLite's file locking (closing one copy's file releases the other's POSIX locks:
https://www.sqlite.org/howtocorrupt.html, 2.2.1), which corrupts the database. So the driver runs
only here, in its own process, which SQLite's locking serves like any other process; the
application talks to it through `sinergi.store.arrow` (a JSON request on stdin, Arrow IPC files).

Requests, one JSON object per line:

- ``{"op": "read", "db": PATH, "queries": [{"sql": SQL, "out": FILE, "types": [NAME, ...]},
  ...], "then": false}``: each result, cast to its column types (`TYPES`), is written to its
  Arrow IPC file (one batch per query, so that the driver infers each column's type from all its
  rows), in the order given, printing ``ready I`` as the I-th query's file is complete (the
  application may use it before the rest is read); prints ``ok`` after the last.
- With ``"then": true`` (and no queries for a writer only) the process then waits, on the same
  connection, for a write in two steps, or for the end of its input:
  ``{"op": "begin", "head": {"sql": SQL, "params": FILE}, "parts": [{"table": NAME, "file":
  FILE, "key": COLUMN}, ...]}`` opens the transaction with the head row's INSERT and each part's
  rows with the head row's new id in ``key``, and prints the id; ``{"op": "finish", "update":
  {"sql": SQL, "params": FILE} | null, "parts": [...]}`` adds the last parts, updates the head
  row and commits, then prints ``ok``. The end of the input before ``finish`` rolls everything
  back. A statement's parameters come as a one-row Arrow IPC file (``params``) the application
  wrote: building Arrow arrays from Python values here would import pandas (pyarrow does, to
  check for it), half a second of this process's time.

An assessment reads the registry at its start, writes its children while it still works out its
families, and writes those at its end: the second process start (≈ 0.3 s of imports) and the
second connection are saved, and the first part's rows go in while the application computes the
rest. Such a write commits without folding the log into the database file (SQLite's WAL
checkpoint, about a second for a regency's run, which SQLite otherwise runs inside the committing
transaction once the log passes 1,000 pages): it prints ``ok`` first and checkpoints after, while
the application goes on; the run is committed and visible to every reader once ``ok`` is printed.

Imports stay light (pyarrow, numpy and the driver only): the process starts in a few tenths of a second.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import adbc_driver_manager as adbc
import adbc_driver_sqlite
import numpy as np
import pyarrow as pa
import pyarrow.ipc as ipc

# Rows per result batch (the driver refuses ~2**31): more than any table of a province.
ONE_BATCH = "100000000"
BUSY_TIMEOUT_MS = 30000


def _connect(path: str) -> tuple[adbc.AdbcDatabase, adbc.AdbcConnection]:
    db = adbc.AdbcDatabase(driver=adbc_driver_sqlite._driver_path(), uri=path)
    return db, adbc.AdbcConnection(db)


def _query(conn: adbc.AdbcConnection, sql: str) -> pa.Table:
    with adbc.AdbcStatement(conn) as stmt:
        stmt.set_options(**{"adbc.sqlite.query.batch_rows": ONE_BATCH})
        stmt.set_sql_query(sql)
        stream, _ = stmt.execute_query()
        return pa.RecordBatchReader._import_from_c(stream.address).read_all()


def _update(conn: adbc.AdbcConnection, sql: str, params: pa.RecordBatch | None = None) -> None:
    with adbc.AdbcStatement(conn) as stmt:
        stmt.set_sql_query(sql)
        if params is not None:
            stmt.bind(params)
        stmt.execute_update()


def retyped(table: pa.Table, types: list[pa.DataType]) -> pa.Table:
    """``table``'s columns cast to ``types`` (SQLite keeps dates as ISO text and booleans as
    0/1; a column with no value at all gets its type from ``types``, not from the driver)."""
    arrays = []
    for col, want in zip(table.columns, types, strict=True):
        if col.null_count == len(col):
            arrays.append(pa.nulls(len(col), want))
        elif col.type != want:
            arrays.append(col.cast(want))
        else:
            arrays.append(col)
    return pa.table(arrays, names=table.column_names)


# The Arrow types a read may ask for, by their names (`sinergi.store.arrow.arrow_type`).
TYPES = {str(t): t for t in (pa.date32(), pa.bool_(), pa.int64(), pa.float64(), pa.string())}


def _read_into(conn: adbc.AdbcConnection, q: dict[str, Any]) -> None:
    """One query's result, cast to its ``types`` here (while the application does other work),
    written to its Arrow IPC file."""
    table = retyped(_query(conn, q["sql"]), [TYPES[t] for t in q["types"]])
    with ipc.new_file(q["out"], table.schema) as out:
        out.write_table(table)


def _read_all(conn: adbc.AdbcConnection, queries: list[dict[str, Any]]) -> None:
    for i, q in enumerate(queries):
        _read_into(conn, q)
        _answer(f"ready {i}")
    _answer("ok")


def read(path: str, queries: list[dict[str, Any]]) -> None:
    db, conn = _connect(path)
    try:
        _read_all(conn, queries)
    finally:
        conn.close()
        db.close()


def _params(file: str) -> pa.RecordBatch:
    return ipc.open_file(file).get_batch(0)


def _constant(value: int, n: int) -> pa.Array:
    """``n`` times the integer ``value`` (from a buffer: no Python-object inference)."""
    return pa.Array.from_buffers(
        pa.int64(), n, [None, pa.py_buffer(np.full(n, value, dtype=np.int64).tobytes())]
    )


def _ingest(conn: adbc.AdbcConnection, new_id: int, parts: list[dict[str, str]]) -> None:
    for part in parts:
        rows = ipc.open_file(part["file"]).read_all()
        rows = rows.add_column(0, part["key"], _constant(new_id, len(rows)))
        with adbc.AdbcStatement(conn) as stmt:
            stmt.set_options(
                **{
                    "adbc.ingest.target_table": part["table"],
                    "adbc.ingest.mode": "adbc.ingest.mode.append",
                }
            )
            stmt.bind_stream(rows.to_reader())
            stmt.execute_update()


def _begin(
    conn: adbc.AdbcConnection,
    head: dict[str, Any],
    parts: list[dict[str, str]],
    checkpoint_later: bool = False,
) -> int:
    """Open the transaction: the head row's INSERT and the first parts; returns the new id."""
    _update(conn, f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    if checkpoint_later:
        _update(conn, "PRAGMA wal_autocheckpoint = 0")
    conn.set_autocommit(False)
    try:
        _update(conn, head["sql"], _params(head["params"]))
        new_id = int(_query(conn, "SELECT last_insert_rowid()").column(0)[0].as_py())
        _ingest(conn, new_id, parts)
    except BaseException:
        conn.rollback()
        raise
    return new_id


def _finish(
    conn: adbc.AdbcConnection,
    new_id: int,
    update: dict[str, Any] | None,
    parts: list[dict[str, str]],
) -> None:
    """Close the transaction `_begin` opened: the last parts, the head row's UPDATE (its last
    parameter is the id), the commit."""
    try:
        _ingest(conn, new_id, parts)
        if update is not None:
            _update(conn, update["sql"], _params(update["params"]))
    except BaseException:
        conn.rollback()
        raise
    conn.commit()
    conn.set_autocommit(True)


def _answer(text: object) -> None:
    sys.stdout.write(f"{text}\n")
    sys.stdout.flush()


def main() -> None:
    request = json.loads(sys.stdin.readline())
    if request["op"] != "read":
        raise SystemExit(f"unknown op {request['op']!r}")
    if not request.get("then"):
        read(request["db"], request["queries"])
        return
    db, conn = _connect(request["db"])
    try:
        _read_all(conn, request["queries"])
        line = sys.stdin.readline()
        if not line.strip():
            return  # the application asked for nothing more
        follow = json.loads(line)
        if follow["op"] != "begin":
            raise SystemExit(f"unknown op {follow['op']!r}")
        new_id = _begin(conn, follow["head"], follow["parts"], checkpoint_later=True)
        _answer(new_id)
        line = sys.stdin.readline()
        if not line.strip():
            conn.rollback()  # the application gave up: nothing of it is written
            return
        last = json.loads(line)
        _finish(conn, new_id, last.get("update"), last["parts"])
        _answer("ok")
        # Committed and answered: fold the log into the database file now, yielding to anyone.
        _update(conn, "PRAGMA wal_checkpoint(PASSIVE)")
    finally:
        conn.close()
        db.close()


if __name__ == "__main__":
    main()
