"""search by name through an index: SQLite FTS5 trigram tables kept in step by triggers (new and
renamed rows wait in a small table until indexed set-wise), PostgreSQL GIN trigram indexes
(pg_trgm) on persons.nama and families.nama_kepala

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 06:30:00

The names are frozen here as `sinergi.store.search` spells them at this revision.
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import text

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

_COLUMNS = {"persons": "nama", "families": "nama_kepala"}


def _sqlite_up(table: str, column: str) -> list[str]:
    fts = f"{table}_{column}_fts"
    new = f"{fts}_baru"  # rows not in the index yet: a bulk import indexes them set-wise
    old_indexed = f"old.rowid NOT IN (SELECT rid FROM {new})"
    return [
        f"CREATE VIRTUAL TABLE {fts} USING fts5({column}, tokenize='trigram', "
        f"content='{table}', content_rowid='rowid')",
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
        f"CREATE TABLE {new} (rid INTEGER PRIMARY KEY)",
        f"CREATE TRIGGER {fts}_ai AFTER INSERT ON {table} BEGIN "
        f"INSERT OR IGNORE INTO {new}(rid) VALUES (new.rowid); END",
        f"CREATE TRIGGER {fts}_ad AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {column}) "
        f"SELECT 'delete', old.rowid, old.{column} WHERE {old_indexed}; "
        f"DELETE FROM {new} WHERE rid = old.rowid; END",
        f"CREATE TRIGGER {fts}_au AFTER UPDATE OF {column} ON {table} "
        f"WHEN old.{column} IS NOT new.{column} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {column}) "
        f"SELECT 'delete', old.rowid, old.{column} WHERE {old_indexed}; "
        f"INSERT OR IGNORE INTO {new}(rid) VALUES (new.rowid); END",
    ]


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for table, column in _COLUMNS.items():
            for statement in _sqlite_up(table, column):
                bind.execute(text(statement))
        return
    # pg_trgm is a trusted extension (PostgreSQL 13+): the database's owner may create it.
    bind.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    for table, column in _COLUMNS.items():
        bind.execute(
            text(
                f"CREATE INDEX IF NOT EXISTS ix_{table}_{column}_trgm ON {table} "
                f"USING gin ({column} gin_trgm_ops)"
            )
        )


def downgrade() -> None:
    bind = op.get_bind()
    for table, column in _COLUMNS.items():
        if bind.dialect.name == "sqlite":
            fts = f"{table}_{column}_fts"
            for suffix in ("ai", "ad", "au"):
                bind.execute(text(f"DROP TRIGGER IF EXISTS {fts}_{suffix}"))
            bind.execute(text(f"DROP TABLE IF EXISTS {fts}"))
            bind.execute(text(f"DROP TABLE IF EXISTS {fts}_baru"))
        else:
            bind.execute(text(f"DROP INDEX IF EXISTS ix_{table}_{column}_trgm"))
