"""The read service: one function per view or KPI, ``f(conn, scope, …)`` returning typed
results (dataclasses of frames and figures, money in cents). Pages reach it through
:mod:`ui.data`, which only caches it; the CLI calls it directly. No Streamlit here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TypeVar

import pandas as pd
from sqlalchemy import Connection

from crm_core import breakdown as breakdown_core
from crm_core import customers as customers_core
from crm_core import drill as drill_core
from crm_core import efficiency as efficiency_core
from crm_core import forecasts as forecasts_core
from crm_core import pipeline as pipeline_core
from crm_core.activity_plan import ActivityPlan, plan_of, yield_window
from crm_core.daily import daily_table
from crm_core.deal_changes import PipelineMoves, deal_changes, month_pipeline
from crm_core.monthly import BaseChange
from crm_core.periods import Period, month_period, months_before, months_between
from crm_core.scope import FactFilter, Scope
from crm_core.vocabulary import METRICS
from crm_core.weekly import MondayReport, PlansAhead
from db import actions as actions_db
from db import activity as activity_db
from db import customers as customers_db
from db import daily as daily_db
from db import deal_history, measures, queries, targets
from db import efficiency as efficiency_db
from db import pipeline as pipeline_db
from db import users as users_db
from db.queries import Dim
from db.saved_views import View, views_for
from db.transactions import audit_trail
from services import forecasts as forecasts_service
from services import measures as composed
from services import monthly as monthly_tier
from services import weekly as weekly_service

F = TypeVar("F", bound=Callable[..., object])
#: Every declared read by name; ui.data makes each a cached loader of the same name.
READS: dict[str, Callable[..., object]] = {}


def reading(
    *tables: str,
    narrowed: Callable[..., tuple[str, ...]] | None = None,
    until: Callable[..., date] | None = None,
    light: bool = False,
) -> Callable[[F], F]:
    """Declare the data tables a read function reads (``function.tables``): its cached
    results are keyed on their versions, so a write to another table keeps them. With
    ``narrowed``, ``function.tables_for(*args)`` gives the tables of one call (a subset).
    tests/db/test_read_tables.py checks both against the SQL each call sends. With ``until``,
    ``function.until_for(*args)`` is the last day whose activities and daily reports the
    result depends on: a write dated later keeps it (db.transactions.versions_for;
    tests/db/test_scoped_versions.py). A ``light`` read (a few rows per rep, one customer)
    does not wait for a computing turn (ui.data.Turns): it holds little memory, and behind the
    heavy reads of a busy server it waited seconds for a few milliseconds of work."""

    def mark(function: F) -> F:
        declared = tuple(sorted(tables))

        def tables_for(*args: object) -> tuple[str, ...]:
            return tuple(sorted(narrowed(*args))) if narrowed else declared

        def until_for(*args: object) -> date | None:
            return until(*args) if until else None

        function.tables, function.tables_for = declared, tables_for  # type: ignore[attr-defined]
        function.until_for, function.light = until_for, light  # type: ignore[attr-defined]
        READS[function.__name__] = function
        return function

    return mark


# the fact table behind each target metric's actual
METRIC_TABLES = {"revenue": "orders", "gross_margin": "orders", "collections": "payments",
                 "new_customers": "orders", "visits": "activities"}  # fmt: skip


def _targets_table_reads(*args: object) -> tuple[str, ...]:
    """A targets table reads the targets, the customers, the orders (every actual starts from
    the sales) and its metric's fact table."""
    return tuple({"customers", "targets", "orders", METRIC_TABLES[str(args[-1])]})


@reading("products", "regions", "reps", light=True)
def dimensions(conn: Connection, scope: Scope) -> dict[str, pd.DataFrame]:
    """``regions``, ``reps`` and ``products`` visible in ``scope`` (for filters and labels)."""
    return {
        "regions": queries.regions(conn, scope),
        "reps": queries.reps(conn, scope),
        "products": queries.products(conn),
    }


