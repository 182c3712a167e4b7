"""The weekly tier — the Monday report (周进度控制, docs/kpis.md#tracking-daily-weekly-monthly):
for an ISO week and a scope,
every weekly metric with last week's value and the change.

Inputs are small aggregates (read in SQL by :mod:`db`, composed by :mod:`services.weekly`);
this module only does the arithmetic, so each metric can be checked by hand:

- ``week_attainment`` = week revenue / week target, the week target being Σ over the week's
  working days of (monthly target / working days of that month) (docs/kpis.md#targets);
- ``mtd_attainment`` = revenue from the 1st of the month of the week's Sunday to that Sunday /
  the target of those days;
- ``new_customers``: customers whose first order falls in the week; ``collections``: Σ payments;
- ``effective_visit_rate`` = done activities with an outcome beyond no contact / done;
  ``transaction_rate`` = done activities ending in a sale / done (docs/kpis.md#visit-efficiency);
- ``sales_per_rep`` = week revenue / reps in scope;
- ``report_on_time_rate`` = daily reports of the week's working days submitted by 20:00 the
  same day / (reps × working days of the week);
- ``next_week_target`` and ``next_week_planned`` (planned activities of next week);
- abnormal customers: open complaints at the week's end, and customers whose week sales are
  below 50 % of their trailing 8-week weekly average while that average is material.
Money in cents, ratios as fractions, ``None`` where a ratio is undefined.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from fractions import Fraction

import pandas as pd

from crm_core.efficiency import effective_visit_rate, transaction_rate
from crm_core.periods import Period, month_of, month_period, shift_month, weeks_later, working_days
from crm_core.targets import attainment, target_for_range

DROP_SHARE = Fraction(1, 2)
TRAILING_WEEKS = 8
RECENT_WEEKS = 4


@dataclass(frozen=True)
class WeekFacts:
    """Aggregates of one week in one scope (money in cents)."""

    week: Period
    revenue: int
    mtd_revenue: int
    new_customers: int
    collections: int
    done: int
    effective: int
    sales: int
    reps: int
    reports_on_time: int
    monthly_targets: Mapping[str, int] = field(default_factory=dict)
    next_week_planned: int = 0


METRICS = (
    "week_target", "week_revenue", "week_attainment", "mtd_target", "mtd_revenue",
    "mtd_attainment", "new_customers", "collections", "effective_visit_rate",
    "transaction_rate", "sales_per_rep", "report_on_time_rate", "next_week_target",
    "next_week_planned",
)  # fmt: skip
MONEY = frozenset(
    {"week_target", "week_revenue", "mtd_target", "mtd_revenue", "collections",
     "sales_per_rep", "next_week_target"}
)  # fmt: skip
RATIOS = frozenset(
    {"week_attainment", "mtd_attainment", "effective_visit_rate", "transaction_rate",
     "report_on_time_rate"}
)  # fmt: skip


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _rounded(value: Fraction | None) -> int | None:
    return None if value is None else round(value)


def week_metrics(facts: WeekFacts) -> dict[str, int | float | None]:
    """Every metric of :data:`METRICS` for one week."""
    week = facts.week
    month_start = week.end.replace(day=1)
    mtd = Period(month_start, week.end)
    next_week = weeks_later(week, 1)
    week_target = target_for_range(facts.monthly_targets, week)
    mtd_target = target_for_range(facts.monthly_targets, mtd)
    expected_reports = facts.reps * working_days(week)
    return {
        "week_target": _rounded(week_target),
        "week_revenue": facts.revenue,
        "week_attainment": attainment(facts.revenue, week_target),
        "mtd_target": _rounded(mtd_target),
        "mtd_revenue": facts.mtd_revenue,
        "mtd_attainment": attainment(facts.mtd_revenue, mtd_target),
        "new_customers": facts.new_customers,
        "collections": facts.collections,
        "effective_visit_rate": effective_visit_rate(facts.effective, facts.done),
        "transaction_rate": transaction_rate(facts.sales, facts.done),
        "sales_per_rep": round(facts.revenue / facts.reps) if facts.reps else None,
        "report_on_time_rate": _ratio(facts.reports_on_time, expected_reports),
        "next_week_target": _rounded(target_for_range(facts.monthly_targets, next_week)),
        "next_week_planned": facts.next_week_planned,
    }


@dataclass(frozen=True)
class PlansAhead:
    """The week after a Monday report's week: per rep (``rep, name, next_week_target,
    planned``) and the activities planned in it in all (``planned``)."""

    next_week: pd.DataFrame
    planned: int


def with_plans(report: MondayReport, ahead: PlansAhead) -> MondayReport:
    """``report``, made without the plans of the week after it, with them: the same report as
    made with them (a test holds it)."""
    summary = report.summary.copy()
    row = summary.index[summary.metric == "next_week_planned"][0]
    before, planned = summary.at[row, "last_week"], float(ahead.planned)  # as weekly_report's
    summary.at[row, "this_week"] = planned
    summary.at[row, "change"] = None if before is None else planned - before
    return replace(report, summary=summary, next_week=ahead.next_week)


def meeting_month(week: Period) -> Period:
    """The month of the meeting that discusses ``week`` (the Monday after it): the month whose
    target the report's activity plan is about."""
    return month_period(month_of(week.end + timedelta(days=1)))


