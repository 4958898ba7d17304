"""Bulk reads and writes of many rows at once, for every stage that stores results.

SQLAlchemy's per-row parameter processing costs more than the insert itself at registry scale,
so rows go to the driver directly (COPY on PostgreSQL, executemany elsewhere), with values
converted the way SQLAlchemy would bind them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import pandas as pd
from sqlalchemy import JSON, Connection, Date, DateTime, Integer, Table

from sinergi.core.values import clean
from sinergi.store.dialect import copy_rows, param_mark, stores_dates_as_text

CHUNK = 5000


def records(frame: pd.DataFrame, cols: Sequence[str]) -> list[tuple[Any, ...]]:
    """Rows as tuples of plain Python values (None for missing), built column-wise for speed."""
    columns = []
    for c in cols:
        series = frame[c]
        values = series.astype(object).where(series.notna(), None).tolist()
        if series.dtype == object:
            values = [v if type(v) is str else clean(v) for v in values]
        columns.append(values)
    return list(zip(*columns, strict=True))


def _convert(
    conn: Connection, table: Table, cols: Sequence[str], rows: list[tuple[Any, ...]]
) -> list[tuple[Any, ...]]:
    """Values as SQLAlchemy would bind them: JSON as text, dates as ISO text on SQLite."""
    return convert_values(table, cols, rows, stores_dates_as_text(conn))


def convert_values(
    table: Table, cols: Sequence[str], rows: list[tuple[Any, ...]], as_text: bool
) -> list[tuple[Any, ...]]:
    """Rows of ``table``'s ``cols`` with values as SQLAlchemy would bind them for a driver call:
    JSON as text, whole numbers as ints, and with ``as_text`` (SQLite) dates and times as
    SQLAlchemy's ISO text."""
    converters: list[Any] = []
    for c in cols:
        t = table.c[c].type
        if isinstance(t, JSON):
            converters.append(lambda v: None if v is None else json.dumps(v, ensure_ascii=False))
        elif isinstance(t, Integer):
            # pandas holds integer columns with gaps as floats; the database wants integers.
            converters.append(lambda v: v if v is None or type(v) is int else int(v))
        elif as_text and isinstance(t, DateTime):
            # SQLAlchemy's SQLite storage format for DATETIME (naive, space-separated).
            converters.append(lambda v: None if v is None else v.strftime("%Y-%m-%d %H:%M:%S.%f"))
        elif as_text and isinstance(t, Date):
            converters.append(lambda v: None if v is None else v.isoformat())
        else:
            converters.append(None)
    if not any(converters):
        return rows
    # Column by column: only the columns that need it are touched.
    columns = [list(c) for c in zip(*rows, strict=True)]
    for i, f in enumerate(converters):
        if f is not None:
            columns[i] = [f(v) for v in columns[i]]
    return list(zip(*columns, strict=True))


def bulk_insert(
    conn: Connection, table: Table, cols: Sequence[str], rows: list[tuple[Any, ...]]
) -> None:
    """Insert many rows through the driver (COPY on PostgreSQL, executemany elsewhere):
    SQLAlchemy's per-row parameter processing costs more than the insert itself at registry
    scale. Values are converted here the way SQLAlchemy would (JSON as text, dates as ISO text
    for SQLite)."""
    if not rows:
        return
    rows = _convert(conn, table, cols, rows)
    if copy_rows(conn, table, cols, rows):
        return
    quoted = ", ".join(conn.dialect.identifier_preparer.quote(c) for c in cols)
    mark = param_mark(conn)
    sql = f"INSERT INTO {table.name} ({quoted}) VALUES ({', '.join([mark] * len(cols))})"
    for start in range(0, len(rows), CHUNK * 4):
        conn.exec_driver_sql(sql, rows[start : start + CHUNK * 4])


def insert_records(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """`bulk_insert` for rows given as dicts (every row with the same keys): the call names
    each value beside its column."""
    if rows:
        cols = list(rows[0])
        bulk_insert(conn, table, cols, [tuple(r[c] for c in cols) for r in rows])


def bulk_update(
    conn: Connection, table: Table, key: str, cols: Sequence[str], rows: list[tuple[Any, ...]]
) -> None:
    """UPDATE … SET cols WHERE key = ? for many rows (each row: the values, then the key)."""
    if not rows:
        return
    q = conn.dialect.identifier_preparer.quote
    mark = param_mark(conn)
    rows = _convert(conn, table, [*cols, key], rows)
    sets = ", ".join(f"{q(c)} = {mark}" for c in cols)
    sql = f"UPDATE {table.name} SET {sets} WHERE {q(key)} = {mark}"
    for start in range(0, len(rows), CHUNK * 4):
        conn.exec_driver_sql(sql, rows[start : start + CHUNK * 4])