@reading("products", "regions", "reps", light=True)
def labels(conn: Connection, scope: Scope) -> dict[str, pd.Series]:
    """The names of ``region``, ``rep`` and ``product`` IDs in ``scope``, by ID (what tables
    and select boxes show beside an ID)."""
    names = dimensions(conn, scope)
    return {
        "region": names["regions"].set_index("region_id")["name"],
        "rep": names["reps"].set_index("rep_id")["name"],
        "product": names["products"].set_index("product_id")["name"],
    }


@dataclass(frozen=True)
class OverviewData:
    actual: dict[str, int]
    previous: dict[str, int]
    monthly_targets: dict[str, dict[str, int]]
    trend_actuals: pd.DataFrame
    trend_targets: pd.DataFrame
    trend_months: list[str]
    rolled_up: bool = False  # a target is the sum of the level below (no total of its own)


@reading("activities", "customers", "orders", "payments", "targets")
def overview(
    conn: Connection, scope: Scope, flt: FactFilter, period: Period, previous: Period
) -> OverviewData:
    months = months_between(months_before(period.end, 11), period.end)
    target_months = months_between(min(period.start, previous.start), period.end)
    now = queries.actuals_by(conn, scope, period.start, period.end, flt=flt)
    before = queries.actuals_by(conn, scope, previous.start, previous.end, flt=flt)
    last_month = f"{period.end:%Y-%m}"
    targets_frame = measures.targets_held_against(
        conn, scope, target_months[0], last_month, ["month"], flt
    )
    # a year more than the chart shows: its months are compared with the year before
    trend_start = months_before(period.end, 23)
    trend = queries.actuals_by(conn, scope, trend_start, period.end, ["month"], flt)
    trend_targets = measures.targets_held_against(
        conn, scope, months[0], months[-1], ["month"], flt
    )
    monthly: dict[str, dict[str, int]] = {}
    for row in targets_frame.itertuples():
        monthly.setdefault(row.metric, {})[row.month] = int(row.target)
    return OverviewData(
        actual={k: int(v) for k, v in now.iloc[0].items()},
        previous={k: int(v) for k, v in before.iloc[0].items()},
        monthly_targets=monthly,
        rolled_up=bool(len(targets_frame) and targets_frame.rolled_up.astype(bool).any()),
        trend_actuals=trend,
        trend_targets=trend_targets,
        trend_months=months,
    )


def _actuals_reads(*args: object) -> tuple[str, ...]:
    """Actuals read the sales (every actual starts from them) and the metric's fact table."""
    return tuple({"customers", "orders", METRIC_TABLES[str(args[-1])]})


@reading("activities", "customers", "orders", "payments", narrowed=_actuals_reads)
def compared_actuals(
    conn: Connection, scope: Scope, flt: FactFilter, period: Period, by: tuple[Dim, ...],
    metric: str,
) -> pd.DataFrame:  # fmt: skip
    """``*by, compared``: the actual of ``metric`` in ``period``, the period a targets table
    is compared with (crm_core.overview.comparison_period)."""
    found = queries.Actuals([metric])(conn, scope, period.start, period.end, list(by), flt)
    if metric not in found:  # collections, new customers and visits have no product
        return found[list(by)].assign(compared=None)
    return found[[*by, metric]].rename(columns={metric: "compared"})


@reading("activities", "customers", "orders", "payments", "targets", narrowed=_targets_table_reads)
def targets_table(
    conn: Connection,
    scope: Scope,
    flt: FactFilter,
    period: Period,
    as_of: date,
    by: tuple[Dim, ...],
    metric: str,
) -> pd.DataFrame:
    """:func:`services.measures.targets_table` for one metric."""
    return composed.targets_table(conn, scope, period, as_of, list(by), [metric], flt)


@dataclass(frozen=True)
class BreakdownInputs:
    """What the breakdown editor needs for one metric and year (money in cents)."""

    last_year: pd.DataFrame  # region, rep, month, <metric>: the last 12 complete months
    tree: pd.DataFrame  # this year's target rows (db.targets.COLUMNS)
    potential: dict[str, int]  # rep → Σ customer potential


