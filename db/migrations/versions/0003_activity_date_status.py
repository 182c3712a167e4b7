"""covering index for activity counts by date and status (issue 9 benchmark)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 19:20:00
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_activities_date_status",
        "activities",
        ["date", "status", "rep_id", "kind", "outcome"],
        if_not_exists=True,
    )


def downgrade() -> None:
    op.drop_index("ix_activities_date_status", table_name="activities")
