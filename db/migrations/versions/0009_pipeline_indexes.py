"""indexes of the pipeline: deals by creation day (the conversion cohort), deals by closing day
(open on a day), and each deal's stage history in order, covering (issue 17.2)

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-24 12:10:00
"""

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

INDEXES = {
    "ix_opportunities_created_on": ("opportunities", ["created_on", "opportunity_id"]),
    "ix_opportunities_closed_on": ("opportunities", ["closed_on", "created_on"]),
    "ix_opportunity_stages_history": (
        "opportunity_stages",
        ["opportunity_id", "entered_on", "stage"],
    ),
}


def upgrade() -> None:
    for name, (table, columns) in INDEXES.items():
        op.create_index(name, table, columns, if_not_exists=True)


def downgrade() -> None:
    for name, (table, _columns) in INDEXES.items():
        op.drop_index(name, table_name=table)