def history_window(year: int, as_of: date) -> Period:
    """The 12 complete months before the plan year (or before the current month when the
    plan year has not ended its predecessor yet): every calendar month exactly once."""
    end = min(date(year, 1, 1), as_of.replace(day=1)) - timedelta(days=1)
    return Period(months_before(end, 11), end)


@reading("activities", "customers", "orders", "payments", "reps", "targets")
def breakdown_inputs(
    conn: Connection, scope: Scope, metric: str, year: int, as_of: date
) -> BreakdownInputs:
    window = history_window(year, as_of)
    reps = queries.reps(conn, scope)
    return BreakdownInputs(
        last_year=queries.Actuals([metric])(
            conn, scope, window.start, window.end, ["region", "rep", "month"]
        ),
        tree=targets.tree(conn, metric, [f"{year}-{m:02d}" for m in range(1, 13)]),
        potential=targets.potential_by_rep(conn, reps.rep_id),
    )


@reading("activities", "customers", "daily_reports", "orders", "payments", "reps")
def daily(conn: Connection, scope: Scope, day: date) -> pd.DataFrame:
    """:func:`crm_core.daily.daily_table` for ``day`` inside ``scope``."""
    return daily_table(**daily_db.day_inputs(conn, scope, day), day=day)


def rep_day(conn: Connection, rep_id: str, day: date) -> dict[str, pd.DataFrame]:
    """A rep's own plan and report of ``day`` and their customers."""
    return {
        "plan": daily_db.plan_of(conn, rep_id, day),
        "customers": daily_db.customers_of(conn, rep_id),
        "report": daily_db.reports_of(conn, Scope.for_rep(rep_id), day),
    }


@reading("activities", "customers", "daily_reports", "reps", light=True)
def sign_off_queue(conn: Connection, scope: Scope) -> pd.DataFrame:
    """The reports waiting for sign-off in ``scope`` (cached: a sign-off or a report
    submitted bumps the daily reports' version, a visit the activities')."""
    return daily_db.sign_off_queue(conn, scope)


def report_history(conn: Connection, report_id: str) -> list[tuple[datetime, str, str]]:
    """Who changed a daily report when (from the audit log), oldest first."""
    return audit_trail(conn, "daily_reports", report_id)


@reading(
    "activities",
    "customers",
    "daily_reports",
    "forecasts",
    "market_reports",
    "opportunities",
    "opportunity_stages",
    "orders",
    "payments",
    "regions",
    "reps",
    "targets",
)
def monday_report(conn: Connection, scope: Scope, week: Period, label: str) -> MondayReport:
    """The Monday report of ``week`` inside ``scope``."""
    return weekly_service.monday_report(conn, scope, week, label)


def saved_views(conn: Connection, username: str) -> list[View]:
    """``username``'s saved views and those shared with them (db.saved_views)."""
    return views_for(conn, username)


def share_choices(conn: Connection, username: str) -> list[tuple[str, str]]:
    """Whom ``username`` may share a view with: every other enabled user, ``(username,
    display name)``; opening a view never shows them more than their own scope."""
    return [(a.username, a.display_name) for a in users_db.user_list(conn)
            if not a.disabled and a.username != username]  # fmt: skip


def action_owners(conn: Connection, scope: Scope) -> list[tuple[str, str]]:
    """Who may own an action about something in ``scope``: ``(username, display name)``."""
    return actions_db.owner_choices(conn, scope)


def action_list(conn: Connection, scope: Scope, on: date, week: str | None) -> pd.DataFrame:
    """The actions in ``scope`` (decided on ``week``), each with its status on ``on``."""
    return actions_db.action_list(conn, scope, on, week)


