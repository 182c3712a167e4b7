"""The activity a target needs (issue 38.1, 播种与收获法则 in reverse,
docs/kpis.md#activity-needed): what each call or visit has been earning a rep lately, and so
how many more the rest of the target asks for.

Per rep, for a period and an as-of day:

- ``remaining`` = max(target − actual, 0) (cents);
- ``yield`` = revenue ÷ done calls and visits over the ``yield_days`` (default 90) days ending
  on the as-of day; undefined without activity or without revenue in that window;
- ``needed`` = ceil(remaining ÷ yield) (0 when nothing remains);
- ``per_working_day`` = needed ÷ the working days of the period after the as-of day
  (undefined when none is left);
- ``planned``: calls and visits planned after the as-of day up to the period's end;
- ``shortfall`` = max(needed − planned, 0).

A rep without a yield gets no ``needed``; :func:`team_yield` is the team's, for the page to
show beside it, marked as such.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from typing import Any

import pandas as pd

from crm_core import settings
from crm_core.formatting import missing
from crm_core.periods import Period, working_days
from crm_core.targets import remaining_working_days

YIELD_DAYS = 90
PLAN_COLUMNS = ["rep", "name", "target", "actual", "remaining", "yield", "needed",
                "per_working_day", "planned", "shortfall"]  # fmt: skip


@dataclass(frozen=True)
class ActivityPlan:
    """The plan of a period on an as-of day: per rep (:data:`PLAN_COLUMNS`), the team's yield,
    the working days left and the yield window's first and last day."""

    table: pd.DataFrame
    team_yield: float | None
    working_days_left: int
    window: tuple[date, date]


def parse_yield_days(text: str | None) -> int:
    """``CRM_YIELD_DAYS``: a whole number of days from 7 to 730 (default :data:`YIELD_DAYS`)."""
    return settings.bounded("CRM_YIELD_DAYS", text, YIELD_DAYS, 7, 730, "days")


def yield_window(as_of: date) -> Period:
    """The ``CRM_YIELD_DAYS`` ending on ``as_of``, over which a rep's yield is taken."""
    days = parse_yield_days(settings.value("CRM_YIELD_DAYS"))
    return Period(as_of - timedelta(days=days - 1), as_of)


def plan_of(reps: pd.DataFrame, period: Period, as_of: date, window: Period) -> ActivityPlan:
    """The :class:`ActivityPlan` of ``period`` on ``as_of`` from the per-rep inputs of
    :func:`activity_plan` taken over ``window``: the working days left are those after
    ``as_of`` (all of them for a period not begun)."""
    left = remaining_working_days(period, as_of) if as_of >= period.start else working_days(period)
    return ActivityPlan(
        activity_plan(reps, left), team_yield(reps), left, (window.start, window.end)
    )


def activity_yield(revenue: int, done: int) -> Fraction | None:
    """Revenue per done call or visit (cents), ``None`` without either."""
    if done <= 0 or revenue <= 0:
        return None
    return Fraction(revenue, done)


def activities_needed(remaining: int, per_activity: Fraction | None) -> int | None:
    """ceil(remaining ÷ yield); 0 when nothing remains, ``None`` without a yield."""
    if remaining <= 0:
        return 0
    if per_activity is None:
        return None
    return math.ceil(Fraction(remaining) / per_activity)


def activity_plan(reps: pd.DataFrame, working_days_left: int) -> pd.DataFrame:
    """Per rep of ``reps`` (``rep, name, target, actual, window_revenue, window_done,
    planned``; money in cents, a missing target as ``None``): the columns of
    :data:`PLAN_COLUMNS`, money in cents, the yield in cents per activity (a float)."""
    rows = []
    for rep in reps.itertuples():
        rows.append(_plan_row(rep, working_days_left))
    frame = pd.DataFrame(rows, columns=PLAN_COLUMNS, dtype=object)
    return frame.where(frame.notna(), None)


def _plan_row(rep: Any, working_days_left: int) -> dict[str, object]:
    target = None if missing(rep.target) else int(rep.target)
    actual = int(rep.actual or 0)
    per_activity = activity_yield(int(rep.window_revenue or 0), int(rep.window_done or 0))
    planned = int(rep.planned or 0)
    remaining = None if target is None else max(target - actual, 0)
    needed = None if remaining is None else activities_needed(remaining, per_activity)
    per_day = None if needed is None or working_days_left <= 0 else needed / working_days_left
    return {
        "rep": rep.rep, "name": rep.name, "target": target, "actual": actual,
        "remaining": remaining, "yield": None if per_activity is None else float(per_activity),
        "needed": needed, "per_working_day": per_day, "planned": planned,
        "shortfall": None if needed is None else max(needed - planned, 0),
    }  # fmt: skip


def by_shortfall(plan: pd.DataFrame) -> pd.DataFrame:
    """``plan`` with the largest shortfall first; reps without a figure last, by rep."""
    if plan.empty:
        return plan
    order = sorted(
        range(len(plan)),
        key=lambda i: (plan.shortfall[i] is None, -(plan.shortfall[i] or 0), plan.rep[i]),
    )
    return plan.iloc[order].reset_index(drop=True)


def team_yield(reps: pd.DataFrame) -> float | None:
    """The team's revenue per done call or visit over the window (cents), ``None`` without."""
    if reps.empty:
        return None
    revenue = sum(int(v or 0) for v in reps.window_revenue)
    done = sum(int(v or 0) for v in reps.window_done)
    found = activity_yield(revenue, done)
    return None if found is None else float(found)
