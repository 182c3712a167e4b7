"""forecasts reps submit per month and their managers' adjustments, every one kept (issue 38.3)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 06:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "forecasts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("rep_id", sa.String(32), nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("commit_cents", sa.BigInteger(), nullable=True),
        sa.Column("best_case_cents", sa.BigInteger(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("made_by", sa.String(64), nullable=False),
        sa.Column("made_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["rep_id"], ["reps.rep_id"], name=op.f("fk_forecasts_rep_id_reps")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_forecasts")),
    )
    op.create_index("ix_forecasts_month_rep_id", "forecasts", ["month", "rep_id"])
    # its cached reads are keyed on its version like every data table's (db.transactions)
    versions = sa.table("table_versions", sa.column("table_name"), sa.column("version"))
    op.bulk_insert(versions, [{"table_name": "forecasts", "version": 0}])


def downgrade() -> None:
    op.execute("DELETE FROM table_versions WHERE table_name = 'forecasts'")
    op.drop_index("ix_forecasts_month_rep_id", table_name="forecasts")
    op.drop_table("forecasts")
