"""Where SQLite and PostgreSQL differ, in one place: every other module asks here instead of
testing the dialect's name itself.

- how the driver marks a parameter, and how SQLAlchemy stores dates on SQLite (as text);
- PostgreSQL's bulk paths: COPY for many rows, one array parameter for many keys;
- the few functions with different names (``greatest`` is ``max`` on SQLite; a case-blind
  LIKE is ``ILIKE`` on PostgreSQL, SQLite's own ``LIKE``);
- the INSERT that knows ON CONFLICT (both have it, in different dialect modules).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Select,
    Table,
    Text,
    any_,
    bindparam,
    column,
    func,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.expression import FromClause
from sqlalchemy.sql.functions import FunctionElement

# Keys per query: SQLite binds each key as a placeholder (its limit is 32,766); PostgreSQL takes
# one array parameter, so it can take more at once.
KEYS_PER_QUERY = {"sqlite": 5000, "postgresql": 50000}


def is_sqlite(conn: Connection) -> bool:
    return conn.dialect.name == "sqlite"


def is_postgresql(conn: Connection) -> bool:
    return conn.dialect.name == "postgresql"


def param_mark(conn: Connection) -> str:
    """The driver's placeholder for a raw statement (``exec_driver_sql``)."""
    return "?" if is_sqlite(conn) else "%s"


def stores_dates_as_text(conn: Connection) -> bool:
    """SQLAlchemy stores DATE and DATETIME as ISO text on SQLite; a raw driver call must too."""
    return is_sqlite(conn)


def copy_rows(conn: Connection, table: Table, cols: Sequence[str], rows: Iterable[Any]) -> bool:
    """Write rows with PostgreSQL's COPY inside the current transaction; False where the
    database has no COPY (the caller then inserts)."""
    if not is_postgresql(conn):
        return False
    quoted = ", ".join(conn.dialect.identifier_preparer.quote(c) for c in cols)
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    with cursor.copy(f"COPY {table.name} ({quoted}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
    cursor.close()
    return True


def rows_by_keys(
    conn: Connection,
    columns: Sequence[ColumnElement[Any]],
    key: Column[Any],
    keys: Iterable[Any],
    *where: ColumnElement[bool],
    from_: FromClause | None = None,
) -> list[Any]:
    """``SELECT columns [FROM from_] WHERE key IN keys [AND where…]`` for many keys, in chunks;
    on PostgreSQL one array parameter per chunk instead of thousands of placeholders (which the
    driver would rewrite one by one), on SQLite one JSON array (text and integer keys)."""
    keys = list(keys)
    found: list[Any] = []  # rows (tuples) of the columns
    step = KEYS_PER_QUERY.get(conn.dialect.name, 5000)
    base = select(*columns)
    if from_ is not None:
        base = base.select_from(from_)
    if is_postgresql(conn):
        query = base.where(key == any_(bindparam("keys", type_=ARRAY(key.type))), *where)
        for start in range(0, len(keys), step):
            found.extend(conn.execute(query, {"keys": keys[start : start + step]}).all())
        return found
    if all(type(k) in (str, int) for k in keys):
        # SQLite: the chunk as one JSON parameter, unnested by json_each, rather than thousands of
        # placeholders that SQLAlchemy would render one by one.
        unnested = func.json_each(bindparam("keys", type_=Text))
        listed: Select[tuple[Any]] = select(column("value")).select_from(unnested)
        query = base.where(key.in_(listed), *where)
        step = KEYS_PER_QUERY["postgresql"]
        for start in range(0, len(keys), step):
            chunk = json.dumps(keys[start : start + step])
            found.extend(conn.execute(query, {"keys": chunk}).all())
        return found
    for start in range(0, len(keys), step):
        found.extend(conn.execute(base.where(key.in_(keys[start : start + step]), *where)))
    return found


class contains_text(FunctionElement[bool]):
    """``contains_text(text, pattern)``: ``text`` matches the LIKE ``pattern`` whatever the
    letter case: PostgreSQL's ``ILIKE``;
    SQLite's own ``LIKE``, which ignores ASCII case already (a ``lower()`` on every row, as
    SQLAlchemy's generic ``ilike`` writes it, doubles a search's scan of the persons)."""

    type = Boolean()
    inherit_cache = True
    name = "contains_text"


@compiles(contains_text)
def _contains_text(element: contains_text, compiler: Any, **kw: Any) -> str:
    text, pattern = list(element.clauses)
    return f"{compiler.process(text, **kw)} LIKE {compiler.process(pattern, **kw)}"


@compiles(contains_text, "postgresql")
def _contains_text_pg(element: contains_text, compiler: Any, **kw: Any) -> str:
    text, pattern = list(element.clauses)
    return f"{compiler.process(text, **kw)} ILIKE {compiler.process(pattern, **kw)}"


def greatest(conn: Connection, *values: Any) -> ColumnElement[Any]:
    """The largest of the values (PostgreSQL's GREATEST; SQLite's multi-argument MAX)."""
    return func.max(*values) if is_sqlite(conn) else func.greatest(*values)


def insert_on_conflict(conn: Connection, table: Table) -> Any:
    """An INSERT that offers ``on_conflict_do_update`` / ``on_conflict_do_nothing``."""
    return (postgresql if is_postgresql(conn) else sqlite).insert(table)
