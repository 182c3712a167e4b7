"""The activity a target needs (docs/kpis.md#activity-needed), where it is acted on: a rep's
own sentence on the Daily page, every rep's row on the Targets page."""

from __future__ import annotations

import streamlit as st

from crm_core import formatting as fmt
from crm_core.activity_plan import ActivityPlan, by_shortfall
from ui import tables
from ui.i18n import t

COLUMNS = ["name", "target", "actual", "remaining", "yield", "needed", "per_working_day",
           "planned", "shortfall"]  # fmt: skip
KINDS = {"target": "money", "actual": "money", "remaining": "money", "yield": "money",
         "needed": "count", "per_working_day": "decimal", "planned": "count",
         "shortfall": "count"}  # fmt: skip


def _key(column: str) -> str:
    """The catalog key of a column's header."""
    return "activity_needed_count" if column == "needed" else f"activity_{column}"


def team_yield_caption(plan: ActivityPlan) -> None:
    """The window the yields are taken over, and the team's, marked as such (not for one rep
    alone: their "team" would be themselves)."""
    start, end = plan.window
    if len(plan.table) <= 1:
        st.caption(t("activity_caption_own", start=start, end=end, days=plan.working_days_left))
        return
    team = fmt.UNDEFINED if plan.team_yield is None else fmt.money(round(plan.team_yield))
    st.caption(t("activity_caption", start=start, end=end, team=team,
                 days=plan.working_days_left))  # fmt: skip


def my_activity(plan: ActivityPlan, rep_id: str) -> None:
    """One rep's month in a sentence: how many more calls or visits, a working day, planned."""
    mine = plan.table[plan.table.rep == rep_id]
    if mine.empty:
        st.info(t("no_data"))
        return
    row = mine.iloc[0]
    if row["target"] is None:
        st.info(t("activity_no_target"))
    elif row["remaining"] == 0:
        st.success(t("activity_reached"))
    elif row["needed"] is None:
        st.warning(t("activity_no_yield", remaining=fmt.money(int(row["remaining"]))))
    else:
        rate = row["per_working_day"]
        per_day = fmt.UNDEFINED if rate is None else f"{rate:.1f}"
        said = t("activity_you_need", needed=row["needed"], per_day=per_day,
                 planned=row["planned"], remaining=fmt.money(int(row["remaining"])),
                 per_activity=fmt.money(round(row["yield"])))  # fmt: skip
        (st.warning if row["shortfall"] else st.success)(said)
    team_yield_caption(plan)


def team_table(plan: ActivityPlan, key: str) -> None:
    """Every rep's row, largest shortfall first (no figure last)."""
    frame = plan.table
    if frame.empty:
        st.caption(t("nothing_listed"))
        return
    shown = by_shortfall(frame)[COLUMNS]
    kinds = {_key(c): kind for c, kind in KINDS.items()}
    view, config = tables.numeric_view(shown.rename(columns={c: _key(c) for c in COLUMNS}), kinds)
    tables.grid(view, key=key, config=config)
    team_yield_caption(plan)
