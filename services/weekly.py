"""The Monday report (docs/kpis.md#tracking-daily-weekly-monthly weekly) composed: what
:mod:`db.weekly` and the other fetchers read, through the formulas of :mod:`crm_core.weekly`
and :mod:`crm_core.weekly_flags`."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
from sqlalchemy import Connection

from crm_core import settings
from crm_core.activity_plan import by_shortfall, plan_of, yield_window
from crm_core.deal_changes import deal_changes, largest_first
from crm_core.efficiency import cadence, call_funnel
from crm_core.forecasts import report_rows
from crm_core.periods import Period, iso_week_of, months_between, weeks_later, working_days
from crm_core.scope import Scope
from crm_core.targets import target_for_range
from crm_core.weekly import (
    TRAILING_WEEKS,
    MondayReport,
    PlansAhead,
    WeekFacts,
    forecast_months,
    meeting_month,
    pace_window,
    recent_window,
    rep_week_table,
    sales_drops,
    targets_by_rep,
    weekly_report,
    with_actions,
    with_activity,
    with_forecast,
    with_plans,
)
from crm_core.weekly_flags import (
    FlagRules,
    decision_items,
    parse_rules,
    region_flags,
    region_table,
    rep_flags,
    silent_key_customers,
)
from db import deal_history, queries
from db import weekly as weekly_db
from db.actions import report_actions
from db.activity import plan_inputs
from db.daily import activity_counts
from db.efficiency import call_outcomes, last_contacts
from db.engine import today
from services import forecasts as forecasts_service


def _total(frame: pd.DataFrame, column: str) -> int:
    return int(frame[column].sum()) if len(frame) else 0


def week_facts(conn: Connection, scope: Scope, week: Period, ahead: bool = True) -> WeekFacts:
    """:class:`crm_core.weekly.WeekFacts` of ``week`` (Monday–Sunday) inside ``scope``; without
    ``ahead``, the plans of the week after are left at 0 (:func:`plans_ahead` reads them)."""
    month_start = week.end.replace(day=1)
    next_week = weeks_later(week, 1)
    months = months_between(min(week.start, month_start), next_week.end)
    revenue = queries.targets_by(conn, scope, months[0], months[-1], ["month"], ["revenue"])
    counts = activity_counts(conn, scope, week.start, week.end)
    reps = queries.reps(conn, scope)
    return WeekFacts(
        week=week,
        revenue=_total(queries.sales_by(conn, scope, week.start, week.end), "revenue"),
        mtd_revenue=_total(queries.sales_by(conn, scope, month_start, week.end), "revenue"),
        new_customers=_total(
            queries.new_customers_by(conn, scope, week.start, week.end), "new_customers"
        ),
        collections=_total(
            queries.collections_by(conn, scope, week.start, week.end), "collections"
        ),
        done=_total(counts, "done"),
        effective=_total(counts, "effective"),
        sales=_total(counts, "sales"),
        reps=int(reps.active.sum()) if len(reps) else 0,
        reports_on_time=weekly_db.reports_on_time(conn, scope, week),
        monthly_targets={row.month: int(row.target) for row in revenue.itertuples()},
        # planned = on the plan whatever became of it: a past week's report stays the same
        next_week_planned=planned_in(conn, scope, next_week) if ahead else 0,
    )


def planned_in(conn: Connection, scope: Scope, week: Period) -> int:
    return _total(activity_counts(conn, scope, week.start, week.end), "planned")


def configured_rules() -> FlagRules:
    """The exception thresholds: ``CRM_WEEKLY_RULES`` (e.g. ``behind_share=0.2,reports=3``)
    over the defaults of :class:`crm_core.weekly_flags.FlagRules`."""
    return parse_rules(settings.value("CRM_WEEKLY_RULES"))


def monday_report(
    conn: Connection,
    scope: Scope,
    week: Period,
    scope_label: str,
    material: int = 1_000_000,
    rules: FlagRules | None = None,
    ahead: bool = True,
) -> MondayReport:
    """The Monday report of ``week`` inside ``scope``; ``material``: the trailing weekly
    average (cents, default ¥10,000) from which a customer's drop counts as abnormal. With
    more than one region the reps are grouped by region and the regions ranked; each group is
    ordered by the gap to the week target, largest first. Without ``ahead`` the plans of the
    week after (:func:`plans_ahead`) are left out: the rest reads no row dated after the week,
    so a cache of it outlives the writes of the weeks after."""
    rules = rules or configured_rules()
    last = weeks_later(week, -1)
    next_week = weeks_later(week, 1)
    trend_start = week.start - timedelta(weeks=TRAILING_WEEKS - 1)
    pace, recent = pace_window(week), recent_window(week)
    months = months_between(trend_start, next_week.end)  # holds the pace window's month
    reps = queries.reps(conn, scope)
    rep_targets = queries.targets_by(
        conn, scope, months[0], months[-1], ["rep", "month"], ["revenue"]
    )
    table = rep_week_table(
        reps,
        queries.sales_by(conn, scope, week.start, week.end, ["rep"]),
        rep_targets,
        activity_counts(conn, scope, week.start, week.end),
        weekly_db.week_reports(conn, scope, week),
        week,
        queries.sales_by(conn, scope, pace.start, pace.end, ["rep"]),
        queries.sales_by(conn, scope, recent.start, recent.end, ["rep"]),
    )
    key_contacts = last_contacts(conn, scope, week.end, priority="key")  # all the flag looks at
    silent = silent_key_customers(
        cadence(key_contacts, week.end),
        rules,
        weekly_db.customer_revenue(conn, scope, list(key_contacts.customer_id), week.end),
    )
    flags = rep_flags(table, silent, rules)
    table["exception"] = table.rep.isin(set(flags.rep))  # a rep with any flag
    region_names = weekly_db.region_names(conn, scope)
    regions = region_table(table, region_names)
    by_region = len(regions) > 1
    own = region_flags(table, region_names, working_days(week), rules) if by_region else None
    items = decision_items(flags, own if own is not None else pd.DataFrame())
    table = _ordered(table, regions if by_region else None)
    drops = sales_drops(weekly_db.weekly_sales(conn, scope, week, material), week.start, material)
    names = weekly_db.customer_names(conn, list(drops.customer_id))
    drops.insert(1, "customer", [names.get(c, c) for c in drops.customer_id])
    report = MondayReport(
        week=week,
        week_label=iso_week_of(week.start),
        scope_label=scope_label,
        summary=weekly_report(
            week_facts(conn, scope, week, ahead=False), week_facts(conn, scope, last)
        ),
        reps=table,
        competitors=weekly_db.market_reports(conn, scope, "competitor", week),
        complaints=weekly_db.market_reports(conn, scope, "complaint", week),
        drops=drops,
        next_week=NO_PLANS,
        flags=flags,
        items=items,
        regions=regions,
        by_region=by_region,
        trend=_trend(conn, scope, week, months),
        funnel=call_funnel(call_outcomes(conn, scope, week), 0).steps[["step", "count"]],
        decisions=rules.top,
        changes=largest_first(
            deal_changes(
                deal_history.states_on(conn, scope, week.start - timedelta(days=1)),
                deal_history.states_on(conn, scope, week.end),
            )
        ),
    )
    if not ahead:
        return report
    report = with_activity(report, activity_ahead(conn, scope, week))
    report = with_forecast(report, forecast_ahead(conn, scope, week))
    return with_plans(report, plans_ahead(conn, scope, week, reps, rep_targets))


NEXT_WEEK_COLUMNS = ["rep", "name", "next_week_target", "planned"]

NO_PLANS = pd.DataFrame(columns=NEXT_WEEK_COLUMNS)


def plans_ahead(
    conn: Connection,
    scope: Scope,
    week: Period,
    reps: pd.DataFrame | None = None,
    rep_targets: pd.DataFrame | None = None,
) -> PlansAhead:
    """What ``monday_report(..., ahead=False)`` leaves out (:func:`crm_core.weekly.with_plans`
    puts it back): the week after ``week``, per active rep of ``scope`` (its target and the
    calls and visits planned in it) and the activities planned in it in all; ``reps`` and
    ``rep_targets`` (revenue by rep and month) when the caller has read them already."""
    following = weeks_later(week, 1)
    if reps is None or rep_targets is None:
        months = months_between(following.start, following.end)
        reps = queries.reps(conn, scope)
        rep_targets = queries.targets_by(
            conn, scope, months[0], months[-1], ["rep", "month"], ["revenue"]
        )
    counts = activity_counts(conn, scope, following.start, following.end)
    planned = counts.set_index("rep")["planned"]
    targets = targets_by_rep(rep_targets)
    rows = []
    for rep in reps[reps.active.astype(bool)].itertuples():
        target = target_for_range(targets.get(rep.rep_id, {}), following)
        rows.append((rep.rep_id, rep.name, None if target is None else round(target),
                     int(planned.get(rep.rep_id, 0))))  # fmt: skip
    return PlansAhead(pd.DataFrame(rows, columns=NEXT_WEEK_COLUMNS), _total(counts, "planned"))


def activity_ahead(conn: Connection, scope: Scope, week: Period) -> pd.DataFrame:
    """What ``monday_report(..., ahead=False)`` leaves out besides the plans: the activity the
    target of the meeting's month (crm_core.weekly.meeting_month) needs, per rep, as of the
    week's end, largest shortfall first (it reads the calls and visits planned after it)."""
    month, window = meeting_month(week), yield_window(week.end)
    inputs = plan_inputs(conn, scope, month, week.end, window)
    return by_shortfall(plan_of(inputs, month, week.end, window).table)


