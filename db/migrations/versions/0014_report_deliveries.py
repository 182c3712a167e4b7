"""the Monday reports sent by e-mail, per week and user, so a re-run sends only what failed
(issue 39.4)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 22:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "report_deliveries",
        sa.Column("week", sa.String(8), nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("address", sa.String(320), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("week", "username", name=op.f("pk_report_deliveries")),
    )


def downgrade() -> None:
    op.drop_table("report_deliveries")
