"""registry: regions, families, persons, measurements, interventions, village facts, provenance and history

Revision ID: 0001
Revises:
Create Date: 2026-11-28

The region table is seeded from the bundled Kemendagri codes (all of Indonesia), so that every
village code stored elsewhere is checked by a foreign key.
"""

from __future__ import annotations

import csv

import sqlalchemy as sa
from alembic import op

from sinergi.settings import package_data

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "import_batches",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("file_name", sa.String(length=500), nullable=False),
        sa.Column("sheet", sa.String(length=200), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False, comment="dimuat | ditolak"),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("rows_read", sa.Integer(), nullable=False),
        sa.Column("rows_loaded", sa.Integer(), nullable=False),
        sa.Column("rows_rejected", sa.Integer(), nullable=False),
        sa.Column("rows_warned", sa.Integer(), nullable=False),
        sa.Column("inserted", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("refusal", sa.Text(), nullable=True),
        sa.Column(
            "extra_columns", sa.JSON(), nullable=True, comment="unknown columns kept as provenance"
        ),
        sa.Column("imported_by", sa.String(length=100), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_batches")),
    )
    with op.batch_alter_table("import_batches", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_import_batches_sha256"), ["sha256"], unique=False)

    op.create_table(
        "regions",
        sa.Column("kode", sa.String(length=13), nullable=False, comment="Kemendagri code, dotted"),
        sa.Column("nama", sa.String(length=120), nullable=False),
        sa.Column("tingkat", sa.String(length=20), nullable=False),
        sa.Column("induk", sa.String(length=13), nullable=True),
        sa.PrimaryKeyConstraint("kode", name=op.f("pk_regions")),
    )
    with op.batch_alter_table("regions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_regions_induk"), ["induk"], unique=False)

    _seed_regions()

    op.create_table(
        "families",
        sa.Column("no_kk", sa.String(length=16), nullable=False),
        sa.Column("kode_desa", sa.String(length=13), nullable=False),
        sa.Column("dusun", sa.String(length=120), nullable=True),
        sa.Column("rt", sa.String(length=10), nullable=True),
        sa.Column("rw", sa.String(length=10), nullable=True),
        sa.Column("alamat", sa.String(length=500), nullable=True),
        sa.Column("lintang", sa.Float(), nullable=True),
        sa.Column("bujur", sa.Float(), nullable=True),
        sa.Column("sumber_air", sa.String(length=40), nullable=True),
        sa.Column("jamban", sa.String(length=40), nullable=True),
        sa.Column("rumah_layak", sa.Boolean(), nullable=True),
        sa.Column("desil", sa.SmallInteger(), nullable=True),
        sa.Column("penerima_pkh", sa.Boolean(), nullable=True),
        sa.Column("penerima_bpnt", sa.Boolean(), nullable=True),
        sa.Column("pengeluaran_per_kapita", sa.BigInteger(), nullable=True),
        sa.Column("nik_kepala", sa.String(length=16), nullable=True),
        sa.Column("nama_kepala", sa.String(length=200), nullable=True),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("baris", sa.Integer(), nullable=True),
        sa.Column("desil_batch_id", sa.Integer(), nullable=True),
        sa.Column("desil_baris", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["import_batches.id"], name=op.f("fk_families_batch_id_import_batches")
        ),
        sa.ForeignKeyConstraint(
            ["desil_batch_id"],
            ["import_batches.id"],
            name=op.f("fk_families_desil_batch_id_import_batches"),
        ),
        sa.ForeignKeyConstraint(
            ["kode_desa"], ["regions.kode"], name=op.f("fk_families_kode_desa_regions")
        ),
        sa.PrimaryKeyConstraint("no_kk", name=op.f("pk_families")),
    )
    with op.batch_alter_table("families", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_families_kode_desa"), ["kode_desa"], unique=False)

    op.create_table(
        "import_issues",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("baris", sa.Integer(), nullable=True),
        sa.Column("kolom", sa.String(length=200), nullable=True),
        sa.Column("nilai", sa.Text(), nullable=True),
        sa.Column("kode", sa.String(length=60), nullable=False),
        sa.Column("tingkat", sa.String(length=10), nullable=False, comment="error | warning"),
        sa.Column("alasan", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["import_batches.id"],
            name=op.f("fk_import_issues_batch_id_import_batches"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_issues")),
    )
    with op.batch_alter_table("import_issues", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_import_issues_batch_id"), ["batch_id"], unique=False)

    op.create_table(
        "interventions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("record_key", sa.String(length=64), nullable=False),
        sa.Column("kode_program", sa.String(length=60), nullable=False),
        sa.Column("no_kk", sa.String(length=16), nullable=True),
        sa.Column("nik", sa.String(length=16), nullable=True),
        sa.Column("nama", sa.String(length=200), nullable=True),
        sa.Column("kode_desa", sa.String(length=13), nullable=True),
        sa.Column("tanggal", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("nilai", sa.BigInteger(), nullable=True),
        sa.Column("keterangan", sa.Text(), nullable=True),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("baris", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["import_batches.id"],
            name=op.f("fk_interventions_batch_id_import_batches"),
        ),
        sa.ForeignKeyConstraint(
            ["kode_desa"], ["regions.kode"], name=op.f("fk_interventions_kode_desa_regions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interventions")),
        sa.UniqueConstraint("record_key", name=op.f("uq_interventions_record_key")),
    )
    with op.batch_alter_table("interventions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_interventions_kode_program"), ["kode_program"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_interventions_nik"), ["nik"], unique=False)
        batch_op.create_index(batch_op.f("ix_interventions_no_kk"), ["no_kk"], unique=False)

    op.create_table(
        "measurements",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column(
            "record_key",
            sa.String(length=64),
            nullable=False,
            comment="child identity + measurement date; a re-import of the row updates it",
        ),
        sa.Column("nik_anak", sa.String(length=16), nullable=True),
        sa.Column("nama_anak", sa.String(length=200), nullable=False),
        sa.Column("jenis_kelamin", sa.String(length=1), nullable=False),
        sa.Column("tanggal_lahir", sa.Date(), nullable=False),
        sa.Column("nama_ortu", sa.String(length=200), nullable=True),
        sa.Column("nik_ortu", sa.String(length=16), nullable=True),
        sa.Column("no_kk", sa.String(length=16), nullable=True),
        sa.Column("kode_desa", sa.String(length=13), nullable=False),
        sa.Column("posyandu", sa.String(length=200), nullable=True),
        sa.Column("rt", sa.String(length=10), nullable=True),
        sa.Column("rw", sa.String(length=10), nullable=True),
        sa.Column("tanggal_ukur", sa.Date(), nullable=False),
        sa.Column("berat", sa.Float(), nullable=True),
        sa.Column("tinggi", sa.Float(), nullable=True),
        sa.Column("cara_ukur", sa.String(length=10), nullable=True),
        sa.Column("lila", sa.Float(), nullable=True),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("baris", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["import_batches.id"],
            name=op.f("fk_measurements_batch_id_import_batches"),
        ),
        sa.ForeignKeyConstraint(
            ["kode_desa"], ["regions.kode"], name=op.f("fk_measurements_kode_desa_regions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_measurements")),
        sa.UniqueConstraint("record_key", name=op.f("uq_measurements_record_key")),
    )
    with op.batch_alter_table("measurements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_measurements_kode_desa"), ["kode_desa"], unique=False)
        batch_op.create_index(batch_op.f("ix_measurements_nik_anak"), ["nik_anak"], unique=False)
        batch_op.create_index(batch_op.f("ix_measurements_nik_ortu"), ["nik_ortu"], unique=False)
        batch_op.create_index(batch_op.f("ix_measurements_no_kk"), ["no_kk"], unique=False)

    op.create_table(
        "value_history",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("table_name", sa.String(length=40), nullable=False),
        sa.Column("record_key", sa.String(length=64), nullable=False),
        sa.Column("field", sa.String(length=60), nullable=False),
        sa.Column("old_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=True),
        sa.Column("old_batch_id", sa.Integer(), nullable=True),
        sa.Column("old_baris", sa.Integer(), nullable=True),
        sa.Column("new_batch_id", sa.Integer(), nullable=False),
        sa.Column("new_baris", sa.Integer(), nullable=True),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["new_batch_id"],
            ["import_batches.id"],
            name=op.f("fk_value_history_new_batch_id_import_batches"),
        ),
        sa.ForeignKeyConstraint(
            ["old_batch_id"],
            ["import_batches.id"],
            name=op.f("fk_value_history_old_batch_id_import_batches"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_value_history")),
    )
    with op.batch_alter_table("value_history", schema=None) as batch_op:
        batch_op.create_index("ix_value_history_record", ["table_name", "record_key"], unique=False)

    op.create_table(
        "village_facts",
        sa.Column("kode_desa", sa.String(length=13), nullable=False),
        sa.Column("jaringan_air", sa.String(length=20), nullable=False),
        sa.Column("tahun", sa.SmallInteger(), nullable=True),
        sa.Column("sambungan_rumah", sa.Integer(), nullable=True),
        sa.Column("biaya_jaringan", sa.BigInteger(), nullable=True),
        sa.Column("indikator_lain", sa.JSON(), nullable=True),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("baris", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["import_batches.id"],
            name=op.f("fk_village_facts_batch_id_import_batches"),
        ),
        sa.ForeignKeyConstraint(
            ["kode_desa"], ["regions.kode"], name=op.f("fk_village_facts_kode_desa_regions")
        ),
        sa.PrimaryKeyConstraint("kode_desa", name=op.f("pk_village_facts")),
    )
    op.create_table(
        "persons",
        sa.Column("nik", sa.String(length=16), nullable=False),
        sa.Column("no_kk", sa.String(length=16), nullable=False),
        sa.Column("nama", sa.String(length=200), nullable=False),
        sa.Column("jenis_kelamin", sa.String(length=1), nullable=False),
        sa.Column("tanggal_lahir", sa.Date(), nullable=False),
        sa.Column("hubungan", sa.String(length=30), nullable=False),
        sa.Column("status_kawin", sa.String(length=20), nullable=True),
        sa.Column("hamil", sa.Boolean(), nullable=True),
        sa.Column("kontrasepsi", sa.String(length=20), nullable=True),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("baris", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["import_batches.id"], name=op.f("fk_persons_batch_id_import_batches")
        ),
        sa.ForeignKeyConstraint(
            ["no_kk"], ["families.no_kk"], name=op.f("fk_persons_no_kk_families")
        ),
        sa.PrimaryKeyConstraint("nik", name=op.f("pk_persons")),
    )
    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_persons_no_kk"), ["no_kk"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_persons_no_kk"))

    op.drop_table("persons")
    op.drop_table("village_facts")
    with op.batch_alter_table("value_history", schema=None) as batch_op:
        batch_op.drop_index("ix_value_history_record")

    op.drop_table("value_history")
    with op.batch_alter_table("measurements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_measurements_no_kk"))
        batch_op.drop_index(batch_op.f("ix_measurements_nik_ortu"))
        batch_op.drop_index(batch_op.f("ix_measurements_nik_anak"))
        batch_op.drop_index(batch_op.f("ix_measurements_kode_desa"))

    op.drop_table("measurements")
    with op.batch_alter_table("interventions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interventions_no_kk"))
        batch_op.drop_index(batch_op.f("ix_interventions_nik"))
        batch_op.drop_index(batch_op.f("ix_interventions_kode_program"))

    op.drop_table("interventions")
    with op.batch_alter_table("import_issues", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_import_issues_batch_id"))

    op.drop_table("import_issues")
    with op.batch_alter_table("families", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_families_kode_desa"))

    op.drop_table("families")
    with op.batch_alter_table("regions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_regions_induk"))

    op.drop_table("regions")
    with op.batch_alter_table("import_batches", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_import_batches_sha256"))

    op.drop_table("import_batches")


def _parent(code: str) -> str | None:
    return code.rsplit(".", 1)[0] if "." in code else None


def _seed_regions() -> None:
    regions = sa.table(
        "regions",
        sa.column("kode", sa.String),
        sa.column("nama", sa.String),
        sa.column("tingkat", sa.String),
        sa.column("induk", sa.String),
    )
    with package_data("wilayah", "wilayah.csv").open(encoding="utf-8", newline="") as fh:
        rows = [
            {
                "kode": r["kode"],
                "nama": r["nama"],
                "tingkat": r["tingkat"],
                "induk": _parent(r["kode"]),
            }
            for r in csv.DictReader(fh)
        ]
    op.bulk_insert(regions, rows)
