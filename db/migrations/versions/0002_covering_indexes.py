"""covering indexes for per-customer aggregations (issue 9 benchmark)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 19:05:00
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_orders_customer_date",
        "orders",
        ["customer_id", "date", "amount_cents", "cost_cents"],
    )
    op.create_index(
        "ix_activities_customer_status",
        "activities",
        ["customer_id", "status", "kind", "date", "cost_cents", "duration_min"],
    )


def downgrade() -> None:
    op.drop_index("ix_activities_customer_status", table_name="activities")
    op.drop_index("ix_orders_customer_date", table_name="orders")