def forecast_months(week: Period) -> tuple[str, str]:
    """The month whose calls the report of ``week`` shows (the meeting's, as ``YYYY-MM``) and
    the month before it, whose accuracy it shows beside them."""
    month = month_of(meeting_month(week).start)
    return month, shift_month(month, -1)


def with_activity(report: MondayReport, activity: pd.DataFrame) -> MondayReport:
    """``report`` with the activity its month's target needs (crm_core.activity_plan)."""
    return replace(report, activity=activity)


def with_forecast(report: MondayReport, forecast: pd.DataFrame) -> MondayReport:
    """``report`` with the calls of the meeting's month (crm_core.forecasts.report_rows)."""
    return replace(report, forecast=forecast)


def with_actions(report: MondayReport, actions: pd.DataFrame) -> MondayReport:
    """``report`` opening with the actions of the weeks before (crm_core.actions)."""
    return replace(report, actions=actions)


def weekly_report(this_week: WeekFacts, last_week: WeekFacts) -> pd.DataFrame:
    """Columns ``metric, this_week, last_week, change``: ratios change in points
    (this − last), other values in units; ``None`` when either side is undefined."""
    now, before = week_metrics(this_week), week_metrics(last_week)
    rows = []
    for metric in METRICS:
        a, b = now[metric], before[metric]
        change = None if a is None or b is None else a - b
        rows.append({"metric": metric, "this_week": a, "last_week": b, "change": change})
    frame = pd.DataFrame(rows).astype(object)
    return frame.where(frame.notna(), None)


def sales_drops(weekly_sales: pd.DataFrame, week_start: date, material: int) -> pd.DataFrame:
    """Customers whose sales in the week starting ``week_start`` are below 50 % of their
    average over the 8 weeks before, while that average is at least ``material`` (cents).

    ``weekly_sales``: ``customer_id, week_start, revenue`` (weeks without sales may be absent:
    they count as 0). Returns ``customer_id, week_revenue, trailing_average`` sorted by the
    size of the drop."""
    history_start = week_start - timedelta(weeks=TRAILING_WEEKS)
    trailing = weekly_sales[
        (weekly_sales.week_start >= history_start) & (weekly_sales.week_start < week_start)
    ]
    average = trailing.groupby("customer_id").revenue.sum() / TRAILING_WEEKS
    now = weekly_sales[weekly_sales.week_start == week_start].groupby("customer_id").revenue.sum()
    frame = pd.DataFrame({"trailing_average": average})
    frame["week_revenue"] = now.reindex(frame.index, fill_value=0).astype("int64")
    dropped = frame[
        (frame.trailing_average >= material)
        & (frame.week_revenue < frame.trailing_average * float(DROP_SHARE))
    ]
    dropped = dropped.assign(drop=dropped.trailing_average - dropped.week_revenue)
    dropped = dropped.sort_values("drop", ascending=False).drop(columns="drop")
    return dropped.reset_index()[["customer_id", "week_revenue", "trailing_average"]]


@dataclass(frozen=True)
class MondayReport:
    """Everything the Monday meeting looks at, for one week and scope (money in cents)."""

    week: Period
    week_label: str
    scope_label: str
    summary: pd.DataFrame  # weekly_report(): metric, this_week, last_week, change
    reps: pd.DataFrame  # rep_week_table()
    competitors: pd.DataFrame  # date, rep, name, severity, summary
    complaints: pd.DataFrame  # date, customer, name, severity, summary (open at week end)
    drops: pd.DataFrame  # customer_id, customer, week_revenue, trailing_average
    next_week: pd.DataFrame  # rep, name, next_week_target, planned
    flags: pd.DataFrame = field(default_factory=pd.DataFrame)  # weekly_flags.rep_flags()
    items: pd.DataFrame = field(default_factory=pd.DataFrame)  # weekly_flags.decision_items()
    regions: pd.DataFrame = field(default_factory=pd.DataFrame)  # weekly_flags.region_table()
    by_region: bool = False  # more than one region: reps grouped by region, regions ranked
    trend: pd.DataFrame = field(default_factory=pd.DataFrame)  # week, target, revenue (8 weeks)
    funnel: pd.DataFrame = field(default_factory=pd.DataFrame)  # step, count (the week's calls)
    decisions: int = 10  # how many of the items open the report
    actions: pd.DataFrame = field(default_factory=pd.DataFrame)  # actions.carried_into()
    activity: pd.DataFrame = field(default_factory=pd.DataFrame)  # activity_plan(), by shortfall
    changes: pd.DataFrame = field(default_factory=pd.DataFrame)  # deal_changes() of the week
    forecast: pd.DataFrame = field(default_factory=pd.DataFrame)  # forecasts.report_rows()


