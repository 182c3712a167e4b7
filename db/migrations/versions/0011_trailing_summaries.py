"""each customer's orders and done activities of the 365 days up to a kept day, kept by every
write and rolled to a new day by the first write of that day: the customers' trailing-12-month
values from one row each (issue 17.2, db/summaries.py)

The tables start empty with no kept day: reads sum the raw rows until the first write or
``cli.py db summaries --rebuild`` fills them for the app's day.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-25 06:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "trailing_orders",
        sa.Column("customer_id", sa.String(32), nullable=False),
        sa.Column("revenue_cents", sa.BigInteger(), nullable=False),
        sa.Column("margin_cents", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("customer_id", name=op.f("pk_trailing_orders")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "trailing_activities",
        sa.Column("customer_id", sa.String(32), nullable=False),
        sa.Column("cost_cents", sa.BigInteger(), nullable=False),
        sa.Column("minutes", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("customer_id", name=op.f("pk_trailing_activities")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "summary_days",
        sa.Column("name", sa.String(32), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_summary_days")),
    )


def downgrade() -> None:
    op.drop_table("summary_days")
    op.drop_table("trailing_activities")
    op.drop_table("trailing_orders")
