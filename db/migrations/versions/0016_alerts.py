"""alert channels per region and the alerts of each day sent (issue 37.3)

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 02:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "alert_channels",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("region_id", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("target", sa.String(2000), nullable=False),
        sa.Column("secret", sa.String(200), nullable=True),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_id"], ["regions.region_id"], name=op.f("fk_alert_channels_region_id_regions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_channels")),
    )
    op.create_index(op.f("ix_alert_channels_region_id"), "alert_channels", ["region_id"])
    op.create_table(
        "alert_deliveries",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("recipient", sa.String(100), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("day", "recipient", name=op.f("pk_alert_deliveries")),
    )


def downgrade() -> None:
    op.drop_table("alert_deliveries")
    op.drop_index(op.f("ix_alert_channels_region_id"), table_name="alert_channels")
    op.drop_table("alert_channels")
