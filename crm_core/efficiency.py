"""Visit efficiency (评价推销的效率, docs/kpis.md#visit-efficiency): rates, the call funnel, contact
cadence and
time allocation. Pure arithmetic over small aggregates; ratios are fractions, ``None`` when
undefined (no activity is not a rate of 0)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from crm_core.settings import COMMISSION_RATE

FUNNEL_STEPS = ("dialed", "completed", "appointment", "presentation", "sale")
OUTCOME_STEP = {"no_contact": 0, "contacted": 1, "appointment": 2, "presentation": 3, "sale": 4}
# Contact cadence (目标市场的任务计划): the longest gap, in days, before a customer is overdue.
CADENCE_DAYS = {
    "key": {"call": 30, "visit": 91},
    "normal": {"call": 91, "visit": 182},
    "low": {"call": 182, "visit": 365},
}
GUIDELINE = {"top_10": 0.6, "next_30": 0.3, "rest_60": 0.1}


def _ratio(part: float, whole: float) -> float | None:
    return part / whole if whole else None


def effective_visit_rate(effective: int, done: int) -> float | None:
    """Done activities with an outcome beyond no contact / done (undefined with none done).
    The one definition, for the efficiency pages, the daily and the weekly figures."""
    return _ratio(effective, done)


def transaction_rate(sales: int, done: int) -> float | None:
    """Done activities ending in a sale / done (undefined with none done)."""
    return _ratio(sales, done)


@dataclass(frozen=True)
class ActivityTotals:
    """Aggregates of done (and planned) activities of one rep or team in a period."""

    done: int
    effective: int  # outcome beyond no contact
    sales: int  # outcome = sale
    planned_done: int  # on the plan and done
    planned_missed: int  # on the plan and missed
    minutes: int
    cost: int  # cents
    revenue: int  # cents, orders of the same period and scope
    reps: int = 1
    working_days: int = 1


def efficiency(totals: ActivityTotals) -> dict[str, float | None]:
    """Every docs/kpis.md#visit-efficiency rate of ``totals``; money per activity in cents, ROI in
    cents per hour."""
    hours = totals.minutes / 60
    return {
        "effective_visit_rate": effective_visit_rate(totals.effective, totals.done),
        "transaction_rate": transaction_rate(totals.sales, totals.done),
        "plan_adherence": _ratio(totals.planned_done, totals.planned_done + totals.planned_missed),
        "activities_per_rep_day": _ratio(totals.done, totals.reps * totals.working_days),
        "sales_per_activity": _ratio(totals.revenue, totals.done),
        "cost_per_activity": _ratio(totals.cost, totals.done),
        "revenue_to_cost": _ratio(totals.revenue, totals.cost),
        "roi_per_hour": _ratio(totals.revenue, hours),
    }


@dataclass(frozen=True)
class CallFunnel:
    """The call funnel: ``steps`` (``step, count, conversion``) and what a dialed call is
    worth (cents; ``None`` without calls)."""

    steps: pd.DataFrame
    revenue: int
    revenue_per_call: float | None
    commission_per_call: float | None


def call_funnel(
    outcomes: Mapping[str, int], revenue: int, commission_rate: float = COMMISSION_RATE
) -> CallFunnel:
    """The call funnel (播种与收获法则): each done call counts at every step up to its furthest
    outcome, with the conversion to each step from the one before; the period's revenue per
    dialed call and the commission on it."""
    counts = [0] * len(FUNNEL_STEPS)
    for outcome, number in outcomes.items():
        for step in range(OUTCOME_STEP[outcome] + 1):
            counts[step] += number
    rows = [
        {
            "step": step,
            "count": counts[i],
            "conversion": None if i == 0 else _ratio(counts[i], counts[i - 1]),
        }
        for i, step in enumerate(FUNNEL_STEPS)
    ]
    frame = pd.DataFrame(rows).astype(object)
    frame = frame.where(frame.notna(), None)
    per_call = _ratio(revenue, counts[0])
    commission = None if per_call is None else per_call * commission_rate
    return CallFunnel(frame, revenue, per_call, commission)


def cadence(customers: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Per customer (``customer_id, priority, last_call, last_visit``, dates or None): days
    since the last call, visit and contact, and whether the call or the visit is overdue
    (never contacted = overdue). Customers without a priority count as ``normal``. No
    customers give an empty table with the same columns."""
    priority = customers.priority.where(customers.priority.isin(list(CADENCE_DAYS)), "normal")
    since_call = _days_since(customers.last_call, as_of)
    since_visit = _days_since(customers.last_visit, as_of)
    call_limit, visit_limit = (_limit(priority, kind) for kind in ("call", "visit"))
    frame = customers.assign(
        days_since_call=since_call,
        days_since_visit=since_visit,
        days_since_contact=pd.concat([since_call, since_visit], axis=1).min(axis=1),
        call_overdue=since_call.isna() | (since_call > call_limit),
        visit_overdue=since_visit.isna() | (since_visit > visit_limit),
    )
    frame["overdue"] = frame.call_overdue | frame.visit_overdue
    frame = frame.astype(object)
    return frame.where(frame.notna(), None)