def report_actions(conn: Connection, scope: Scope, week: Period, on: date) -> pd.DataFrame:
    """The actions the report of ``week`` opens with, their status on ``on`` (not cached:
    they are written in the meeting)."""
    return actions_db.report_actions(conn, scope, week, on)


@reading("activities", "customers", "orders", "reps", "targets")
def activity_plan(conn: Connection, scope: Scope, period: Period, as_of: date) -> ActivityPlan:
    """What the rest of ``period``'s revenue target needs per active rep of ``scope``
    (crm_core.activity_plan): target and actual to ``as_of``, the yield of the
    ``CRM_YIELD_DAYS`` ending on ``as_of``, the calls and visits planned after it."""
    window = yield_window(as_of)
    return plan_of(activity_db.plan_inputs(conn, scope, period, as_of, window), period, as_of,
                   window)  # fmt: skip


@reading("customers", "opportunities", "opportunity_stages")
def pipeline_changes(conn: Connection, scope: Scope, first: date, last: date) -> PipelineMoves:
    """What moved in ``scope``'s pipeline between the end of ``first`` and the end of ``last``
    (crm_core.deal_changes), by deal and change, with the open and weighted pipeline of the
    month of ``last`` at the end of each day."""
    before = deal_history.states_on(conn, scope, first)
    after = deal_history.states_on(conn, scope, last)
    month, chances = month_period(f"{last:%Y-%m}"), pipeline_db.configured_probabilities()
    open_before, weighted_before = month_pipeline(before, month, chances)
    open_after, weighted_after = month_pipeline(after, month, chances)
    return PipelineMoves(first, last, deal_changes(before, after), open_before, open_after,
                         weighted_before, weighted_after)  # fmt: skip


@dataclass(frozen=True)
class Forecasts:
    """The forecasts of a month on a day (crm_core.forecasts; money in cents)."""

    month: str
    reps: pd.DataFrame  # forecast_table(): one row per active rep in scope
    regions: pd.DataFrame  # rollup() by region
    movement: pd.DataFrame  # the sums in force at the end of each week of the month
    history: pd.DataFrame  # every submission and adjustment, oldest first (RECORD_COLUMNS)


@reading("customers", "forecasts", "opportunities", "opportunity_stages", "orders", "reps",
         "targets")  # fmt: skip
def forecasts(conn: Connection, scope: Scope, month: str, as_of: date) -> Forecasts:
    """Each rep's forecast of ``month`` in force at the end of ``as_of``, beside the month's
    target, actual to ``as_of`` and the pipeline it is pre-filled from; the roll-up by region
    and how the call moved week by week."""
    table, records = forecasts_service.month_table(conn, scope, month, as_of)
    days = forecasts_core.checkpoints(month_period(month), as_of)
    return Forecasts(month, table, forecasts_core.rollup(table),
                     forecasts_core.movement(records, days), records)  # fmt: skip


@dataclass(frozen=True)
class ForecastAccuracy:
    """How close the calls of a month that is over came (crm_core.forecasts.accuracy)."""

    month: str
    reps: pd.DataFrame  # ACCURACY_COLUMNS, largest error first
    regions: pd.DataFrame  # REGION_ACCURACY_COLUMNS


@reading("customers", "forecasts", "orders", "reps")
def forecast_accuracy(conn: Connection, scope: Scope, month: str) -> ForecastAccuracy:
    """The commit in force at the end of ``month`` against its revenue per rep and region,
    with the bias of the months before (crm_core.forecasts.BIAS_MONTHS)."""
    return ForecastAccuracy(month, *forecasts_service.accuracy_tables(conn, scope, month))


def _week_end(_scope: Scope, week: Period, *_rest: object) -> date:
    return week.end


@reading(*monday_report.tables, until=_week_end)  # type: ignore[attr-defined]
def week_report(conn: Connection, scope: Scope, week: Period, label: str) -> MondayReport:
    """The Monday report of ``week`` without the plans of the week after it
    (:func:`plans_ahead`; ``crm_core.weekly.with_plans`` joins them): no row dated after the
    week counts in it, so the visits of the week after keep it cached."""
    return weekly_service.monday_report(conn, scope, week, label, ahead=False)


