"""proposals from budgeted allocation

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "proposals",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kode_program", sa.String(length=60), nullable=False),
        sa.Column("periode", sa.String(length=20), nullable=False),
        sa.Column("no_kk", sa.String(length=16), nullable=False),
        sa.Column("kode_desa", sa.String(length=13), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.String(length=20),
            nullable=False,
            comment="usulan (workflow follows in deliver)",
        ),
        sa.Column("biaya", sa.BigInteger(), nullable=False),
        sa.Column("faktor", sa.String(length=250), nullable=False),
        sa.Column("alasan", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["kode_desa"], ["regions.kode"], name=op.f("fk_proposals_kode_desa_regions")
        ),
        sa.ForeignKeyConstraint(
            ["no_kk"], ["families.no_kk"], name=op.f("fk_proposals_no_kk_families")
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["assessment_runs.id"], name=op.f("fk_proposals_run_id_assessment_runs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proposals")),
        sa.UniqueConstraint(
            "kode_program", "periode", "no_kk", name=op.f("uq_proposals_kode_program")
        ),
    )
    with op.batch_alter_table("proposals", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_proposals_kode_program"), ["kode_program"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_proposals_no_kk"), ["no_kk"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("proposals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_proposals_no_kk"))
        batch_op.drop_index(batch_op.f("ix_proposals_kode_program"))

    op.drop_table("proposals")
