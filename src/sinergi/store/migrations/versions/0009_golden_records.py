"""golden records: one row per person cluster with the values that survived, and a P3KE family
joined to the roster KK it is

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 21:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_SUMBER = ("keluarga | eppgbm", "keluarga | eppgbm | ibu_hamil | intervensi | p3ke")
_KUNCI = (
    "NIK (roster) or child identity (e-PPGBM)",
    "NIK (roster), child identity (e-PPGBM), row key (intervensi, ibu_hamil), No KK (P3KE)",
)


def upgrade() -> None:
    op.create_table(
        "golden_persons",
        sa.Column("cluster_id", sa.String(length=90), nullable=False),
        sa.Column("nik", sa.String(length=16), nullable=True),
        sa.Column(
            "no_kk",
            sa.String(length=16),
            nullable=True,
            comment="the family: the roster's membership first",
        ),
        sa.Column("nama", sa.String(length=200), nullable=True),
        sa.Column("tanggal_lahir", sa.Date(), nullable=True),
        sa.Column("jenis_kelamin", sa.String(length=1), nullable=True),
        sa.Column("kode_desa", sa.String(length=13), nullable=True),
        sa.Column(
            "tanggal_data",
            sa.Date(),
            nullable=True,
            comment="the newest data date of the cluster's records",
        ),
        sa.Column(
            "sumber",
            sa.String(length=60),
            nullable=False,
            comment="';'-joined sources of its records",
        ),
        sa.Column(
            "rekaman",
            sa.Integer(),
            nullable=False,
            comment="how many source records it joins",
        ),
        sa.Column(
            "asal",
            sa.JSON(),
            nullable=False,
            comment="per field: the record whose value survived",
        ),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["link_runs.id"], name=op.f("fk_golden_persons_run_id_link_runs")
        ),
        sa.PrimaryKeyConstraint("cluster_id", name=op.f("pk_golden_persons")),
    )
    for col in ("nik", "no_kk", "kode_desa"):
        op.create_index(op.f(f"ix_golden_persons_{col}"), "golden_persons", [col])
    with op.batch_alter_table("families", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "digabung_ke",
                sa.String(length=16),
                nullable=True,
                comment="a P3KE family the linkage found to be this roster KK "
                "(its welfare went there)",
            )
        )
        batch_op.create_index(batch_op.f("ix_families_digabung_ke"), ["digabung_ke"])
    with op.batch_alter_table("person_links", schema=None) as batch_op:
        batch_op.alter_column(
            "sumber",
            existing_type=sa.String(length=20),
            existing_nullable=False,
            comment=_SUMBER[1],
            existing_comment=_SUMBER[0],
        )
        batch_op.alter_column(
            "kunci",
            existing_type=sa.String(length=70),
            existing_nullable=False,
            comment=_KUNCI[1],
            existing_comment=_KUNCI[0],
        )


def downgrade() -> None:
    with op.batch_alter_table("person_links", schema=None) as batch_op:
        batch_op.alter_column(
            "kunci",
            existing_type=sa.String(length=70),
            existing_nullable=False,
            comment=_KUNCI[0],
            existing_comment=_KUNCI[1],
        )
        batch_op.alter_column(
            "sumber",
            existing_type=sa.String(length=20),
            existing_nullable=False,
            comment=_SUMBER[0],
            existing_comment=_SUMBER[1],
        )
    with op.batch_alter_table("families", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_families_digabung_ke"))
        batch_op.drop_column("digabung_ke")
    op.drop_table("golden_persons")
