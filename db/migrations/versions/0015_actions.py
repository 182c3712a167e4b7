"""actions decided in the Monday meeting, with an owner and a due date (issue 37.2)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 02:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "actions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("week", sa.String(8), nullable=False),
        sa.Column("rep_id", sa.String(32), nullable=True),
        sa.Column("region_id", sa.String(32), nullable=True),
        sa.Column("owner", sa.String(64), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("done_by", sa.String(64), nullable=True),
        sa.ForeignKeyConstraint(["rep_id"], ["reps.rep_id"], name=op.f("fk_actions_rep_id_reps")),
        sa.ForeignKeyConstraint(
            ["region_id"], ["regions.region_id"], name=op.f("fk_actions_region_id_regions")
        ),
        sa.ForeignKeyConstraint(["owner"], ["users.username"], name=op.f("fk_actions_owner_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_actions")),
    )
    op.create_index(op.f("ix_actions_week"), "actions", ["week"])
    op.create_index(op.f("ix_actions_rep_id"), "actions", ["rep_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_actions_rep_id"), table_name="actions")
    op.drop_index(op.f("ix_actions_week"), table_name="actions")
    op.drop_table("actions")
