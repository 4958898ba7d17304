"""child case-finding fields: oedema and birth weight on measurements (e-PPGBM), and on each
assessed child its oedema, arm circumference, birth weight and 2T

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 21:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("measurements", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "edema",
                sa.Boolean(),
                nullable=True,
                comment="bilateral pitting oedema (e-PPGBM Edema); NULL: unrecorded",
            )
        )
        batch_op.add_column(
            sa.Column(
                "berat_lahir",
                sa.Integer(),
                nullable=True,
                comment="birth weight in grams (e-PPGBM BB Lahir)",
            )
        )
    with op.batch_alter_table("assessment_children", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "edema", sa.Boolean(), nullable=True, comment="oedema at the latest measurement"
            )
        )
        batch_op.add_column(
            sa.Column(
                "lila",
                sa.Float(),
                nullable=True,
                comment="arm circumference (cm) at the latest measurement",
            )
        )
        batch_op.add_column(
            sa.Column(
                "berat_lahir",
                sa.Integer(),
                nullable=True,
                comment="birth weight (g), the latest recorded for the child",
            )
        )
        batch_op.add_column(
            sa.Column(
                "bb_2t",
                sa.Boolean(),
                nullable=True,
                comment="2T: weight gain below the KBM at the last two consecutive monthly "
                "weighings",
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("assessment_children", schema=None) as batch_op:
        for name in ("bb_2t", "berat_lahir", "lila", "edema"):
            batch_op.drop_column(name)
    with op.batch_alter_table("measurements", schema=None) as batch_op:
        batch_op.drop_column("berat_lahir")
        batch_op.drop_column("edema")
