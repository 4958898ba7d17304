"""pregnancies and engaged couples: the dated pregnancies of the ibu_hamil files (Elsimil, ANC,
kohort ibu) and the screenings of the catin files

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 21:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def _provenance() -> list[sa.schema.SchemaItem]:
    return [
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("baris", sa.Integer(), nullable=True),
        sa.Column(
            "tanggal_data",
            sa.Date(),
            nullable=True,
            comment="the date the stored values describe",
        ),
        sa.ForeignKeyConstraint(["batch_id"], ["import_batches.id"]),
    ]


def upgrade() -> None:
    op.create_table(
        "pregnancies",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column(
            "record_key",
            sa.String(length=64),
            nullable=False,
            comment="NIK + HPHT: one pregnancy; each check-up row of it updates the same record",
        ),
        sa.Column("nik", sa.String(length=16), nullable=False),
        sa.Column("no_kk", sa.String(length=16), nullable=True),
        sa.Column("nama", sa.String(length=200), nullable=False),
        sa.Column("kode_desa", sa.String(length=13), nullable=False),
        sa.Column("tanggal_periksa", sa.Date(), nullable=False, comment="the latest check-up"),
        sa.Column(
            "hpht",
            sa.Date(),
            nullable=False,
            comment="first day of the last period (given or derived)",
        ),
        sa.Column(
            "usia_kehamilan",
            sa.SmallInteger(),
            nullable=True,
            comment="weeks at the check-up, as written",
        ),
        sa.Column("taksiran_persalinan", sa.Date(), nullable=False, comment="HPHT + 280 days"),
        sa.Column("lila", sa.Float(), nullable=True, comment="mid-upper arm circumference, cm"),
        sa.Column("hb", sa.Float(), nullable=True, comment="haemoglobin, g/dL"),
        sa.Column("tinggi", sa.Float(), nullable=True),
        sa.Column("berat", sa.Float(), nullable=True),
        *_provenance(),
        sa.ForeignKeyConstraint(["kode_desa"], ["regions.kode"]),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pregnancies")),
        sa.UniqueConstraint("record_key", name=op.f("uq_pregnancies_record_key")),
    )
    for col in ("nik", "no_kk", "kode_desa"):
        op.create_index(op.f(f"ix_pregnancies_{col}"), "pregnancies", [col])
    op.create_table(
        "catin",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column(
            "record_key", sa.String(length=64), nullable=False, comment="NIK + screening date"
        ),
        sa.Column("nik", sa.String(length=16), nullable=False),
        sa.Column("nama", sa.String(length=200), nullable=False),
        sa.Column("jenis_kelamin", sa.String(length=1), nullable=True),
        sa.Column("tanggal_lahir", sa.Date(), nullable=True),
        sa.Column("kode_desa", sa.String(length=13), nullable=False),
        sa.Column("tanggal_periksa", sa.Date(), nullable=False),
        sa.Column(
            "rencana_menikah", sa.Date(), nullable=True, comment="planned wedding date, when given"
        ),
        sa.Column("lila", sa.Float(), nullable=True),
        sa.Column("hb", sa.Float(), nullable=True),
        sa.Column("tinggi", sa.Float(), nullable=True),
        sa.Column("berat", sa.Float(), nullable=True),
        sa.Column(
            "imt", sa.Float(), nullable=True, comment="body-mass index, as written or computed"
        ),
        *_provenance(),
        sa.ForeignKeyConstraint(["kode_desa"], ["regions.kode"]),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catin")),
        sa.UniqueConstraint("record_key", name=op.f("uq_catin_record_key")),
    )
    for col in ("nik", "kode_desa"):
        op.create_index(op.f(f"ix_catin_{col}"), "catin", [col])


def downgrade() -> None:
    op.drop_table("catin")
    op.drop_table("pregnancies")
