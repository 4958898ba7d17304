"""village verification as data: the verifications table (ada, pindah, meninggal,
tidak_ditemukan, koreksi), a family's move-away date and a member's date of death

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 03:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("families", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "keluar",
                sa.Date(),
                nullable=True,
                comment="date a village verification found the family moved away to no village "
                "of this registry: it leaves every list and count from the next assessment",
            )
        )
    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "meninggal",
                sa.Date(),
                nullable=True,
                comment="date of death a village verification recorded: the person leaves the "
                "roster (kept for its history)",
            )
        )
    op.create_table(
        "verifications",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column(
            "record_key",
            sa.String(length=64),
            nullable=False,
            comment="KK + NIK + result + column + new value + date: a re-import is the same record",
        ),
        sa.Column("no_kk", sa.String(length=16), nullable=False),
        sa.Column(
            "nik",
            sa.String(length=16),
            nullable=True,
            comment="the member the result is about; NULL: the whole family",
        ),
        sa.Column(
            "kode_desa",
            sa.String(length=13),
            nullable=False,
            comment="the family's village when verified (the scope of the record)",
        ),
        sa.Column(
            "hasil",
            sa.String(length=20),
            nullable=False,
            comment="ada | pindah | meninggal | tidak_ditemukan | koreksi",
        ),
        sa.Column(
            "kolom",
            sa.String(length=60),
            nullable=True,
            comment="koreksi: the roster column, by its formats.md name",
        ),
        sa.Column("nilai_lama", sa.Text(), nullable=True, comment="koreksi: the value it replaced"),
        sa.Column(
            "nilai_baru",
            sa.Text(),
            nullable=True,
            comment="koreksi: the new value; pindah: the new village, if any",
        ),
        sa.Column("tanggal", sa.Date(), nullable=False, comment="the day the village checked"),
        sa.Column("petugas", sa.String(length=200), nullable=True),
        sa.Column("catatan", sa.Text(), nullable=True),
        sa.Column(
            "status",
            sa.String(length=20),
            nullable=False,
            comment="diterapkan | menunggu (awaiting DPPKB approval) | ditolak",
        ),
        sa.Column(
            "diputuskan_oleh",
            sa.String(length=100),
            nullable=True,
            comment="who approved or rejected a waiting record",
        ),
        sa.Column("diputuskan", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sumber", sa.String(length=20), nullable=False, comment="impor | web | odk"),
        sa.Column("dicatat_oleh", sa.String(length=100), nullable=False),
        sa.Column("dicatat", sa.DateTime(timezone=True), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("baris", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["import_batches.id"],
            name=op.f("fk_verifications_batch_id_import_batches"),
        ),
        sa.ForeignKeyConstraint(
            ["kode_desa"], ["regions.kode"], name=op.f("fk_verifications_kode_desa_regions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_verifications")),
        sa.UniqueConstraint("record_key", name=op.f("uq_verifications_record_key")),
    )
    with op.batch_alter_table("verifications", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_verifications_kode_desa"), ["kode_desa"], unique=False)
        batch_op.create_index(batch_op.f("ix_verifications_no_kk"), ["no_kk"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("verifications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_verifications_no_kk"))
        batch_op.drop_index(batch_op.f("ix_verifications_kode_desa"))
    op.drop_table("verifications")
    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.drop_column("meninggal")
    with op.batch_alter_table("families", schema=None) as batch_op:
        batch_op.drop_column("keluar")