@reading("activities", "customers", "reps", "targets", light=True)
def plans_ahead(conn: Connection, scope: Scope, week: Period) -> PlansAhead:
    """The week after ``week``: its target and the calls and visits planned in it, per rep."""
    return weekly_service.plans_ahead(conn, scope, week)


@dataclass(frozen=True)
class MonthlyData:
    regions: pd.DataFrame
    reps: pd.DataFrame
    pipeline: pd.DataFrame
    base: BaseChange


@reading("customers", "opportunities", "opportunity_stages", "orders", "targets")
def monthly(conn: Connection, scope: Scope, month: str, as_of: date) -> MonthlyData:
    """Ranked attainment by region and rep, pipeline snapshot and base change of ``month``."""
    return MonthlyData(
        regions=monthly_tier.ranked_attainment(conn, scope, month, as_of, "region"),
        reps=monthly_tier.ranked_attainment(conn, scope, month, as_of, "rep"),
        pipeline=monthly_tier.pipeline_snapshot(conn, scope, min(as_of, month_period(month).end)),
        base=monthly_tier.customer_base(conn, scope, month),
    )


@dataclass(frozen=True)
class EfficiencyData:
    """The visit efficiency page's figures of a period."""

    league: efficiency_core.League
    funnel: efficiency_core.CallFunnel
    purposes: pd.DataFrame


@dataclass(frozen=True)
class Contacts:
    """Who to contact next and where the time went, on a day (whatever the period)."""

    overdue: pd.DataFrame  # crm_core.efficiency.overdue_list: who to contact next, in order
    allocation: pd.DataFrame  # crm_core.efficiency.time_allocation of the 12 months to the day


def league(conn: Connection, scope: Scope, period: Period, as_of: date) -> efficiency_core.League:
    """The rep league (crm_core.efficiency.league): every visit-efficiency rate per rep with
    the rep's revenue attainment, and the team median. Money in cents."""
    totals = efficiency_db.totals_by_rep(conn, scope, period, as_of)
    attained = composed.targets_table(conn, scope, period, as_of, ["rep"], ["revenue"])
    return efficiency_core.league(
        totals,
        dict(zip(attained.rep, attained.attainment, strict=True)),
        dict(zip(attained.rep, attained.pace, strict=True)),
    )


@reading("activities", "customers", "orders", "targets")
def efficiency(conn: Connection, scope: Scope, period: Period, as_of: date) -> EfficiencyData:
    """The visit efficiency page's league, call funnel and purposes
    (docs/kpis.md#visit-efficiency) for ``period`` inside ``scope``."""
    sold = int(queries.sales_by(conn, scope, period.start, period.end).revenue.sum())
    return EfficiencyData(
        league=league(conn, scope, period, as_of),
        funnel=efficiency_core.call_funnel(efficiency_db.call_outcomes(conn, scope, period), sold),
        purposes=efficiency_db.purpose_mix(conn, scope, period),
    )


@reading("activities", "customers", "orders")
def contacts(conn: Connection, scope: Scope, as_of: date) -> Contacts:
    """The overdue customers of ``scope`` on ``as_of`` and the time allocation of the 12 months
    to it: a read of its own, so that another period keeps it cached, and so that the page
    can compute it beside the period's figures (ui.data.ahead)."""
    due = efficiency_db.last_contacts(conn, scope, as_of, overdue_only=True)
    return Contacts(
        overdue=efficiency_core.overdue_list(efficiency_core.cadence(due, as_of)),
        allocation=efficiency_core.time_allocation(
            *efficiency_db.revenue_and_minutes(conn, scope, as_of)
        ),
    )


