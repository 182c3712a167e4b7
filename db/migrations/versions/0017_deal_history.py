"""the history of every deal: its state at the end of each day an import changed it, starting
with every deal as it stands at the migration (issue 38.2)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 03:00:00
"""

from datetime import date

import sqlalchemy as sa
from alembic import op

from crm_core import settings

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "deal_history",
        sa.Column("opportunity_id", sa.String(32), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("rep_id", sa.String(32), nullable=False),
        sa.Column("stage", sa.String(16), nullable=False),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
        sa.Column("expected_close", sa.Date(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("opportunity_id", "day", name=op.f("pk_deal_history")),
    )
    # the deals of today start their history now, as they stand
    op.execute(
        sa.text(
            "INSERT INTO deal_history (opportunity_id, day, rep_id, stage, amount_cents, "
            "expected_close, closed_on) SELECT opportunity_id, :day, rep_id, stage, "
            "amount_cents, expected_close, closed_on FROM opportunities"
        ).bindparams(day=settings.as_of() or date.today())
    )


def downgrade() -> None:
    op.drop_table("deal_history")
