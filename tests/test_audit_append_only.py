"""The audit log cannot be rewritten (issue 10, finding 5): every way SQL offers to change or
remove a row is refused by the database itself — SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError

from sinergi.store import audit
from sinergi.store.tables import audit_log
from tests.conftest import _require_pg

SQLITE_ATTACKS = [
    "INSERT OR REPLACE INTO audit_log (id, waktu, aksi) VALUES (1, '2026-01-01', 'hapus')",
    "REPLACE INTO audit_log (id, waktu, aksi) VALUES (1, '2026-01-01', 'hapus')",
    "INSERT INTO audit_log (id, waktu, aksi) VALUES (1, '2026-01-01', 'x') "
    "ON CONFLICT (id) DO UPDATE SET aksi = 'hapus'",
    "UPDATE audit_log SET aksi = 'hapus'",
    "UPDATE OR REPLACE audit_log SET id = 2 WHERE id = 1",
    "DELETE FROM audit_log",
]
PG_ATTACKS = [
    "UPDATE audit_log SET aksi = 'hapus'",
    "DELETE FROM audit_log",
    "TRUNCATE audit_log",
    "TRUNCATE audit_log RESTART IDENTITY CASCADE",
    "INSERT INTO audit_log (id, waktu, aksi) VALUES (1, now(), 'x') "
    "ON CONFLICT (id) DO UPDATE SET aksi = 'hapus'",
]


def _two_rows(engine: Engine) -> list[tuple[int, str]]:
    with engine.begin() as conn:
        audit.record(conn, "petugas", "lihat", "keluarga", "6408010101200001")
        audit.record(conn, "petugas", "ekspor", "penerima", "pmt-baznas")
    return _rows(engine)


def _rows(engine: Engine) -> list[tuple[int, str]]:
    with engine.connect() as conn:
        return [
            tuple(r)
            for r in conn.execute(select(audit_log.c.id, audit_log.c.aksi).order_by(audit_log.c.id))
        ]


def _attack(engine: Engine, sql: str) -> None:
    with pytest.raises(DBAPIError, match="append-only|permission denied"), engine.begin() as conn:
        conn.execute(text(sql))


def test_every_rewrite_is_refused(engine: Engine) -> None:
    before = _two_rows(engine)
    attacks = SQLITE_ATTACKS if engine.dialect.name == "sqlite" else PG_ATTACKS
    for sql in attacks:
        _attack(engine, sql)
    assert _rows(engine) == before
    # Appending still works, and the new row gets a new id.
    with engine.begin() as conn:
        audit.record(conn, "petugas", "lihat")
        n = conn.execute(select(func.count()).select_from(audit_log)).scalar_one()
    assert n == 3 and _rows(engine)[:2] == before


@pytest.fixture
def owner_engine() -> Iterator[Engine]:
    """A database owned by an ordinary (not superuser) account that ran the migrations itself,
    as a regency's deployment would."""
    from sinergi.store.db import get_engine, upgrade

    base = make_url(_require_pg()).set(drivername="postgresql+psycopg")
    role, name = f"sinergi_app_{uuid.uuid4().hex[:8]}", f"sinergi_own_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE ROLE "{role}" LOGIN NOSUPERUSER'))
        conn.execute(text(f'CREATE DATABASE "{name}" OWNER "{role}"'))
    url = base.set(username=role, database=name)
    upgrade(url.render_as_string(hide_password=False))
    engine = create_engine(url)
    try:
        yield engine
    finally:
        engine.dispose()
        get_engine.cache_clear()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
        admin.dispose()


def test_postgresql_owner_has_no_privilege_to_rewrite(owner_engine: Engine) -> None:
    with owner_engine.begin() as conn:
        conn.execute(audit_log.insert().values(waktu=datetime.now(UTC), aksi="lihat"))
    for sql in (
        "UPDATE audit_log SET aksi = 'hapus'",
        "DELETE FROM audit_log",
        "TRUNCATE audit_log",
    ):
        with pytest.raises(DBAPIError, match="permission denied"), owner_engine.begin() as conn:
            conn.execute(text(sql))
    assert [r[1] for r in _rows(owner_engine)] == ["lihat"]
