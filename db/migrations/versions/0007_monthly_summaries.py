"""monthly summaries of orders, payments and done activities per rep and the customer's region
and tier, each customer's first order and last call and visit, kept by every write
(issue 17, db/summaries.py)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24 05:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

KEYS = ("month", "rep_id", "region_id", "priority")
MONTH = "substr(CAST(f.date AS VARCHAR), 1, 7)"
# the summary rows of what is there already (a migration keeps its own SQL: it must not
# change when db/summaries.py does)
FILL = {
    "order_months": (
        "product_id, revenue_cents, cost_cents, orders",
        "f.product_id, SUM(f.amount_cents), SUM(f.cost_cents), COUNT(*)",
        "orders",
        "",
        ", f.product_id",
    ),
    "payment_months": (
        "collections_cents, payments",
        "SUM(f.amount_cents), COUNT(*)",
        "payments",
        "",
        "",
    ),
    "activity_months": (
        "done, effective, sales",
        "COUNT(*), COALESCE(SUM(CASE WHEN f.outcome != 'no_contact' THEN 1 ELSE 0 END), 0), "
        "COALESCE(SUM(CASE WHEN f.outcome = 'sale' THEN 1 ELSE 0 END), 0)",
        "activities",
        "WHERE f.status = 'done'",
        "",
    ),
}


def _key_columns() -> list[sa.Column]:
    return [
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("rep_id", sa.String(32), nullable=False),
        sa.Column("region_id", sa.String(32), nullable=False),
        sa.Column("priority", sa.String(16), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "order_months",
        *_key_columns(),
        sa.Column("product_id", sa.String(32), nullable=False),
        sa.Column("revenue_cents", sa.BigInteger(), nullable=False),
        sa.Column("cost_cents", sa.BigInteger(), nullable=False),
        sa.Column("orders", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint(*KEYS, "product_id", name=op.f("pk_order_months")),
    )
    op.create_table(
        "payment_months",
        *_key_columns(),
        sa.Column("collections_cents", sa.BigInteger(), nullable=False),
        sa.Column("payments", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint(*KEYS, name=op.f("pk_payment_months")),
    )
    op.create_table(
        "activity_months",
        *_key_columns(),
        sa.Column("done", sa.BigInteger(), nullable=False),
        sa.Column("effective", sa.BigInteger(), nullable=False),
        sa.Column("sales", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint(*KEYS, name=op.f("pk_activity_months")),
    )
    op.create_table(
        "first_orders",
        sa.Column("customer_id", sa.String(32), nullable=False),
        sa.Column("first_date", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("customer_id", name=op.f("pk_first_orders")),
    )
    op.create_index(op.f("ix_first_orders_first_date"), "first_orders", ["first_date"])
    op.create_table(
        "last_contacts",
        sa.Column("customer_id", sa.String(32), nullable=False),
        sa.Column("last_call_on", sa.Date(), nullable=True),
        sa.Column("last_visit_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("customer_id", name=op.f("pk_last_contacts")),
    )
    op.execute(
        "INSERT INTO first_orders (customer_id, first_date) "
        "SELECT customer_id, MIN(date) FROM orders GROUP BY customer_id"
    )
    op.execute(
        "INSERT INTO last_contacts (customer_id, last_call_on, last_visit_on) "
        "SELECT customer_id, MAX(CASE WHEN kind = 'call' THEN date END), "
        "MAX(CASE WHEN kind = 'visit' THEN date END) "
        "FROM activities WHERE status = 'done' GROUP BY customer_id"
    )
    for table, (columns, values, fact, where, extra) in FILL.items():
        keys = f"{MONTH}, f.rep_id, c.region_id, COALESCE(c.priority, '')"
        op.execute(
            f"INSERT INTO {table} ({', '.join(KEYS)}, {columns}) "
            f"SELECT {keys}, {values} "
            f"FROM {fact} f JOIN customers c ON c.customer_id = f.customer_id {where} "
            f"GROUP BY {keys}{extra}"
        )


def downgrade() -> None:
    for table in FILL:
        op.drop_table(table)
    op.drop_table("last_contacts")
    op.drop_index(op.f("ix_first_orders_first_date"), table_name="first_orders")
    op.drop_table("first_orders")
