"""a version per data table, so that a write evicts only the cached reads of what it changed
(issue 17)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24 00:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

DATA_TABLES = (
    "regions", "reps", "products", "customers", "targets", "orders", "payments", "activities",
    "daily_reports", "opportunities", "opportunity_stages", "market_reports",
)  # fmt: skip


def upgrade() -> None:
    table = op.create_table(
        "table_versions",
        sa.Column("table_name", sa.String(40), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("table_name", name=op.f("pk_table_versions")),
    )
    # every row exists from the start: a write only ever updates (no insert race)
    op.bulk_insert(table, [{"table_name": name, "version": 0} for name in DATA_TABLES])


def downgrade() -> None:
    op.drop_table("table_versions")
