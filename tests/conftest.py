"""Shared fixtures: a fresh database per test on SQLite and on a real PostgreSQL server.

PostgreSQL comes from SINERGI_TEST_PG_URL (.ci/run starts one; locally `.ci/pg-start` prints a
URL). Without it the PostgreSQL variants skip with the reason — except under CI=true, where a
missing server fails the run, because a skipped test is not a passing one.
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

PG_URL = os.environ.get("SINERGI_TEST_PG_URL")
IN_CI = os.environ.get("CI", "").lower() == "true"
# The reference date of the synthetic regency (`synth_regency`).
SYNTH_REF = date(2026, 8, 31)


def _require_pg() -> str:
    if PG_URL:
        return PG_URL
    if IN_CI:
        pytest.fail("CI=true but SINERGI_TEST_PG_URL is not set: PostgreSQL tests may not skip")
    pytest.skip("PostgreSQL not available: set SINERGI_TEST_PG_URL (see .ci/pg-start)")


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


@contextmanager
def named_pg_database(prefix: str, template: str | None = None) -> Iterator[str]:
    """A new PostgreSQL database named ``<prefix>_<worker>_<random>`` (a copy of the database
    ``template`` when given, else empty), forcibly dropped on leaving; yields its URL."""
    base = make_url(_require_pg()).set(drivername="postgresql+psycopg")
    name = f"{prefix}_{_worker()}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        suffix = f' TEMPLATE "{template}"' if template else ""
        conn.execute(text(f'CREATE DATABASE "{name}"{suffix}'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        from sinergi.store.db import get_engine

        get_engine.cache_clear()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def copy_sqlite(src: Path, dst: Path) -> str:
    """A copy of the SQLite database ``src`` at ``dst``; returns its URL. Through the backup API:
    a plain file copy could miss committed pages another connection (Ibis, during an
    assessment) kept from being checkpointed out of the WAL."""
    source, target = sqlite3.connect(src), sqlite3.connect(dst)
    try:
        with target:
            source.backup(target)
    finally:
        source.close()
        target.close()
    return f"sqlite:///{dst}"


@pytest.fixture(scope="session")
def synth_regency(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The source files of a synthetic regency at 1 % (seeded), generated once per worker."""
    from sinergi.synth import generate

    out = tmp_path_factory.mktemp("synth")
    generate(out, seed=5, scale=0.01, ref_date=SYNTH_REF)
    return out


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    """A database migrated to head once per test worker; each test clones it (fast)."""
    from sinergi.store.db import get_engine, upgrade

    with named_pg_database("sinergi_tpl") as url:
        upgrade(url)
        get_engine.cache_clear()
        yield str(make_url(url).database)


@pytest.fixture
def pg_empty_url() -> Iterator[str]:
    """A new, empty PostgreSQL database (no schema), dropped afterwards."""
    with named_pg_database("sinergi_test") as url:
        yield url


@pytest.fixture
def pg_url(pg_template: str) -> Iterator[str]:
    """A new PostgreSQL database at the newest schema, dropped afterwards."""
    with named_pg_database("sinergi_test", pg_template) as url:
        yield url


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from sinergi.store.db import upgrade

    path = tmp_path_factory.mktemp("template") / "sinergi.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture
def sqlite_url(tmp_path: Path, sqlite_template: Path) -> str:
    """A SQLite database file at the newest schema (a copy of a migrated template)."""
    return copy_sqlite(sqlite_template, tmp_path / "sinergi.db")


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest) -> str:
    """Run the test once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_url")
    return request.getfixturevalue("pg_url")


@pytest.fixture
def engine(db_url: str):  # type: ignore[no-untyped-def]
    from sinergi.store.db import ensure_schema

    eng = ensure_schema(db_url)
    yield eng
    eng.dispose()
