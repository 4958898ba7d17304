"""Shared fixtures: a fresh database per test on SQLite and on a real PostgreSQL server.

PostgreSQL comes from SINERGI_TEST_PG_URL (.ci/run starts one; locally `.ci/pg-start` prints a
URL). Without it the PostgreSQL variants skip with the reason — except under CI=true, where a
missing server fails the run, because a skipped test is not a passing one.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

PG_URL = os.environ.get("SINERGI_TEST_PG_URL")
IN_CI = os.environ.get("CI", "").lower() == "true"


def _require_pg() -> str:
    if PG_URL:
        return PG_URL
    if IN_CI:
        pytest.fail("CI=true but SINERGI_TEST_PG_URL is not set: PostgreSQL tests may not skip")
    pytest.skip("PostgreSQL not available: set SINERGI_TEST_PG_URL (see .ci/pg-start)")


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    """A database migrated to head once per test worker; each test clones it (fast)."""
    base = make_url(_require_pg()).set(drivername="postgresql+psycopg")
    name = f"sinergi_tpl_{_worker()}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    from sinergi.store.db import get_engine, upgrade

    url = base.set(database=name).render_as_string(hide_password=False)
    upgrade(url)
    get_engine.cache_clear()
    try:
        yield name
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def pg_empty_url() -> Iterator[str]:
    """A new, empty PostgreSQL database (no schema), dropped afterwards."""
    yield from _pg_database(None)


@pytest.fixture
def pg_url(pg_template: str) -> Iterator[str]:
    """A new PostgreSQL database at the newest schema, dropped afterwards."""
    yield from _pg_database(pg_template)


def _pg_database(template: str | None) -> Iterator[str]:
    base = make_url(_require_pg()).set(drivername="postgresql+psycopg")
    name = f"sinergi_test_{uuid.uuid4().hex[:12]}"
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


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from sinergi.store.db import upgrade

    path = tmp_path_factory.mktemp("template") / "sinergi.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture
def sqlite_url(tmp_path: Path, sqlite_template: Path) -> str:
    """A SQLite database file at the newest schema (a copy of a migrated template)."""
    path = tmp_path / "sinergi.db"
    shutil.copyfile(sqlite_template, path)
    return f"sqlite:///{path}"


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