@dataclass(frozen=True)
class PipelineData:
    """The pipeline page's open deals, coverage and forecast (docs/kpis.md#pipeline-health);
    money in cents."""

    deals: pd.DataFrame  # open on as_of (db.pipeline.DEAL_COLUMNS)
    stages: pd.DataFrame  # crm_core.pipeline.open_pipeline
    stale: pd.DataFrame
    outcomes: pd.DataFrame  # deal_outcomes of the period: win rate, deal size, cycle, velocity
    coverage: dict[str, pd.DataFrame]  # YYYY-MM → by rep: the month of as_of and the next
    forecast: pd.DataFrame  # the period, by region
    probabilities: dict[str, float]  # the stage probabilities all weights used
    stale_limits: dict[str, int]  # the days in stage the stale list used


@reading("customers", "opportunities", "opportunity_stages", "orders", "targets")
def pipeline(conn: Connection, scope: Scope, period: Period, as_of: date) -> PipelineData:
    this_month = month_period(f"{as_of:%Y-%m}")
    next_month = month_period(f"{this_month.end + timedelta(days=1):%Y-%m}")
    deals = pipeline_db.open_deals(conn, scope, as_of)
    chances = pipeline_db.configured_probabilities()
    limits = pipeline_db.configured_stale_limits()

    def coverage(months: Period, key: str) -> pd.DataFrame:
        return pipeline_db.coverage_table(conn, scope, months, as_of, key, deals, chances)

    return PipelineData(
        deals=deals,
        stages=pipeline_core.open_pipeline(deals, chances),
        stale=pipeline_core.stale(deals, as_of, limits),
        outcomes=deal_outcomes(conn, scope, period, as_of),
        coverage={f"{m.start:%Y-%m}": coverage(m, "rep") for m in (this_month, next_month)},
        forecast=coverage(period, "region"),
        probabilities=chances,
        stale_limits=limits,
    )


@dataclass(frozen=True)
class PipelineHistory:
    """How the deals of the 12 months to a day went, whatever the period."""

    conversion: pd.DataFrame  # cohort: deals created in the 12 months to as_of
    trend: pd.DataFrame  # win rate and velocity of each of the 12 months to as_of


@reading("customers", "opportunities", "opportunity_stages")
def pipeline_history(conn: Connection, scope: Scope, as_of: date) -> PipelineHistory:
    """The stage conversion of the deals created in the 12 months to ``as_of`` and the 12-month
    trend: a read of its own, so that another period keeps it cached, and so that the page can
    compute it beside the open deals (ui.data.ahead)."""
    cohort = Period(as_of - timedelta(days=365), as_of)
    return PipelineHistory(
        conversion=pipeline_core.stage_conversion(
            *pipeline_db.conversion_counts(conn, scope, cohort, as_of)
        ),
        trend=pipeline_core.trend(*pipeline_db.trend_inputs(conn, scope, as_of)),
    )


@dataclass(frozen=True)
class CustomersData:
    """Everything of the customers page (docs/kpis.md#customers); money in cents."""

    classified: pd.DataFrame  # crm_core.customers.classify, one row per customer
    abc: pd.DataFrame  # crm_core.customers.abc_classes
    matrix: pd.DataFrame  # the 3×3 cells
    lists: dict[str, pd.DataFrame]  # mvc, mgc, bzc


def abc(values: pd.DataFrame) -> pd.DataFrame:
    """ABC classes (crm_core.customers.abc_classes) of ``values`` from
    :func:`db.customers.customer_values`, highest revenue first."""
    return customers_core.abc_classes(values[["customer_id", "name", "region", "revenue"]])


def customer_values(conn: Connection, scope: Scope, as_of: date) -> pd.DataFrame:
    """Per customer in scope: the trailing-12-month figures every classification starts from."""
    return customers_db.customer_values(conn, scope, as_of)


def classified(conn: Connection, scope: Scope, as_of: date) -> pd.DataFrame:
    """Every customer in scope classified (crm_core.customers.classify) on the trailing 12
    months to ``as_of``: value tier, grade, share of wallet, matrix cell, strategy."""
    values = customer_values(conn, scope, as_of)
    return customers_core.classify(values, abc(values))


