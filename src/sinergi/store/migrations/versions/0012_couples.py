"""couples within a KK: the roster's wish for a child per person, and per assessed family which
PUS couple (the wife's NIK) fired which factor

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 21:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "ingin_anak",
                sa.String(length=10),
                nullable=True,
                comment="wish for a child: ya_segera (within 2 years) | ya_nanti | tidak; "
                "NULL unknown",
            )
        )
    with op.batch_alter_table("assessment_families", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "pasangan",
                sa.Text(),
                nullable=True,
                comment="per PUS couple 'wife NIK:factor,factor' (codes it fired), ';'-joined "
                "by NIK",
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("assessment_families", schema=None) as batch_op:
        batch_op.drop_column("pasangan")
    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.drop_column("ingin_anak")
