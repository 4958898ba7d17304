"""audit log closed to REPLACE and TRUNCATE; import batches record the data date and the way in

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 15:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# SQLite does not fire DELETE triggers when INSERT OR REPLACE (or REPLACE) removes the row it
# conflicts with, so an insert that names an existing id is refused before it can replace it.
_SQLITE_NO_REPLACE = """CREATE TRIGGER audit_log_no_replace BEFORE INSERT ON audit_log
    WHEN NEW.id IS NOT NULL AND EXISTS (SELECT 1 FROM audit_log WHERE id = NEW.id)
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"""
# PostgreSQL: row triggers do not see TRUNCATE; a statement trigger refuses it. The privileges
# are taken away as well, so an application account that is not a superuser cannot even ask.
_PG_NO_TRUNCATE = """CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()"""
_PG_REVOKE = "REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC, CURRENT_USER"


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(_SQLITE_NO_REPLACE)
    else:
        op.execute(_PG_NO_TRUNCATE)
        op.execute(_PG_REVOKE)
    with op.batch_alter_table("import_batches", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "as_of", sa.Date(), nullable=True, comment="the date the file's data describe"
            )
        )
        batch_op.add_column(
            sa.Column("via", sa.String(length=10), nullable=True, comment="cli | web | api")
        )


def downgrade() -> None:
    with op.batch_alter_table("import_batches", schema=None) as batch_op:
        batch_op.drop_column("via")
        batch_op.drop_column("as_of")
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_replace")
    else:
        op.execute("GRANT UPDATE, DELETE, TRUNCATE ON audit_log TO CURRENT_USER")
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log")
