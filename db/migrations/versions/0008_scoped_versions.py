"""versions of activities and daily reports per region, rep and ISO week, so that a visit written in
one region keeps the cached reads of the other regions and reps (issue 17.1)

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-24 08:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # no rows: a read finds none and a write creates its own (an upsert)
    op.create_table(
        "scoped_versions",
        sa.Column("table_name", sa.String(40), nullable=False),
        sa.Column("axis", sa.String(8), nullable=False),
        sa.Column("axis_id", sa.String(32), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("table_name", "axis", "axis_id", name=op.f("pk_scoped_versions")),
    )


def downgrade() -> None:
    op.drop_table("scoped_versions")
