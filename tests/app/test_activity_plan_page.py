"""The activity a target needs in the app (issue 38.1): a rep's sentence on the Daily page, every
rep's row on the Targets page and in the Monday report, with the figures of the read."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from crm_core import formatting as fmt
from crm_core.periods import iso_week_period, month_period
from crm_core.scope import Scope
from crm_core.weekly import meeting_month
from db.engine import make_engine
from db.schema import User
from services import reads
from tests.app.conftest import AS_OF, page

pytestmark = pytest.mark.usefixtures("demo_db")
NOVEMBER = month_period("2026-11")


def plan_of(scope: Scope, period: object = NOVEMBER, as_of: object = AS_OF) -> object:
    with make_engine().connect() as conn:
        return reads.activity_plan(conn, scope, period, as_of)


def test_a_rep_reads_how_many_calls_or_visits_the_month_still_needs() -> None:
    with make_engine().connect() as conn:
        rep_id = conn.scalar(select(User.rep_id).where(User.username == "rep"))
    row = plan_of(Scope.for_rep(rep_id)).table.set_index("rep").loc[rep_id]
    app = page("daily", "rep")
    assert not app.exception and not app.error
    said = [m.value for m in [*app.warning, *app.success, *app.info]]
    if row["target"] is None:
        assert "No revenue target this month." in said
    elif row["remaining"] == 0:
        assert "This month's revenue target is reached." in said
    else:
        rate, planned = row["per_working_day"], row["planned"]
        expected = (f"You need {row['needed']} more calls or visits this month, "
                    f"{rate:.1f} a working day; {planned} are planned.")  # fmt: skip
        assert any(s.startswith(expected) for s in said), said
        assert any(fmt.money(int(row["remaining"])) in s for s in said)
    assert any("working day(s) left" in c.value for c in app.caption)


def test_a_manager_sees_each_of_their_reps_on_the_targets_page() -> None:
    plan = plan_of(Scope.for_manager(["R001"]))
    app = page("targets", "manager")
    assert not app.exception and not app.error
    table = next(d.value for d in app.dataframe if "Calls and visits needed" in d.value.columns)
    assert len(table) == len(plan.table)
    expected = {r.name: r.needed for r in plan.table.itertuples()}
    shown = dict(zip(table["Rep"], table["Calls and visits needed"], strict=True))
    assert {k: (None if v != v else int(v)) for k, v in shown.items()} == expected


def test_the_monday_report_lists_the_activity_its_month_needs() -> None:
    week = iso_week_period("2026-W46")
    plan = plan_of(Scope.for_manager(["R001"]), meeting_month(week), week.end)
    app = page("weekly", "manager")
    assert not app.exception and not app.error
    assert "Activity the month's target needs" in [h.value for h in app.subheader]
    table = next(d.value for d in app.dataframe if "Short of plan" in d.value.columns)
    assert len(table) == len(plan.table)
    largest = max((s for s in plan.table.shortfall if s is not None), default=None)
    assert table["Short of plan"].iloc[0] == largest  # largest shortfall first
