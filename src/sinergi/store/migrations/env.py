"""Alembic environment: runs migrations against the URL given in the config (see store.db)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import engine_from_config, pool

from sinergi.store.search import outside_metadata
from sinergi.store.tables import metadata

config = context.config


def run() -> None:
    engine = engine_from_config(
        config.get_section(config.config_ini_section, {}),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    with engine.connect() as connection:
        # SQLite cannot ALTER most things in place; batch mode rebuilds tables for it.
        context.configure(
            connection=connection,
            target_metadata=metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            # The name-search indexes differ per database and live in migrations only.
            include_name=outside_metadata,
        )
        with context.begin_transaction():
            context.run_migrations()


run()
