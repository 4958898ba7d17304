"""per assessed family, its members' case-finding codes (temuan): children's signals and
current pregnancies' findings, read by programme eligibility

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 00:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("assessment_families", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "temuan",
                sa.String(length=250),
                nullable=True,
                comment="';'-joined case-finding codes of the members at the reference date "
                "(sinergi.assess.findings); NULL in runs made before they were recorded",
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("assessment_families", schema=None) as batch_op:
        batch_op.drop_column("temuan")
