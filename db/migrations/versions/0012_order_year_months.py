"""the months each customer ordered in, per year, beside its first order day of the year
(``order_years.months``, bit m - 1 for month m): the customer base of any 12 months from a few
rows per customer (issue 17.2, db/summaries.py)

The table is made again and filled from the orders.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-25 09:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

# a migration keeps its own SQL: it must not change when db/summaries.py does
YEAR = "substr(CAST(date AS VARCHAR), 1, 4)"
MONTH_BIT = (
    "CASE substr(CAST(date AS VARCHAR), 6, 2) "
    + " ".join(f"WHEN '{m:02d}' THEN {1 << (m - 1)}" for m in range(1, 13))
    + " END"
)


def _order_years(with_months: bool) -> None:
    op.drop_table("order_years")
    months = [sa.Column("months", sa.Integer(), nullable=False)] if with_months else []
    op.create_table(
        "order_years",
        sa.Column("customer_id", sa.String(32), nullable=False),
        sa.Column("year", sa.String(4), nullable=False),
        sa.Column("first_date", sa.Date(), nullable=False),
        *months,
        sa.PrimaryKeyConstraint("customer_id", "year", name=op.f("pk_order_years")),
        sqlite_with_rowid=False,
    )
    column, value = (", months", f", SUM(DISTINCT {MONTH_BIT})") if with_months else ("", "")
    op.execute(
        f"INSERT INTO order_years (customer_id, year, first_date{column}) "
        f"SELECT customer_id, {YEAR}, MIN(date){value} FROM orders GROUP BY customer_id, {YEAR}"
    )


def upgrade() -> None:
    _order_years(with_months=True)


def downgrade() -> None:
    _order_years(with_months=False)