def targets_by_rep(monthly_targets: pd.DataFrame) -> dict[str, dict[str, int]]:
    """``rep → month → target`` of a frame of ``rep, month, target`` (rows of one rep and
    month summed)."""
    targets: dict[str, dict[str, int]] = {}
    for rep_id, month, amount in zip(
        monthly_targets.rep, monthly_targets.month, monthly_targets.target, strict=True
    ):
        months = targets.setdefault(rep_id, {})
        months[month] = months.get(month, 0) + int(amount)
    return targets


def pace_window(week: Period) -> Period:
    """The month to date a rep's pace is judged over: the month the ISO week belongs to (its
    Thursday's), from its 1st to the week's end or the month's end, whichever comes first."""
    thursday = week.start + timedelta(days=3)
    month = month_period(month_of(thursday))
    return Period(month.start, min(week.end, month.end))


def recent_window(week: Period) -> Period:
    """The :data:`RECENT_WEEKS` weeks ending with ``week``: a rep's run rate, steadier than one
    week or the first days of a month when orders are large and few."""
    return Period(week.start - timedelta(weeks=RECENT_WEEKS - 1), week.end)


def totals_by_rep(frame: pd.DataFrame | None, column: str = "revenue") -> dict[str, int]:
    """``rep → column`` summed, of a frame with a ``rep`` column (none: empty)."""
    totals: dict[str, int] = {}
    if frame is None:
        return totals
    for rep_id, value in zip(frame.get("rep", []), frame.get(column, []), strict=True):
        totals[rep_id] = totals.get(rep_id, 0) + int(value)
    return totals


def rep_week_table(
    reps: pd.DataFrame,
    revenue: pd.DataFrame,
    monthly_targets: pd.DataFrame,
    activity: pd.DataFrame,
    reports: pd.DataFrame,
    week: Period,
    pace_revenue: pd.DataFrame | None = None,
    recent_revenue: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Per active rep of ``reps`` (``rep_id, name, region_id, active``): ``region``,
    ``week_target``, ``week_revenue``, ``attainment``, ``month_target``, ``mtd_target`` and
    ``mtd_revenue`` (over :func:`pace_window`), ``recent_target`` and ``recent_revenue``
    (over :func:`recent_window`), ``done``, ``effective_rate``,
    ``reports_late`` and ``reports_missing`` (working days without a report); which of them
    are exceptions, and why, is :mod:`crm_core.weekly_flags`'. ``revenue``, ``pace_revenue``
    and ``recent_revenue`` (of those windows): rep, revenue; ``monthly_targets``: rep, month,
    target (revenue); ``activity``: rep, done, effective; ``reports``: rep, date, on_time."""
    days = working_days(week)
    pace = pace_window(week)
    pace_month = month_of(pace.start)
    targets = targets_by_rep(monthly_targets)
    sold_by = totals_by_rep(revenue)
    pace_sold_by = totals_by_rep(pace_revenue)
    recent = recent_window(week)
    recent_sold_by = totals_by_rep(recent_revenue)
    acts_by: dict[str, tuple[int, int]] = {}
    for rep_id, done, effective in zip(
        activity.get("rep", []), activity.get("done", []), activity.get("effective", []),
        strict=True,
    ):  # fmt: skip
        before = acts_by.get(rep_id, (0, 0))
        acts_by[rep_id] = (before[0] + int(done), before[1] + int(effective))
    filed_by: dict[str, list[bool]] = {}
    if len(reports):
        workday = reports[reports.workday.astype(bool)]
        for rep_id, flag in zip(workday.rep, workday.on_time, strict=True):
            filed_by.setdefault(rep_id, []).append(bool(flag))
    rows = []
    for rep in reps[reps.active.astype(bool)].itertuples():
        target = target_for_range(targets.get(rep.rep_id, {}), week)
        sold = sold_by.get(rep.rep_id, 0)
        done, effective = acts_by.get(rep.rep_id, (0, 0))
        on_time = filed_by.get(rep.rep_id, [])
        late = sum(1 for flag in on_time if not flag)
        share = attainment(sold, target)
        missing = days - len(on_time)
        mine = targets.get(rep.rep_id, {})
        rows.append({
            "rep": rep.rep_id, "name": rep.name,
            "region": getattr(rep, "region_id", None), "week_target": _rounded(target),
            "week_revenue": sold, "attainment": share, "month_target": mine.get(pace_month),
            "mtd_target": _rounded(target_for_range(mine, pace)),
            "mtd_revenue": pace_sold_by.get(rep.rep_id, 0),
            "recent_target": _rounded(target_for_range(mine, recent)),
            "recent_revenue": recent_sold_by.get(rep.rep_id, 0), "done": done,
            "effective_rate": effective_visit_rate(effective, done), "reports_late": late,
            "reports_missing": missing,
        })  # fmt: skip
    columns = ["rep", "name", "region", "week_target", "week_revenue", "attainment",
               "month_target", "mtd_target", "mtd_revenue", "recent_target", "recent_revenue",
               "done", "effective_rate",
               "reports_late", "reports_missing"]  # fmt: skip
    frame = pd.DataFrame(rows, columns=columns).astype(object)
    return frame.where(frame.notna(), None)
