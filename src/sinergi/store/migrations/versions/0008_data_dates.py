"""data dates: every stored fact knows the date its data describe, so an older file never
overwrites a newer one; history marks the values it kept without applying; batches count them

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 19:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_COMMENT = "the date the stored values describe"
# The tables whose rows carry one data date (families also a second one, for the P3KE fields).
_DATED = ("families", "persons", "measurements", "interventions", "village_facts")


def upgrade() -> None:
    for table in _DATED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("tanggal_data", sa.Date(), nullable=True, comment=_COMMENT)
            )
            if table == "families":
                batch_op.add_column(
                    sa.Column("desil_tanggal_data", sa.Date(), nullable=True, comment=_COMMENT)
                )
    with op.batch_alter_table("import_batches", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "older",
                sa.Integer(),
                nullable=False,
                server_default="0",
                comment="rows whose data date was older than the stored one (stored values kept)",
            )
        )
    with op.batch_alter_table("value_history", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "applied",
                sa.Boolean(),
                nullable=True,
                comment="false: an older file's value, kept but not applied (NULL: applied, "
                "before 0008)",
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("value_history", schema=None) as batch_op:
        batch_op.drop_column("applied")
    with op.batch_alter_table("import_batches", schema=None) as batch_op:
        batch_op.drop_column("older")
    for table in reversed(_DATED):
        with op.batch_alter_table(table, schema=None) as batch_op:
            if table == "families":
                batch_op.drop_column("desil_tanggal_data")
            batch_op.drop_column("tanggal_data")
