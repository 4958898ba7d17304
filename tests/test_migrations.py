"""Schema migrations: an empty database upgrades to head on SQLite and PostgreSQL, and the
migrated schema is exactly what the table definitions say."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, func, inspect, select

from sinergi.store.db import current_revision, head_revision, normalize_url, upgrade
from sinergi.store.search import outside_metadata
from sinergi.store.tables import metadata, regions


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'empty.db'}"
    return request.getfixturevalue("pg_empty_url")


def test_upgrade_from_empty_to_head(empty_url: str) -> None:
    engine = create_engine(normalize_url(empty_url))
    assert current_revision(engine) is None
    upgrade(empty_url)
    assert current_revision(engine) == head_revision(empty_url)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_name": outside_metadata})
        diff = compare_metadata(context, metadata)
        villages = conn.execute(
            select(func.count()).select_from(regions).where(regions.c.tingkat == "desa_kelurahan")
        ).scalar_one()
        kutim = conn.execute(
            select(func.count()).select_from(regions).where(regions.c.induk.like("64.08.%"))
        ).scalar_one()
    assert diff == [], f"migrations and table definitions disagree: {diff}"
    assert villages == 83_762  # Kepmendagri 300.2.2-2138/2025: 75,266 desa + 8,496 kelurahan
    assert kutim == 141
    tables = set(inspect(engine).get_table_names())
    assert {
        "families",
        "persons",
        "measurements",
        "interventions",
        "village_facts",
        "import_batches",
        "import_issues",
        "value_history",
        "regions",
    } <= tables
    upgrade(empty_url)  # running it again is harmless
    engine.dispose()
