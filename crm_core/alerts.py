"""Alerts of the day (issue 37.3, 日清日结: find the abnormal the day it happens): what a
manager's group or a rep hears at 20:30 instead of next Monday.

Rules, for one day:

- ``missing_report``: an active rep has no daily report for a working day once the day's
  20:00 deadline has passed (``over``; a day before today is over);
- ``unrecorded``: calls or visits planned for the day still ``planned`` (neither done nor
  missed) once the day is over;
- ``key_silent``: a key customer that became overdue for its contact cadence that day (a call
  within 30 days, a visit within 91; docs/kpis.md#visit-efficiency): overdue on the day and
  not the day before, so each one is said once, the day it happens.

Each alert names its region and rep; a region with none gets no message.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from crm_core.periods import is_working_day

RULES = ("missing_report", "unrecorded", "key_silent")
ALERT_COLUMNS = ["region", "rep", "rep_name", "rule", "count", "customer", "customer_name",
                 "contact", "days"]  # fmt: skip


@dataclass(frozen=True)
class DayFacts:
    """What the rules read for one day inside a scope.

    ``reps``: ``rep_id, name, region_id`` of the active reps; ``reported``: the reps with a
    daily report of the day; ``planned``: ``rep_id, planned`` (activities of the day still
    planned); ``cadence_today`` and ``cadence_before``: :func:`crm_core.efficiency.cadence` of
    the key customers on the day and the day before (``customer_id, name, owner_rep_id,
    days_since_call, days_since_visit, call_overdue, overdue``)."""

    day: date
    over: bool
    reps: pd.DataFrame
    reported: frozenset[str] = frozenset()
    planned: pd.DataFrame = field(default_factory=pd.DataFrame)
    cadence_today: pd.DataFrame = field(default_factory=pd.DataFrame)
    cadence_before: pd.DataFrame = field(default_factory=pd.DataFrame)


def day_alerts(facts: DayFacts) -> pd.DataFrame:
    """Every alert of the day, by region, rule and rep; columns :data:`ALERT_COLUMNS`."""
    reps = {r.rep_id: (r.region_id, r.name) for r in facts.reps.itertuples()}
    rows: list[dict[str, Any]] = []
    if facts.over and is_working_day(facts.day):
        rows += [_row(reps, rep, "missing_report") for rep in reps if rep not in facts.reported]
    if facts.over and len(facts.planned):
        rows += [
            _row(reps, p.rep_id, "unrecorded", count=int(p.planned))
            for p in facts.planned.itertuples()
            if p.rep_id in reps and int(p.planned) > 0
        ]
    rows += [
        _row(reps, c.owner_rep_id, "key_silent", customer=c.customer_id,
             customer_name=c.name, **_lapse(c))
        for c in _newly_overdue(facts).itertuples()
        if c.owner_rep_id in reps
    ]  # fmt: skip
    frame = pd.DataFrame(rows, columns=ALERT_COLUMNS, dtype=object)
    if frame.empty:
        return frame
    order = {rule: i for i, rule in enumerate(RULES)}
    frame["_rule"] = frame.rule.map(order)
    frame = frame.sort_values(["region", "_rule", "rep", "customer"], na_position="first")
    frame = frame.drop(columns="_rule").reset_index(drop=True).astype(object)
    return frame.where(frame.notna(), None)


def _lapse(customer: Any) -> dict[str, object]:
    """Which contact is overdue (the call first) and for how many days."""
    contact = "call" if customer.call_overdue else "visit"
    days = getattr(customer, f"days_since_{contact}")
    return {"contact": contact, "days": None if pd.isna(days) else int(days)}


def _row(reps: dict[str, tuple[str, str]], rep: str, rule: str, **values: object) -> dict[str, Any]:
    region, name = reps[rep]
    base = {"region": region, "rep": rep, "rep_name": name, "rule": rule, "count": None,
            "customer": None, "customer_name": None, "contact": None, "days": None}  # fmt: skip
    return {**base, **values}


def _newly_overdue(facts: DayFacts) -> pd.DataFrame:
    """The key customers overdue on the day that were not the day before."""
    today = facts.cadence_today
    if today.empty:
        return today
    before = facts.cadence_before
    was = set(before.customer_id[before.overdue.astype(bool)]) if len(before) else set()
    now = today[today.overdue.astype(bool)]
    return now[~now.customer_id.isin(was)]


def for_rep(alerts: pd.DataFrame, rep: str) -> pd.DataFrame:
    """The alerts of one rep (what their own message says)."""
    return alerts[alerts.rep == rep]


def by_region(alerts: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The alerts of each region that has any."""
    return {str(region): mine for region, mine in alerts.groupby("region", sort=True)}
