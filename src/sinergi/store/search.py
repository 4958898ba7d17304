"""Search by name through an index, on both databases.

A search for "Siti" must not read all 429,145 names of a regency: on SQLite each searched name
column has an FTS5 table with the trigram tokenizer (external content: it holds only the index);
on PostgreSQL a GIN trigram index (`pg_trgm`) serves ``ILIKE '%…%'`` itself. Migration 0015
creates both. A query of fewer than three letters has no trigram and reads the column as before.

On SQLite, triggers keep the index true whoever writes (the importer, a village's correction, a
merge): a deleted or renamed row leaves the index at once; a new or renamed row is noted in a
small table (``…_fts_baru``) and a search reads those rows' names directly until
`index_new_names` adds them to the index set-wise — a trigger indexing each inserted row would
make a regency's import of 429,145 persons fifteen times slower (measured: 6 s against 0,6 s per
100,000 rows). The importer calls `index_new_names` before it commits.

Both answer "the name contains these letters, whatever their case", as `contains_text` does.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Connection, literal, text
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement
from sqlalchemy.types import NullType

from sinergi.store.dialect import contains_text, is_sqlite

#: The name columns searched through an index, by table.
NAME_COLUMNS = {"persons": "nama", "families": "nama_kepala"}

#: Fewer letters than this make no trigram: the search reads the column.
MIN_LETTERS = 3


def fts_table(table: str) -> str:
    """The SQLite FTS5 table indexing ``table``'s name column."""
    return f"{table}_{NAME_COLUMNS[table]}_fts"


def trigram_index(table: str) -> str:
    """The PostgreSQL trigram index of ``table``'s name column."""
    return f"ix_{table}_{NAME_COLUMNS[table]}_trgm"


def outside_metadata(name: str | None, type_: str, _parents: Any = None) -> bool:
    """For Alembic's ``include_name``: False for the search indexes' own objects (the FTS5
    tables and their shadow tables, the trigram indexes), which the table definitions do not
    describe because they differ per database."""
    if name is None:
        return True
    if type_ == "table":
        return not any(name.startswith(fts_table(t)) for t in NAME_COLUMNS)
    if type_ == "index":
        return name not in {trigram_index(t) for t in NAME_COLUMNS}
    return True


class _name_index_match(FunctionElement[Any]):
    """``column``'s row is among the index's matches for ``phrase`` (SQLite FTS5) or
    ``column ILIKE like`` (PostgreSQL, served by the trigram index). Untyped on purpose: a
    Boolean would be written ``… = 1`` on SQLite, which hides the row-id lookup from the
    planner (it then scans the table and probes the matches)."""

    type = NullType()
    inherit_cache = True
    name = "name_index_match"


@compiles(_name_index_match)
def _match_sqlite(element: _name_index_match, compiler: Any, **kw: Any) -> str:
    column, phrase, like = list(element.clauses)
    table = column.table.name
    index = fts_table(table)
    # The column as the query names it ("persons.nama"), its table part for the row id. The
    # rows waiting for the index are few: CROSS JOIN makes SQLite read them first.
    owner = compiler.process(column, **kw).rsplit(".", 1)[0]
    return (
        f"{owner}.rowid IN (SELECT rowid FROM {index} WHERE {index} MATCH "
        f"{compiler.process(phrase, **kw)} UNION ALL SELECT w.rid FROM {index}_baru AS w "
        f"CROSS JOIN {table} AS n ON n.rowid = w.rid WHERE n.{column.name} LIKE "
        f"{compiler.process(like, **kw)})"
    )


@compiles(_name_index_match, "postgresql")
def _match_pg(element: _name_index_match, compiler: Any, **kw: Any) -> str:
    column, _phrase, like = list(element.clauses)
    return f"{compiler.process(column, **kw)} ILIKE {compiler.process(like, **kw)}"


def name_contains(column: Any, words: str) -> ColumnElement[bool]:
    """``column`` (a name column of `NAME_COLUMNS`) contains ``words`` whatever the case —
    through the name index when ``words`` has at least `MIN_LETTERS` letters."""
    plain = words.strip().lower().replace("%", "").replace("_", "")
    like = "%" + plain + "%"
    if len(plain.replace('"', "")) < MIN_LETTERS:
        return contains_text(column, like)
    phrase = '"' + plain.replace('"', '""') + '"'
    return _name_index_match(column, literal(phrase), literal(like))


def index_new_names(conn: Connection) -> None:
    """Add the rows inserted or renamed since the last call to the SQLite name indexes, in one
    statement per table (PostgreSQL's indexes need nothing)."""
    if not is_sqlite(conn):
        return
    for table, column in NAME_COLUMNS.items():
        index = fts_table(table)
        conn.execute(
            text(
                f"INSERT INTO {index}(rowid, {column}) SELECT rowid, {column} FROM {table} "
                f"WHERE rowid IN (SELECT rid FROM {index}_baru)"
            )
        )
        conn.execute(text(f"DELETE FROM {index}_baru"))
