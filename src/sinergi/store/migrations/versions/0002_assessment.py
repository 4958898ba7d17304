"""assessment runs, families and children

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "assessment_runs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("ruleset_id", sa.String(length=40), nullable=False),
        sa.Column("ruleset_version", sa.String(length=40), nullable=False),
        sa.Column("ruleset_digest", sa.String(length=64), nullable=False),
        sa.Column("reference_date", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("engine", sa.String(length=20), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=True),
        sa.Column("families", sa.Integer(), nullable=False),
        sa.Column("target", sa.Integer(), nullable=False),
        sa.Column("krs", sa.Integer(), nullable=False),
        sa.Column("miskin_ekstrem", sa.Integer(), nullable=False),
        sa.Column("children_measured", sa.Integer(), nullable=False),
        sa.Column("children_stunted", sa.Integer(), nullable=False),
        sa.Column("children_unattached", sa.Integer(), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=True, comment="per factor and per sasaran code"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_runs")),
    )
    op.create_table(
        "assessment_families",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("no_kk", sa.String(length=16), nullable=False),
        sa.Column("kode_desa", sa.String(length=13), nullable=False),
        sa.Column(
            "sasaran", sa.String(length=60), nullable=False, comment="';'-joined sasaran codes"
        ),
        sa.Column(
            "faktor", sa.String(length=250), nullable=False, comment="';'-joined fired factor codes"
        ),
        sa.Column("krs", sa.Boolean(), nullable=False),
        sa.Column("miskin_ekstrem", sa.Boolean(), nullable=False),
        sa.Column("jumlah_balita", sa.Integer(), nullable=False),
        sa.Column("jumlah_balita_stunting", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["assessment_runs.id"],
            name=op.f("fk_assessment_families_run_id_assessment_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("run_id", "no_kk", name=op.f("pk_assessment_families")),
    )
    with op.batch_alter_table("assessment_families", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assessment_families_kode_desa"), ["kode_desa"], unique=False
        )

    op.create_table(
        "assessment_children",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column(
            "child_key",
            sa.String(length=64),
            nullable=False,
            comment="child NIK, or ~hash of name, birth date and parent when the NIK is missing",
        ),
        sa.Column("measurement_id", sa.Integer(), nullable=False),
        sa.Column("nik_anak", sa.String(length=16), nullable=True),
        sa.Column("nama_anak", sa.String(length=200), nullable=False),
        sa.Column("jenis_kelamin", sa.String(length=1), nullable=False),
        sa.Column("tanggal_lahir", sa.Date(), nullable=False),
        sa.Column("kode_desa", sa.String(length=13), nullable=False),
        sa.Column(
            "no_kk",
            sa.String(length=16),
            nullable=True,
            comment="attached family, NULL when none was found",
        ),
        sa.Column(
            "attached_by", sa.String(length=10), nullable=True, comment="kk | nik_ortu | nik_anak"
        ),
        sa.Column("tanggal_ukur", sa.Date(), nullable=False),
        sa.Column("umur_hari", sa.Integer(), nullable=True),
        sa.Column("zs_tbu", sa.Float(), nullable=True),
        sa.Column("zs_bbu", sa.Float(), nullable=True),
        sa.Column("zs_bbtb", sa.Float(), nullable=True),
        sa.Column("zs_imtu", sa.Float(), nullable=True),
        sa.Column("status_tbu", sa.String(length=20), nullable=True),
        sa.Column("status_bbu", sa.String(length=20), nullable=True),
        sa.Column("status_bbtb", sa.String(length=25), nullable=True),
        sa.Column("flags", sa.String(length=60), nullable=True),
        sa.Column("alasan", sa.String(length=60), nullable=True),
        sa.ForeignKeyConstraint(
            ["measurement_id"],
            ["measurements.id"],
            name=op.f("fk_assessment_children_measurement_id_measurements"),
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["assessment_runs.id"],
            name=op.f("fk_assessment_children_run_id_assessment_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("run_id", "child_key", name=op.f("pk_assessment_children")),
    )
    with op.batch_alter_table("assessment_children", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assessment_children_kode_desa"), ["kode_desa"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_assessment_children_no_kk"), ["no_kk"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("assessment_children", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessment_children_no_kk"))
        batch_op.drop_index(batch_op.f("ix_assessment_children_kode_desa"))

    op.drop_table("assessment_children")
    with op.batch_alter_table("assessment_families", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessment_families_kode_desa"))

    op.drop_table("assessment_families")
    op.drop_table("assessment_runs")