def forecast_ahead(conn: Connection, scope: Scope, week: Period) -> pd.DataFrame:
    """The calls of the meeting's month (crm_core.weekly.meeting_month) in force at the end of
    ``week``, with the accuracy of the month before it (crm_core.forecasts.report_rows)."""
    month, before = forecast_months(week)
    table, _ = forecasts_service.month_table(conn, scope, month, week.end)
    past, _ = forecasts_service.accuracy_tables(conn, scope, before)
    return report_rows(table, past)


def _ordered(table: pd.DataFrame, regions: pd.DataFrame | None) -> pd.DataFrame:
    """Largest gap to the week target first (no target last), within each region in rank
    order when ``regions`` is given."""
    gap = [
        None if t is None else int(t) - int(s)
        for t, s in zip(table.week_target, table.week_revenue, strict=True)
    ]
    keyed = table.assign(
        _rank=[0] * len(table)
        if regions is None
        else table.region.map(dict(zip(regions.region, regions["rank"], strict=True))),
        _none=[g is None for g in gap],
        _gap=[-(g or 0) for g in gap],
    )
    keyed = keyed.sort_values(["_rank", "_none", "_gap", "rep"], ignore_index=True)
    return keyed.drop(columns=["_rank", "_none", "_gap"])


def _trend(conn: Connection, scope: Scope, week: Period, months: list[str]) -> pd.DataFrame:
    """The 8 weeks ending with ``week``: ISO week, target (the scope's monthly revenue targets
    spread over working days) and revenue."""
    targets = queries.targets_by(conn, scope, months[0], months[-1], ["month"], ["revenue"])
    monthly = {m: int(v) for m, v in zip(targets.month, targets.target, strict=True)}
    first = week.start - timedelta(weeks=TRAILING_WEEKS - 1)
    sold = weekly_db.weekly_revenue(conn, scope, first, week.end)
    rows = []
    for back in range(TRAILING_WEEKS - 1, -1, -1):
        start = week.start - timedelta(weeks=back)
        span = Period(start, start + timedelta(days=6))
        target = target_for_range(monthly, span) if monthly else None
        rows.append((iso_week_of(start), None if target is None else round(target),
                     int(sold.get(start, 0))))  # fmt: skip
    return pd.DataFrame(rows, columns=["week", "target", "revenue"])


def sent_report(conn: Connection, scope: Scope, week: Period) -> MondayReport:
    """The Monday report of ``week`` as mail sends it: with the actions it opens with, their
    status today."""
    report = monday_report(conn, scope, week, weekly_db.scope_label(conn, scope))
    return with_actions(report, report_actions(conn, scope, week, today()))
