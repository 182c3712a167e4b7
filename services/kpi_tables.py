"""The ``kpi`` computations of the CLI as tables: one function per computation taking a
connection and a :class:`KpiRequest` (scope, period, as-of day and options) and returning the
rows ``cli.py`` renders as JSON or CSV. Money is in yuan here, except the columns the renderer
converts itself (revenue, amount and the other ``ALWAYS_MONEY`` columns of cli.py). The
figures come from the read service and crm_core, as the pages' do."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import Any, TypeVar

import pandas as pd
from sqlalchemy import Connection

from crm_core import customers as customers_core
from crm_core import forecasts as forecasts_core
from crm_core import formatting as fmt
from crm_core import weekly as weekly_metrics
from crm_core.customers import attrition_table
from crm_core.daily import daily_table
from crm_core.efficiency import cadence, call_funnel, compliance, time_allocation
from crm_core.efficiency import efficiency as efficiency_rates
from crm_core.periods import Period, iso_week_of, iso_week_period, weeks_later
from crm_core.pipeline import open_pipeline, stage_conversion, stale
from crm_core.scope import FactFilter, Scope
from crm_core.vocabulary import METRICS
from crm_core.weekly import weekly_report, with_actions
from db import customers as customers_db
from db import daily as daily_db
from db import efficiency as efficiency_db
from db import pipeline as pipeline_db
from db import queries
from db import weekly as weekly_db
from db.queries import Dim
from reports import files as report_files
from reports.tables import ALWAYS_MONEY
from services import monthly as monthly_tier
from services import reads
from services import weekly as weekly_service
from services.measures import targets_table

yuan = partial(fmt.yuan, places=2)


class BadRequest(ValueError):
    """A ``kpi`` call that asks for something the computation does not offer."""


@dataclass(frozen=True)
class KpiRequest:
    """What a ``kpi`` call asks for, after the scope of ``--as`` is applied."""

    scope: Scope
    period: Period
    as_of: date
    by: list[Dim]
    metrics: list[str] | None
    commission_rate: float
    reps: list[str] | None = None
    section: str = "decisions"


Compute = TypeVar("Compute", bound=Callable[..., pd.DataFrame])


# page → section title key → the arguments after ``kpi NAME`` that give that section's figures
Shows = Mapping[str, Mapping[str, str]]


@dataclass(frozen=True)
class Kpi:
    """One ``kpi`` computation: its rows, a line for ``kpi --help``, its ``--by`` choices and
    the page sections whose figures it gives (the CLI parity: ui.navigation.HEADLESS)."""

    compute: Callable[[Connection, KpiRequest], pd.DataFrame]
    help: str
    by: str = "-"
    shows: Shows = field(default_factory=dict)


#: Every ``kpi`` computation by name, in the order ``kpi --help`` lists them.
KPIS: dict[str, Kpi] = {}


def kpi(
    name: str, help: str, by: str = "-", shows: Shows | None = None
) -> Callable[[Compute], Compute]:
    """Register the decorated function as the ``kpi`` computation ``name``; ``shows``: for each
    page, the sections it gives the figures of, with the arguments that do (``""``: none)."""

    def register(compute: Compute) -> Compute:
        KPIS[name] = Kpi(compute, help, by, shows or {})
        return compute

    return register


def headless(others: Mapping[str, Mapping[str, str]]) -> dict[str, dict[str, str]]:
    """Every page's sections and the commands that give their figures: each ``kpi``'s
    ``shows`` as ``kpi NAME ARGS``, with ``others`` (commands that are no ``kpi``: imports,
    exports, actions); a section given by several is joined with ``; ``."""
    found: dict[str, dict[str, list[str]]] = {}
    for page, sections in others.items():
        for section, command in sections.items():
            found.setdefault(page, {}).setdefault(section, []).append(command)
    for name, entry in KPIS.items():
        for page, sections in entry.shows.items():
            for section, args in sections.items():
                command = f"kpi {name} {args}".strip()
                found.setdefault(page, {}).setdefault(section, []).append(command)
    return {
        page: {section: "; ".join(commands) for section, commands in sections.items()}
        for page, sections in found.items()
    }


@kpi(
    "targets",
    "target, actual, attainment, variance, pace, projection, run-rate",
    by="month,region,rep,product",
    shows={
        "overview": {
            "results": "--metric revenue --metric gross_margin --metric collections "
            "--metric new_customers",
            "trend_12": "--by month",
            "attainment_by_title": "--by region --metric revenue",
        },
        "targets": {
            "heatmap_title": "--by rep,month",
            "by_region_then_rep": "--by region,rep",
            "by_product": "--by product --metric revenue --metric gross_margin",
        },
        "monthly": {"trend_title": "--by month --metric revenue"},
    },
)
def _targets(conn: Connection, request: KpiRequest) -> pd.DataFrame:
    r = request
    return targets_table(conn, r.scope, r.period, r.as_of, r.by, r.metrics or METRICS)


@kpi(
    "daily",
    "each rep's day (--as-of): planned, done, missed, effective, sales, report",
    shows={"daily": {"team_day": "", "sign_off_queue": "", "my_day": ""}},
)
def _daily(conn: Connection, request: KpiRequest) -> pd.DataFrame:
    """One row per rep for the day ``--as-of`` (docs/kpis.md#tracking-daily-weekly-monthly daily
    tier)."""
    scope, as_of = request.scope, request.as_of
    inputs = daily_db.day_inputs(conn, scope, as_of)
    return daily_table(**inputs, day=as_of).drop(columns="name")


@kpi(
    "weekly",
    "the Monday report's metrics of the ISO week of --from, vs last week",
    shows={"weekly": {"section_summary": ""}, "meeting": {"page_meeting": ""}},
)
def _weekly(conn: Connection, request: KpiRequest) -> pd.DataFrame:
    """The Monday report's metrics for the ISO week of ``--from`` (default: the last completed
    week before ``--as-of``), with last week and the change. Money in yuan."""
    scope, period = request.scope, request.period
    week = iso_week_period(iso_week_of(period.start))
    last = weeks_later(week, -1)
    table = weekly_report(
        weekly_service.week_facts(conn, scope, week), weekly_service.week_facts(conn, scope, last)
    )
    for column in ("this_week", "last_week", "change"):
        values = [_weekly_value(m, v) for m, v in zip(table.metric, table[column], strict=True)]
        table[column] = pd.Series(values, index=table.index, dtype=object)
    return table.assign(week=iso_week_of(week.start))[
        ["week", "metric", "this_week", "last_week", "change"]
    ]


@kpi(
    "monday",
    "a section of the Monday report (--section decisions|regions|reps|...)",
    shows={
        "weekly": {f"section_{s}": f"--section {s}" for s in report_files.SECTIONS},
        "meeting": {"page_meeting": "--section decisions"},
    },
)
def _monday(conn: Connection, request: KpiRequest) -> pd.DataFrame:
    """One section (``--section``) of the Monday report of the ISO week of ``--from`` (default:
    the last completed week), as the weekly page lists it: reasons in English, money in yuan."""
    week = iso_week_period(iso_week_of(request.period.start))
    label = weekly_db.scope_label(conn, request.scope)
    report = reads.monday_report(conn, request.scope, week, label)
    if request.section == "actions":
        actions = reads.report_actions(conn, request.scope, week, request.as_of)
        report = with_actions(report, actions)
    columns = report_files.SECTION_COLUMNS[request.section]
    frame = report_files.section_frame(report, request.section, "en").reindex(columns=columns)
    for column in (report_files.MONEY_COLUMNS & set(columns)) - ALWAYS_MONEY:  # render()'s own
        frame[column] = [yuan(v) for v in frame[column]]
    return frame


@kpi(
    "activity_plan",
    "calls and visits the rest of the target needs at each rep's own yield; planned, shortfall",
    by="rep",
    shows={"daily": {"my_activity": ""}, "targets": {"activity_needed": ""}},
)
def _activity_plan(conn: Connection, request: KpiRequest) -> pd.DataFrame:
    """Per rep, for the period (default: the month of ``--as-of``): the revenue target still to
    sell, the rep's revenue per done call or visit over the ``CRM_YIELD_DAYS`` to ``--as-of``,
    the activities that needs in all and per working day left, those planned, the shortfall
    (money in yuan; docs/kpis.md#activity-needed)."""
    if request.by not in ([], ["rep"]):
        raise BadRequest("kpi activity_plan: per rep only (--by rep)")
    plan = reads.activity_plan(conn, request.scope, request.period, request.as_of).table
    for column in ("target", "actual", "yield"):  # remaining: render() (ALWAYS_MONEY)
        plan[column] = [yuan(v) for v in plan[column]]
    return plan.drop(columns="name")


@kpi(
    "pipeline_changes",
    "what moved from --from to --to: new, advanced, moved back, won, lost, pushed, amount",
    shows={"pipeline": {"what_changed": ""}},
)
def _pipeline_changes(conn: Connection, request: KpiRequest) -> pd.DataFrame:
    """Each deal and change between the end of ``--from`` and the end of ``--to`` (default:
    last Monday to ``--as-of``): its rep, the change, before and after (a stage, a day, or
    an amount in yuan), its amount (for an amount change the difference) and how many times
    its close has been pushed out (docs/kpis.md#what-changed)."""
    first, last = request.period.start, request.period.end
    table = reads.pipeline_changes(conn, request.scope, first, last).changes
    money = table.change.isin(["amount_up", "amount_down"])
    for column in ("before", "after"):
        table[column] = [yuan(v) if m else v for v, m in zip(table[column], money, strict=True)]
    return table


@kpi(
    "submitted_forecast",
    "the month of --from: each rep's submitted and adjusted commit and best case, target, actual",
    by="rep,region",
    shows={"forecast": {"forecast_mine": "--by rep", "forecast_team": "--by rep",
                        "forecast_regions": "--by region"}},
)  # fmt: skip
def _submitted_forecast(conn: Connection, request: KpiRequest) -> pd.DataFrame:
    """The forecasts of the month of ``--from`` (default: the month of ``--as-of``) in force
    at the end of ``--as-of``, per rep (default) or summed per region, beside the month's
    target, actual to ``--as-of`` and weighted pipeline (money in yuan;
    docs/kpis.md#forecasts)."""
    by = request.by or ["rep"]
    if by not in (["rep"], ["region"]):
        raise BadRequest("kpi submitted_forecast: --by rep or --by region")
    month = f"{request.period.start:%Y-%m}"
    loaded = reads.forecasts(conn, request.scope, month, request.as_of)
    if by == ["region"]:
        table = loaded.regions
    else:
        table = loaded.reps.drop(columns="name").assign(month=month)
    for column in set(forecasts_core.MONEY) & set(table.columns):
        table[column] = [yuan(v) for v in table[column]]
    return table


@kpi(
    "forecast_calls",
    "the month of --from: every submission and adjustment with its day, who, note",
    shows={"forecast": {"forecast_history": ""}},
)
def _forecast_calls(conn: Connection, request: KpiRequest) -> pd.DataFrame:
    """Every forecast of the month of ``--from`` (default: the month of ``--as-of``) submitted
    or adjusted in scope up to ``--as-of``, oldest first: how the call moved (money in yuan;
    docs/kpis.md#forecasts)."""
    month = f"{request.period.start:%Y-%m}"
    calls = reads.forecasts(conn, request.scope, month, request.as_of).history
    calls = calls[[d <= request.as_of for d in calls.day]].drop(columns="id")
    for column in ("commit", "best_case"):
        calls[column] = [yuan(v) for v in calls[column]]
    return calls.reset_index(drop=True)


@kpi(
    "forecast_accuracy",
    "the month of --from (default: last month): the commit in force at its end vs actual, bias",
    by="rep,region",
    shows={"forecast": {"forecast_accuracy": "--by rep; kpi forecast_accuracy --by region"}},
)
def _forecast_accuracy(conn: Connection, request: KpiRequest) -> pd.DataFrame:
    """Per rep (default) or region with a forecast of the month of ``--from`` or of the 5
    months before: the commit in force at the month's end, the actual, error = (forecast −
    actual) ÷ actual, and the bias (mean error) over those 6 months (money in yuan;
    docs/kpis.md#forecast-accuracy)."""
    by = request.by or ["rep"]
    if by not in (["rep"], ["region"]):
        raise BadRequest("kpi forecast_accuracy: --by rep or --by region")
    loaded = reads.forecast_accuracy(conn, request.scope, f"{request.period.start:%Y-%m}")
    table = loaded.regions if by == ["region"] else loaded.reps.drop(columns="name")
    table["actual"] = [yuan(v) for v in table.actual]  # forecast: render() (ALWAYS_MONEY)
    return table


def _weekly_value(metric: str, value: Any) -> object:
    if value is None:
        return None
    if metric in weekly_metrics.MONEY:
        return yuan(value)
    return float(value) if metric in weekly_metrics.RATIOS else int(value)


@kpi(
    "monthly",
    "attainment of the month of --from with rank, vs last month and year",
    by="region|rep",
    shows={"monthly": {"by_region": "--by region", "by_rep": "--by rep"}},
)
def _monthly(conn: Connection, request: KpiRequest) -> pd.DataFrame:
    """Attainment of the month of ``--from`` by region (or ``--by rep``) with rank, MoM, YoY."""
    key = request.by[0] if request.by else "region"
    if key not in ("region", "rep"):
        raise BadRequest("kpi monthly: --by region or --by rep")
    month = f"{request.period.start:%Y-%m}"
    frames = [
        monthly_tier.ranked_attainment(conn, request.scope, month, request.as_of, key, metric)
        for metric in request.metrics or ["revenue"]
    ]
    table = pd.concat(frames, ignore_index=True)
    return table[
        [key, "metric", "rank", *[c for c in table.columns if c not in (key, "metric", "rank")]]
    ]


@kpi(
    "efficiency",
    "effective visit rate, transaction rate, plan adherence, ROI",
    by="rep",
    shows={"efficiency": {"league": "--by rep", "busy_not_converting": "--by rep"}},
)
def _efficiency(conn: Connection, request: KpiRequest) -> pd.DataFrame:
    """docs/kpis.md#visit-efficiency rates for the team, or per rep with ``--by rep`` with
    each rep's revenue attainment, as in the page's league (money in yuan)."""
    scope, period, by = request.scope, request.period, request.by
    if by == ["rep"]:
        rows = reads.league(conn, scope, period, request.as_of).reps.to_dict("records")
    else:
        per_rep = efficiency_db.totals_by_rep(conn, scope, period, request.as_of)
        team = efficiency_db.team_totals(per_rep, period, request.as_of)
        rows = [{"scope": "team", "done": team.done, **efficiency_rates(team)}]
    for row in rows:
        for money in ("sales_per_activity", "cost_per_activity", "roi_per_hour"):
            row[money] = yuan(row[money])
    return pd.DataFrame(rows)


@kpi("purposes", "done calls and visits by purpose", shows={"efficiency": {"purpose_mix": ""}})
def _purposes(conn: Connection, request: KpiRequest) -> pd.DataFrame:
    """Done calls and visits of the period by purpose (what the visits were for)."""
    return efficiency_db.purpose_mix(conn, request.scope, request.period)


@kpi(
    "call_funnel",
    "dialed -> completed -> appointment -> presentation -> sale, yuan per call",
    shows={"efficiency": {"call_funnel": ""}},
)
def _call_funnel(conn: Connection, request: KpiRequest) -> pd.DataFrame:
    """The call funnel of the period; revenue and commission per dialed call in yuan."""
    scope, period = request.scope, request.period
    sold = int(queries.sales_by(conn, scope, period.start, period.end).revenue.sum())
    outcomes = efficiency_db.call_outcomes(conn, scope, period)
    funnel = call_funnel(outcomes, sold, request.commission_rate)
    return funnel.steps.assign(
        revenue=funnel.revenue,  # cents: rendered in yuan like every revenue column
        revenue_per_call=yuan(funnel.revenue_per_call),
        commission_per_call=yuan(funnel.commission_per_call),
    )


@kpi(
    "cadence",
    "contact cadence per customer (overdue calls and visits)",
    by="rep (compliance)",
    shows={"efficiency": {"overdue_title": ""}},
)
def _cadence(conn: Connection, request: KpiRequest) -> pd.DataFrame:
    """Contact cadence per customer on ``--as-of``, or compliance per rep with ``--by rep``."""
    scope, as_of, by = request.scope, request.as_of, request.by
    table = cadence(efficiency_db.last_contacts(conn, scope, as_of), as_of)
    if by == ["rep"]:
        return compliance(table).rename(columns={"owner_rep_id": "rep"})
    return table


@kpi(
    "time_allocation",
    "hours on the top 10/30/60 % of customers vs 60/30/10",
    shows={"efficiency": {"time_allocation": ""}},
)
def _time_allocation(conn: Connection, request: KpiRequest) -> pd.DataFrame:
    """Activity time on the top 10 % / next 30 % / other 60 % of customers vs 60/30/10."""
    scope, as_of = request.scope, request.as_of
    return time_allocation(*efficiency_db.revenue_and_minutes(conn, scope, as_of))


@kpi(
    "pipeline",
    "open deals per stage: count, amount, weighted",
    shows={"pipeline": {"funnel_title": ""}, "monthly": {"pipeline_snapshot": ""}},
)
def _pipeline(conn: Connection, request: KpiRequest) -> pd.DataFrame:
    """Open pipeline per stage on ``--as-of``: count, amount, probability, weighted (yuan)."""
    deals = pipeline_db.open_deals(conn, request.scope, request.as_of)
    return open_pipeline(deals, pipeline_db.configured_probabilities())


@kpi("stage_conversion", "share of deals that passed each stage, days in stage")
def _stage_conversion(conn: Connection, request: KpiRequest) -> pd.DataFrame:
    """Of the deals created ``--from``–``--to`` (default: the 12 months to ``--as-of``), the
    share that passed each stage, and the average days in it."""
    counts = pipeline_db.conversion_counts(conn, request.scope, request.period, request.as_of)
    return stage_conversion(*counts)


@kpi(
    "open_deals",
    "every open deal with its stage and days in it",
    shows={"pipeline": {"days_in_stage_title": ""}},
)
def _open_deals(conn: Connection, request: KpiRequest) -> pd.DataFrame:
    """Every deal open on ``--as-of`` with its stage and the days it has sat in it, longest
    first."""
    deals = pipeline_db.open_deals(conn, request.scope, request.as_of)
    days = [(request.as_of - since).days for since in deals.stage_since]
    columns = ["opportunity_id", "name", "customer", "rep", "stage", "amount", "stage_since"]
    table = deals[columns].assign(days_in_stage=days)
    return table.sort_values(["days_in_stage", "opportunity_id"], ascending=[False, True])


@kpi(
    "stale",
    "open deals without a stage change for too long or past close",
    shows={"pipeline": {"stale_title": ""}},
)
def _stale(conn: Connection, request: KpiRequest) -> pd.DataFrame:
    """Open deals on ``--as-of`` with no stage change for over 30 days or past their expected
    close, largest first."""
    deals = pipeline_db.open_deals(conn, request.scope, request.as_of)
    columns = ["opportunity_id", "name", "customer", "rep", "stage", "amount", "stage_since"]
    return stale(deals, request.as_of, pipeline_db.configured_stale_limits())[
        [*columns, "days_in_stage", "expected_close", "days_overdue", "reason"]
    ]


def _coverage_key(request: KpiRequest, default: str) -> str:
    key = request.by[0] if request.by else default
    if key not in ("region", "rep") or len(request.by) > 1:
        raise BadRequest("--by region or --by rep")
    return key


@kpi(
    "coverage",
    "open amount closing in the period / target still to sell",
    by="rep|region",
    shows={"pipeline": {"coverage_title": "--by rep"}},
)
def _coverage(conn: Connection, request: KpiRequest) -> pd.DataFrame:
    """Open amount expected to close in the period over the revenue target still to sell, per
    rep (or ``--by region``); status short < 1×, thin < 3×."""
    key = _coverage_key(request, "rep")
    r = request
    table = pipeline_db.coverage_table(conn, r.scope, r.period, r.as_of, key)
    columns = ["target", "actual", "remaining", "pipeline", "coverage", "status"]
    return table.assign(metric="revenue")[[key, "metric", *columns]]


@kpi(
    "forecast",
    "actual + weighted pipeline closing in the period vs target",
    by="region|rep",
    shows={"pipeline": {"forecast_title": "--by region"}},
)
def _forecast(conn: Connection, request: KpiRequest) -> pd.DataFrame:
    """Actual to ``--as-of`` plus the weighted open amount expected in the period, per region
    (or ``--by rep``), against the target."""
    key = _coverage_key(request, "region")
    r = request
    table = pipeline_db.coverage_table(conn, r.scope, r.period, r.as_of, key)
    columns = ["target", "actual", "weighted", "forecast", "forecast_attainment"]
    return table.assign(metric="revenue")[[key, "metric", *columns]]


@kpi(
    "velocity",
    "the same table: velocity = open deals x win rate x deal / cycle (yuan/day)",
    by="month",
)
@kpi(
    "win_rate",
    "won, lost, win rate, average deal, cycle days of deals closed; velocity",
    by="month",
    shows={"pipeline": {"win_trend": "--by month"}},
)
def _win_rate(conn: Connection, request: KpiRequest) -> pd.DataFrame:
    """Win rate, average deal, cycle and velocity of the deals closed in the period (money in
    yuan, velocity in yuan per day), or per month with ``--by month``."""
    if request.by not in ([], ["month"]):
        raise ValueError("win_rate and velocity take --by month or nothing")
    table = reads.deal_outcomes(
        conn, request.scope, request.period, request.as_of, by_month=request.by == ["month"]
    )
    return table.assign(
        average_deal=[yuan(v) for v in table.average_deal],
        velocity=[yuan(v) for v in table.velocity],
    )


def _classified(conn: Connection, request: KpiRequest) -> pd.DataFrame:
    return reads.classified(conn, request.scope, request.as_of)


@kpi(
    "key_lists",
    "MVC, MGC and BZC customers (most valuable, growable, below zero)",
    shows={"customers": {"key_lists_title": ""}},
)
def _key_lists(conn: Connection, request: KpiRequest) -> pd.DataFrame:
    """MVC, MGC and BZC customers on the trailing 12 months to ``--as-of`` (column ``list``),
    each list in its own order; money in yuan."""
    values = reads.customer_values(conn, request.scope, request.as_of)
    lists = customers_core.key_lists(values)
    frame = pd.concat([table.assign(list=name) for name, table in lists.items()], ignore_index=True)
    columns = ["list", "customer_id", "name", "revenue", "gross_margin", "potential",
               "cost_to_serve", "headroom", "net"]  # fmt: skip
    frame = frame.reindex(columns=columns)
    for column in ("gross_margin", "cost_to_serve", "headroom", "net"):
        frame[column] = [yuan(v) for v in frame[column]]
    return frame


@kpi(
    "abc",
    "ABC (Pareto 80/95 %) on trailing-12-month revenue",
    shows={"customers": {"pareto_title": ""}},
)
def _abc(conn: Connection, request: KpiRequest) -> pd.DataFrame:
    """ABC classes on the trailing 12 months to ``--as-of``, highest revenue first."""
    table = reads.abc(reads.customer_values(conn, request.scope, request.as_of))
    return table[["customer_id", "name", "region", "revenue", "rank", "share", "share_before",
                  "cumulative", "abc"]]  # fmt: skip


@kpi(
    "tiers",
    "value tier of active customers, grade A-D of prospects",
    shows={"customers": {"tiers_title": ""}},
)
def _tiers(conn: Connection, request: KpiRequest) -> pd.DataFrame:
    """Value tier of each active customer and grade of each prospect (trailing 12 months)."""
    table = _classified(conn, request)
    return table[["customer_id", "name", "status", "revenue", "value_tier", "grade"]]


@kpi(
    "matrix",
    "share-of-wallet x potential cell (R1..A3) and strategy",
    shows={"customers": {"matrix_title": ""}},
)
def _matrix(conn: Connection, request: KpiRequest) -> pd.DataFrame:
    """Share-of-wallet × potential cell and strategy per customer (no cell without potential)."""
    table = _classified(conn, request)
    return table[["customer_id", "name", "revenue", "potential", "share", "cell", "strategy"]]


@kpi(
    "attrition",
    "attrition and new-customer rate per year",
    by="region",
    shows={"customers": {"attrition_title": "--by region"}, "monthly": {"customer_base": ""}},
)
def _attrition(conn: Connection, request: KpiRequest) -> pd.DataFrame:
    """Attrition and new-customer rate per year up to ``--as-of`` (``--by region`` per region)."""
    if request.by not in ([], ["region"]):
        raise BadRequest("kpi attrition: --by region or nothing")
    by_region = request.by == ["region"]
    bases = customers_db.year_bases(conn, request.scope, request.as_of, by_region)
    table = attrition_table(*bases)
    return table.rename(columns={"key": "region"}) if by_region else table.drop(columns="key")


@kpi(
    "rep_customers",
    "the customers behind one rep's figures (--rep): orders, open deals",
    shows={
        "targets": {"by_region_then_rep": "--rep E0001"},
        "monthly": {"by_rep": "--rep E0001"},
        "pipeline": {"coverage_title": "--rep E0001"},
    },
)
def _rep_customers(conn: Connection, request: KpiRequest) -> pd.DataFrame:
    """The customers behind one rep's figures (``--rep``): revenue, margin and orders in the
    period, deals open on ``--as-of`` (money in yuan), as the drill-downs list them."""
    if not request.reps or len(request.reps) != 1:
        raise ValueError("rep_customers needs exactly one --rep")
    r, [rep] = request, request.reps
    frame = reads.rep_customers(conn, r.scope, FactFilter(), r.period, r.as_of, rep)
    for column in ("gross_margin", "open_amount"):  # revenue: render() (ALWAYS_MONEY)
        frame[column] = [yuan(v) for v in frame[column]]
    return frame
