"""linkage: link runs with their model, every source record's person cluster, scored pairs and
officers' decisions

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 19:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "link_runs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "full",
            sa.Boolean(),
            nullable=False,
            comment="all records re-linked (else only new ones)",
        ),
        sa.Column(
            "trained",
            sa.Boolean(),
            nullable=False,
            comment="parameters estimated by EM in this run",
        ),
        sa.Column(
            "model",
            sa.Text(),
            nullable=False,
            comment="the Splink model (JSON) the run scored with",
        ),
        sa.Column("threshold", sa.Float(), nullable=False),
        sa.Column("review_threshold", sa.Float(), nullable=False),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.Column("new_records", sa.Integer(), nullable=False),
        sa.Column(
            "pairs", sa.Integer(), nullable=False, comment="pairs scored above the review threshold"
        ),
        sa.Column(
            "linked", sa.Integer(), nullable=False, comment="records linked to a roster person"
        ),
        sa.Column("review", sa.Integer(), nullable=False, comment="pairs waiting for an officer"),
        sa.Column("seconds", sa.Float(), nullable=True),
        sa.Column("oleh", sa.String(length=100), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_link_runs")),
    )
    op.create_table(
        "person_links",
        sa.Column(
            "record",
            sa.String(length=90),
            nullable=False,
            comment="sumber:kunci of one source record",
        ),
        sa.Column("sumber", sa.String(length=20), nullable=False, comment="keluarga | eppgbm"),
        sa.Column(
            "kunci",
            sa.String(length=70),
            nullable=False,
            comment="NIK (roster) or child identity (e-PPGBM)",
        ),
        sa.Column("cluster_id", sa.String(length=90), nullable=False),
        sa.Column(
            "nik",
            sa.String(length=16),
            nullable=True,
            comment="the cluster's roster NIK, if it has one",
        ),
        sa.Column(
            "no_kk",
            sa.String(length=16),
            nullable=True,
            comment="the family the cluster belongs to",
        ),
        sa.Column(
            "probability",
            sa.Float(),
            nullable=True,
            comment="the match probability that attached it (model links)",
        ),
        sa.Column(
            "decided_by",
            sa.String(length=20),
            nullable=False,
            comment="nik | model | petugas | sendiri",
        ),
        sa.Column(
            "digest",
            sa.String(length=32),
            nullable=False,
            comment="of the compared values: changed → re-linked",
        ),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["link_runs.id"], name=op.f("fk_person_links_run_id_link_runs")
        ),
        sa.PrimaryKeyConstraint("record", name=op.f("pk_person_links")),
    )
    op.create_index(op.f("ix_person_links_cluster_id"), "person_links", ["cluster_id"])
    op.create_index(op.f("ix_person_links_no_kk"), "person_links", ["no_kk"])
    op.create_table(
        "link_pairs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("record_l", sa.String(length=90), nullable=False),
        sa.Column("record_r", sa.String(length=90), nullable=False),
        sa.Column("probability", sa.Float(), nullable=False),
        sa.Column("match_weight", sa.Float(), nullable=False),
        sa.Column(
            "fields",
            sa.JSON(),
            nullable=False,
            comment="per field: both values and the agreement level",
        ),
        sa.Column(
            "kode_desa",
            sa.String(length=13),
            nullable=True,
            comment="the e-PPGBM record's village (scope)",
        ),
        sa.Column(
            "status",
            sa.String(length=12),
            nullable=False,
            comment="otomatis | menunggu | diterima | ditolak",
        ),
        sa.Column(
            "alasan",
            sa.String(length=40),
            nullable=True,
            comment="why it waits: konflik | nik_berbeda | di_antara_ambang",
        ),
        sa.Column("decided_by", sa.String(length=100), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["link_runs.id"], name=op.f("fk_link_pairs_run_id_link_runs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_link_pairs")),
        sa.UniqueConstraint("record_l", "record_r", name="uq_link_pairs_pair"),
    )
    op.create_index(op.f("ix_link_pairs_kode_desa"), "link_pairs", ["kode_desa"])
    op.create_index(op.f("ix_link_pairs_status"), "link_pairs", ["status"])


def downgrade() -> None:
    op.drop_index(op.f("ix_link_pairs_status"), table_name="link_pairs")
    op.drop_index(op.f("ix_link_pairs_kode_desa"), table_name="link_pairs")
    op.drop_table("link_pairs")
    op.drop_index(op.f("ix_person_links_no_kk"), table_name="person_links")
    op.drop_index(op.f("ix_person_links_cluster_id"), table_name="person_links")
    op.drop_table("person_links")
    op.drop_table("link_runs")
