"""Search by name through the name index (migration 0015; `sinergi.store.search`): the index
follows every insert, correction and deletion, whoever writes, on SQLite and PostgreSQL, and a
search answers what a plain ``LIKE`` over the column answers."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine, delete, insert, select, text, update

from sinergi.store.dialect import contains_text, is_sqlite
from sinergi.store.search import (
    NAME_COLUMNS,
    fts_table,
    index_new_names,
    name_contains,
    trigram_index,
)
from sinergi.store.tables import families, persons

DESA = "64.08.01.2001"


def _family(engine: Engine, no_kk: str, head: str, members: list[tuple[str, str]]) -> None:
    with engine.begin() as conn:
        conn.execute(insert(families).values(no_kk=no_kk, kode_desa=DESA, nama_kepala=head))
        for nik, nama in members:
            conn.execute(
                insert(persons).values(
                    nik=nik,
                    no_kk=no_kk,
                    nama=nama,
                    jenis_kelamin="P",
                    tanggal_lahir=date(1990, 1, 1),
                    hubungan="istri",
                )
            )


def _found(engine: Engine, column, words: str) -> set[str]:  # type: ignore[no-untyped-def]
    key = column.table.c.no_kk
    with engine.connect() as conn:
        return set(conn.execute(select(key).where(name_contains(column, words))).scalars())


def _scanned(engine: Engine, column, words: str) -> set[str]:  # type: ignore[no-untyped-def]
    like = "%" + words.lower() + "%"
    with engine.connect() as conn:
        rows = conn.execute(select(column.table.c.no_kk).where(contains_text(column, like)))
        return set(rows.scalars())


def _indexed(engine: Engine) -> None:
    """Index the new names, then let SQLite check each index against its table."""
    with engine.begin() as conn:
        index_new_names(conn)
        if is_sqlite(conn):
            for table in NAME_COLUMNS:
                index = fts_table(table)
                check = f"INSERT INTO {index}({index}, rank) VALUES ('integrity-check', 1)"
                conn.execute(text(check))
                assert conn.execute(text(f"SELECT count(*) FROM {index}_baru")).scalar_one() == 0


@pytest.mark.parametrize("flush", [False, True], ids=["waiting", "indexed"])
def test_index_follows_inserts_corrections_and_deletions(engine: Engine, flush: bool) -> None:
    """Whether the new names wait for `index_new_names` or are indexed already, a search finds
    exactly what a scan finds, through inserts, renames and deletions."""
    _family(engine, "6408010000000001", "Ahmad Yani", [("6408014101900001", "Siti Aminah")])
    _family(engine, "6408010000000002", "Budi Santoso", [("6408014101900002", "SITI Rahma")])
    _family(engine, "6408010000000003", "Andi", [("6408014101900003", 'Nur\'aini "Ani"')])
    if flush:
        _indexed(engine)
    assert _found(engine, persons.c.nama, "siti") == {"6408010000000001", "6408010000000002"}
    assert _found(engine, persons.c.nama, "Siti Am") == {"6408010000000001"}
    assert _found(engine, families.c.nama_kepala, "SANTOSO") == {"6408010000000002"}
    # Quotes and LIKE's wildcards are letters to look for, never syntax.
    assert _found(engine, persons.c.nama, '"Ani"') == {"6408010000000003"}
    assert _found(engine, persons.c.nama, "nur'") == {"6408010000000003"}
    assert _found(engine, persons.c.nama, "%%%") == _scanned(engine, persons.c.nama, "")
    # Fewer than three letters read the column: the same answer.
    assert _found(engine, persons.c.nama, "ni") == _scanned(engine, persons.c.nama, "ni")

    with engine.begin() as conn:  # a village's correction of a name
        conn.execute(
            update(persons).where(persons.c.nik == "6408014101900002").values(nama="Rahmawati")
        )
        conn.execute(
            update(families)
            .where(families.c.no_kk == "6408010000000001")
            .values(nama_kepala="Ahmad Santoso")
        )
    assert _found(engine, persons.c.nama, "siti") == {"6408010000000001"}
    assert _found(engine, persons.c.nama, "rahmawati") == {"6408010000000002"}
    assert _found(engine, families.c.nama_kepala, "santoso") == {
        "6408010000000001",
        "6408010000000002",
    }
    if flush:
        _indexed(engine)
    with engine.begin() as conn:  # a member leaves the roster
        conn.execute(delete(persons).where(persons.c.nik == "6408014101900001"))
    assert _found(engine, persons.c.nama, "siti") == set()
    for words in ("aminah", "rahma", "ani", "santoso", "an"):
        for column in (persons.c.nama, families.c.nama_kepala):
            assert _found(engine, column, words) == _scanned(engine, column, words)
    _indexed(engine)
    for words in ("aminah", "rahma", "ani", "santoso", "an"):
        for column in (persons.c.nama, families.c.nama_kepala):
            assert _found(engine, column, words) == _scanned(engine, column, words)


def test_the_search_reads_the_index(engine: Engine) -> None:
    """The index is there and the planner uses it (SQLite: the FTS5 table; PostgreSQL: the
    trigram index exists — a planner on a handful of rows rightly scans instead)."""
    with engine.connect() as conn:
        if is_sqlite(conn):
            query = select(persons.c.no_kk).where(name_contains(persons.c.nama, "siti"))
            sql = str(query.compile(conn, compile_kwargs={"literal_binds": True}))
            plan = " ".join(str(r) for r in conn.execute(text("EXPLAIN QUERY PLAN " + sql)))
            assert fts_table("persons") in plan and "VIRTUAL TABLE" in plan
            assert "SEARCH persons USING INTEGER PRIMARY KEY" in plan  # by row id, no scan
        else:
            names = set(
                conn.execute(
                    text(
                        "SELECT indexname FROM pg_indexes WHERE tablename IN "
                        "('persons', 'families')"
                    )
                ).scalars()
            )
            assert {trigram_index("persons"), trigram_index("families")} <= names