def _limit(priority: pd.Series, kind: str) -> pd.Series:
    """The days allowed between contacts of ``kind`` for each priority of :data:`CADENCE_DAYS`
    (``np.select`` on the string column: a ``map`` calls Python once per customer)."""
    tiers = list(CADENCE_DAYS)
    chosen = [(priority == tier).to_numpy(dtype=bool, na_value=False) for tier in tiers]
    limits = np.select(chosen, [CADENCE_DAYS[tier][kind] for tier in tiers])
    return pd.Series(limits, index=priority.index)


def _days_since(last: pd.Series, as_of: date) -> pd.Series:
    """Whole days from each date (None allowed) to ``as_of``; missing stays missing."""
    dates = pd.to_datetime(last, errors="coerce")
    return (pd.Timestamp(as_of) - dates).dt.days.astype("Int64")


def compliance(cadence_table: pd.DataFrame, key: str = "owner_rep_id") -> pd.DataFrame:
    """Per rep: customers, overdue ones, and compliance = on-cadence customers / customers."""
    if cadence_table.empty:
        return pd.DataFrame(columns=[key, "customers", "overdue", "compliance"])
    grouped = cadence_table.groupby(key).overdue.agg(["count", "sum"]).reset_index()
    grouped.columns = [key, "customers", "overdue"]
    grouped["compliance"] = (grouped.customers - grouped.overdue) / grouped.customers
    return grouped


def time_allocation(revenue: Mapping[str, int], minutes: Mapping[str, int]) -> pd.DataFrame:
    """Share of activity time spent on the top 10 % / next 30 % / other 60 % of customers by
    trailing-12-month revenue (ranked highest first, ties by ID; customers with time but no
    revenue rank last), against the guideline 60 / 30 / 10 %. Columns ``group, customers,
    minutes, share, guideline``; ``share`` is None when no time was spent."""
    revenue_of = dict.fromkeys(minutes, 0) | dict(revenue)  # every customer with either
    minutes_of = dict.fromkeys(revenue_of, 0) | dict(minutes)
    customers = sorted(revenue_of)  # by ID, then (a stable sort) by revenue, highest first
    customers.sort(key=revenue_of.__getitem__, reverse=True)
    count = len(customers)
    top, next_ = round(count * 0.1), round(count * 0.4)
    groups = {
        "top_10": customers[:top],
        "next_30": customers[top:next_],
        "rest_60": customers[next_:],
    }
    total = sum(minutes.values())
    rows = []
    for name, members in groups.items():
        spent = sum(map(minutes_of.__getitem__, members))
        rows.append(
            {
                "group": name,
                "customers": len(members),
                "minutes": spent,
                "share": _ratio(spent, total),
                "guideline": GUIDELINE[name],
            }
        )
    frame = pd.DataFrame(rows).astype(object)
    return frame.where(frame.notna(), None)


@dataclass(frozen=True)
class League:
    """``reps``: one row per rep; ``median``: the team median of each numeric column."""

    reps: pd.DataFrame
    median: dict[str, float | None]


def league(totals: Mapping[str, ActivityTotals], attainment: Mapping[str, float | None],
           pace: Mapping[str, float | None] | None = None) -> League:  # fmt: skip
    """One row per rep: ``rep, done`` then every rate of :func:`efficiency`, ``attainment``
    and ``pace`` (revenue; pace = attainment ÷ time elapsed, so a period in progress is judged
    by how far into it we are), sorted by rep; with the team median of each column (undefined
    values left out)."""
    pace = pace or {}
    rows = [
        {"rep": rep, "done": t.done, **efficiency(t), "attainment": attainment.get(rep),
         "pace": pace.get(rep)}
        for rep, t in sorted(totals.items())
    ]  # fmt: skip
    frame = pd.DataFrame(rows)
    if frame.empty:
        return League(frame, {})
    numeric = frame.drop(columns="rep").apply(pd.to_numeric, errors="coerce")
    frame = frame.astype(object).where(frame.notna(), None)
    median = {c: (None if pd.isna(m) else float(m)) for c, m in numeric.median().items()}
    return League(frame, median)


def overdue_list(cadence_table: pd.DataFrame) -> pd.DataFrame:
    """Overdue customers, who to contact next: key before normal before low, then the longest
    silence first (never contacted first of all)."""
    if cadence_table.empty:
        return cadence_table
    order = {"key": 0, "normal": 1, "low": 2}
    due = cadence_table[cadence_table.overdue.astype(bool)].copy()
    due["_p"] = [order.get(p or "normal", 1) for p in due.priority]
    due["_d"] = [-(d if d is not None else 10**6) for d in due.days_since_contact]
    return (
        due.sort_values(["_p", "_d", "customer_id"])
        .drop(columns=["_p", "_d"])
        .reset_index(drop=True)
    )
