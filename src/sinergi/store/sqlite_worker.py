"""A separate process that moves whole Arrow columns in and out of a SQLite file through ADBC.

Python's ``sqlite3`` turns every value into a Python object; Apache Arrow's ADBC SQLite driver
moves whole columns in C, several times faster for the registry-wide reads and writes of an
assessment. But the driver carries its own copy of SQLite, and two copies of SQLite in one process
break SQLite's file locking (closing one copy's file releases the other's POSIX locks:
https://www.sqlite.org/howtocorrupt.html, 2.2.1), which corrupts the database. So the driver runs
only here, in its own process, which SQLite's locking serves like any other process; the
application talks to it through `sinergi.store.arrow` (a JSON request on stdin, Arrow IPC files).

Requests (one JSON object):

- ``{"op": "read", "db": PATH, "queries": [{"sql": SQL, "out": FILE}, ...]}``: each result is
  written to its Arrow IPC file (one batch per query, so that the driver infers each column's
  type from all its rows);
- ``{"op": "write", "db": PATH, "head": {"sql": SQL, "params": [...]}, "parts": [{"table": NAME,
  "file": FILE, "key": COLUMN}, ...]}``: in one transaction, the head row's INSERT, then each
  part's rows with the head row's new id in ``key``; prints the id.

Imports stay light (pyarrow and the driver only): the process starts in a few tenths of a second.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import adbc_driver_manager as adbc
import adbc_driver_sqlite
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


def read(path: str, queries: list[dict[str, str]]) -> None:
    db, conn = _connect(path)
    try:
        for q in queries:
            table = _query(conn, q["sql"])
            with ipc.new_file(q["out"], table.schema) as out:
                out.write_table(table)
    finally:
        conn.close()
        db.close()


def write(path: str, head: dict[str, Any], parts: list[dict[str, str]]) -> int:
    db, conn = _connect(path)
    try:
        _update(conn, f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.set_autocommit(False)
        try:
            params = head["params"]
            batch = pa.RecordBatch.from_arrays(
                [pa.array([v]) for v in params], names=[f"p{i}" for i in range(len(params))]
            )
            _update(conn, head["sql"], batch)
            new_id = int(_query(conn, "SELECT last_insert_rowid()").column(0)[0].as_py())
            for part in parts:
                rows = ipc.open_file(part["file"]).read_all()
                rows = rows.add_column(0, part["key"], pa.array([new_id] * len(rows), pa.int64()))
                with adbc.AdbcStatement(conn) as stmt:
                    stmt.set_options(
                        **{
                            "adbc.ingest.target_table": part["table"],
                            "adbc.ingest.mode": "adbc.ingest.mode.append",
                        }
                    )
                    stmt.bind_stream(rows.to_reader())
                    stmt.execute_update()
        except BaseException:
            conn.rollback()
            raise
        conn.commit()
        return new_id
    finally:
        conn.close()
        db.close()


def main() -> None:
    request = json.loads(sys.stdin.read())
    if request["op"] == "read":
        read(request["db"], request["queries"])
        print("ok")
    elif request["op"] == "write":
        print(write(request["db"], request["head"], request["parts"]))
    else:
        raise SystemExit(f"unknown op {request['op']!r}")


if __name__ == "__main__":
    main()
