"""each stage history entry with the day the deal left the stage and the day it went further,
kept by every write of the history: the pipeline's stage conversion from one row per entry
(issue 17.2, db/summaries.py)

Filled from the history.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-25 09:05:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

# a migration keeps its own SQL: it must not change when db/summaries.py does
PROGRESS = ("identified", "contacted", "qualified", "developed", "committed", "won")


def _rank(column: str) -> str:
    places = " ".join(f"WHEN '{stage}' THEN {i}" for i, stage in enumerate(PROGRESS))
    return f"CASE {column} {places} ELSE {len(PROGRESS)} END"


def _first_day(condition: str) -> str:
    return (
        "(SELECT MIN(n.entered_on) FROM opportunity_stages n "
        f"WHERE n.opportunity_id = h.opportunity_id AND ({condition}))"
    )


NEXT = (
    "n.entered_on > h.entered_on OR "
    f"(n.entered_on = h.entered_on AND {_rank('n.stage')} > {_rank('h.stage')})"
)
FURTHER = f"n.stage IN {PROGRESS} AND {_rank('n.stage')} > {_rank('h.stage')}"


def upgrade() -> None:
    op.create_table(
        "stage_stays",
        sa.Column("opportunity_id", sa.String(32), nullable=False),
        sa.Column("stage", sa.String(16), nullable=False),
        sa.Column("entered_on", sa.Date(), nullable=False),
        sa.Column("left_on", sa.Date(), nullable=True),
        sa.Column("superseded_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("opportunity_id", "stage", name=op.f("pk_stage_stays")),
        sqlite_with_rowid=False,
    )
    op.execute(
        "INSERT INTO stage_stays (opportunity_id, stage, entered_on, left_on, superseded_on) "
        f"SELECT h.opportunity_id, h.stage, h.entered_on, {_first_day(NEXT)}, "
        f"{_first_day(FURTHER)} FROM opportunity_stages h"
    )


def downgrade() -> None:
    op.drop_table("stage_stays")