@reading("activities", "customers", "opportunities", "orders")
def customers(conn: Connection, scope: Scope, as_of: date) -> CustomersData:
    values = customer_values(conn, scope, as_of)
    abc_table = abc(values)
    classified = customers_core.classify(values, abc_table)
    return CustomersData(
        classified=classified,
        abc=abc_table,
        matrix=customers_core.matrix(classified),
        lists=customers_core.key_lists(values),
    )


@dataclass(frozen=True)
class CustomerYears:
    """Attrition and new customers per year (crm_core.customers.attrition_table)."""

    years: pd.DataFrame  # the whole scope
    years_by_region: pd.DataFrame


@reading("customers", "orders")
def customer_years(conn: Connection, scope: Scope, as_of: date) -> CustomerYears:
    """The customer base of each year to ``as_of``: its own read (orders only), so that a
    visit written, which makes the classification be computed again, keeps it cached."""
    by_region, complete = customers_db.year_bases(conn, scope, as_of, by_region=True)
    return CustomerYears(
        years=customers_core.attrition_table(customers_core.summed(by_region), complete),
        years_by_region=customers_core.attrition_table(by_region, complete),
    )


@reading("customers", light=True)
def customer_search(conn: Connection, scope: Scope, text: str) -> pd.DataFrame:
    return customers_db.search(conn, scope, text)


CustomerCard = customers_db.CustomerCard


@reading("activities", "customers", "market_reports", "opportunities", "orders", "regions", "reps")
def customer_card(
    conn: Connection, scope: Scope, customer_id: str, as_of: date
) -> customers_db.CustomerCard | None:
    return customers_db.customer_card(conn, scope, customer_id, as_of)


@reading("customers", "opportunities", "opportunity_stages", "orders")
def rep_customers(
    conn: Connection, scope: Scope, facts: FactFilter, period: Period, as_of: date, rep_id: str
) -> pd.DataFrame:
    """The customers behind ``rep_id``'s figures in ``period`` (crm_core.drill.customers_of):
    their orders by the rep and the rep's deals open on ``as_of``; names read in ``scope``."""
    mine = scope.narrow(None, [rep_id])
    sales = queries.sales_by(conn, mine, period.start, period.end, ["customer"], facts)
    deals = pipeline_db.open_deals(conn, mine, as_of)
    names = queries.customer_names(conn, scope, [*sales.customer, *deals.customer_id])
    return drill_core.customers_of(sales, deals, names)


@reading("targets")
def unsplit_months(
    conn: Connection, region_ids: tuple[str, ...], years: tuple[int, ...]
) -> list[str]:
    """Months of ``years`` where a region of ``region_ids`` has a target no rep has yet
    (crm_core.breakdown.unsplit_months), over every metric."""
    months = [f"{year}-{m:02d}" for year in years for m in range(1, 13)]
    trees = [targets.tree(conn, metric, months) for metric in METRICS]
    return breakdown_core.unsplit_months(pd.concat(trees, ignore_index=True), region_ids)


def deal_outcomes(
    conn: Connection, scope: Scope, period: Period, as_of: date, by_month: bool = False
) -> pd.DataFrame:
    """Win rate, average deal, cycle length and sales velocity (docs/kpis.md#pipeline-health)
    of the deals closed in ``period`` with the deals open on ``as_of`` — the Pipeline page's
    headline — or, ``by_month``, per month of the period with the deals open at each month's
    end (the page's trend). Columns of :func:`crm_core.pipeline.trend`; money in cents."""
    if by_month:
        months = months_between(period.start, period.end)
        return pipeline_core.trend(*pipeline_db.month_inputs(conn, scope, months, as_of))
    label = f"{period.start}..{period.end}"
    (count,) = pipeline_db.open_counts(conn, scope, [as_of])
    closed = {label: pipeline_db.closings(conn, scope, period)}
    return pipeline_core.trend(closed, {label: count}).rename(columns={"month": "period"})
