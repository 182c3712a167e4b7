"""each customer's first order day in each year it ordered, kept by every write: the customer
base of each year (attrition) from a few rows per customer (issue 17.2, db/summaries.py)

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-25 03:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "order_years",
        sa.Column("customer_id", sa.String(32), nullable=False),
        sa.Column("year", sa.String(4), nullable=False),
        sa.Column("first_date", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("customer_id", "year", name=op.f("pk_order_years")),
        sqlite_with_rowid=False,
    )
    # the rows of what is there already (a migration keeps its own SQL: it must not change
    # when db/summaries.py does)
    year = "substr(CAST(date AS VARCHAR), 1, 4)"
    op.execute(
        "INSERT INTO order_years (customer_id, year, first_date) "
        f"SELECT customer_id, {year}, MIN(date) FROM orders GROUP BY customer_id, {year}"
    )


def downgrade() -> None:
    op.drop_table("order_years")
