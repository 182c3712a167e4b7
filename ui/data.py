"""Cached access to the database for pages: one engine per URL (``st.cache_resource``), and
loaders cached with ``st.cache_data`` keyed on their arguments *and the data version*, which
every write bumps, so a write invalidates every cached read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from crm_core.daily import daily_table
from crm_core.monthly import BaseChange
from crm_core.periods import Period, month_period, months_between
from crm_core.scope import FactFilter, Scope
from crm_core.weekly import MondayReport
from db import daily as daily_db
from db import kpis, queries, targets, users
from db import monthly as monthly_db
from db import weekly as weekly_db
from db.engine import database_url, make_engine
from db.writes import audit_trail, current_data_version


@st.cache_resource(show_spinner=False)
def _engine_for(url: str) -> Engine:
    return make_engine(url)


def engine() -> Engine:
    return _engine_for(database_url())


def data_version() -> int:
    with engine().connect() as conn:
        return current_data_version(conn)


@st.cache_data(show_spinner=False, ttl=3600)
def _accounts(url: str, version: int) -> dict[str, users.Account]:
    with _engine_for(url).connect() as conn:
        return users.load_accounts(conn)


def accounts() -> dict[str, users.Account]:
    return _accounts(database_url(), data_version())


@st.cache_data(show_spinner=False, ttl=3600)
def _dimensions(url: str, version: int, scope: Scope) -> dict[str, pd.DataFrame]:
    with _engine_for(url).connect() as conn:
        return {
            "regions": queries.regions(conn, scope),
            "reps": queries.reps(conn, scope),
            "products": queries.products(conn),
        }


def dimensions(scope: Scope) -> dict[str, pd.DataFrame]:
    """``regions``, ``reps`` and ``products`` visible in ``scope`` (for filters and labels)."""
    return _dimensions(database_url(), data_version(), scope)


@dataclass(frozen=True)
class OverviewData:
    actual: dict[str, int]
    previous: dict[str, int]
    monthly_targets: dict[str, dict[str, int]]
    trend_actuals: pd.DataFrame
    trend_targets: pd.DataFrame
    trend_months: list[str]


@st.cache_data(show_spinner=False, ttl=3600)
def _overview(
    url: str, version: int, scope: Scope, flt: FactFilter, period: Period, previous: Period
) -> OverviewData:
    months = months_between(date(period.end.year - 1, period.end.month, 1), period.end)[1:]
    target_months = months_between(min(period.start, previous.start), period.end)
    with _engine_for(url).connect() as conn:
        now = queries.actuals_by(conn, scope, period.start, period.end, flt=flt)
        before = queries.actuals_by(conn, scope, previous.start, previous.end, flt=flt)
        targets = queries.targets_by(
            conn, scope, target_months[0], period.end.strftime("%Y-%m"), ["month"]
        )
        trend_start = date.fromisoformat(f"{months[0]}-01")
        trend = queries.actuals_by(conn, scope, trend_start, period.end, ["month"], flt)
        trend_targets = queries.targets_by(conn, scope, months[0], months[-1], ["month"])
    monthly: dict[str, dict[str, int]] = {}
    for row in targets.itertuples():
        monthly.setdefault(row.metric, {})[row.month] = int(row.target)
    return OverviewData(
        actual={k: int(v) for k, v in now.iloc[0].items()},
        previous={k: int(v) for k, v in before.iloc[0].items()},
        monthly_targets=monthly,
        trend_actuals=trend,
        trend_targets=trend_targets,
        trend_months=months,
    )


def overview(scope: Scope, flt: FactFilter, period: Period, previous: Period) -> OverviewData:
    return _overview(database_url(), data_version(), scope, flt, period, previous)


@st.cache_data(show_spinner=False, ttl=3600)
def _targets_table(
    url: str,
    version: int,
    scope: Scope,
    flt: FactFilter,
    period: Period,
    as_of: date,
    by: tuple[str, ...],
    metric: str,
) -> pd.DataFrame:
    with _engine_for(url).connect() as conn:
        return kpis.targets_table(conn, scope, period, as_of, list(by), [metric], flt)


def targets_table(
    scope: Scope,
    flt: FactFilter,
    period: Period,
    as_of: date,
    by: tuple[str, ...],
    metric: str,
) -> pd.DataFrame:
    """:func:`db.kpis.targets_table` for one metric, cached on the data version."""
    return _targets_table(database_url(), data_version(), scope, flt, period, as_of, by, metric)


@dataclass(frozen=True)
class BreakdownInputs:
    """What the breakdown editor needs for one metric and year (money in cents)."""

    last_year: pd.DataFrame  # region, rep, month, <metric>: last year's actuals
    tree: pd.DataFrame  # this year's target rows (db.targets.COLUMNS)
    potential: dict[str, int]  # rep → Σ customer potential


def history_window(year: int, as_of: date) -> Period:
    """The 12 complete months before the plan year (or before the current month when the
    plan year has not ended its predecessor yet): every calendar month exactly once."""
    end = min(date(year, 1, 1), as_of.replace(day=1)) - timedelta(days=1)
    first = months_between(date(end.year - 1, end.month, 1), end)[1]
    return Period(date.fromisoformat(f"{first}-01"), end)


@st.cache_data(show_spinner=False, ttl=3600)
def _breakdown_inputs(
    url: str, version: int, scope: Scope, metric: str, year: int, as_of: date
) -> BreakdownInputs:
    months = [f"{year}-{m:02d}" for m in range(1, 13)]
    window = history_window(year, as_of)
    with _engine_for(url).connect() as conn:
        last = queries.actuals_by(conn, scope, window.start, window.end, ["region", "rep", "month"])
        reps = queries.reps(conn, scope)
        return BreakdownInputs(
            last_year=last,
            tree=targets.tree(conn, metric, months),
            potential=targets.potential_by_rep(conn, reps.rep_id),
        )


def breakdown_inputs(scope: Scope, metric: str, year: int, as_of: date) -> BreakdownInputs:
    return _breakdown_inputs(database_url(), data_version(), scope, metric, year, as_of)


@st.cache_data(show_spinner=False, ttl=3600)
def _daily(url: str, version: int, scope: Scope, day: date) -> pd.DataFrame:
    with _engine_for(url).connect() as conn:
        inputs = daily_db.day_inputs(conn, scope, day)
    return daily_table(**inputs, day=day)


def daily(scope: Scope, day: date) -> pd.DataFrame:
    """:func:`crm_core.daily.daily_table` for ``day`` inside ``scope``."""
    return _daily(database_url(), data_version(), scope, day)


def rep_day(rep_id: str, day: date) -> dict[str, pd.DataFrame]:
    """A rep's own plan and report of ``day`` and their customers (not cached: it is edited)."""
    with engine().connect() as conn:
        return {
            "plan": daily_db.plan_of(conn, rep_id, day),
            "customers": daily_db.customers_of(conn, rep_id),
            "report": daily_db.reports_of(conn, Scope.for_rep(rep_id), day),
        }


def sign_off_queue(scope: Scope) -> pd.DataFrame:
    with engine().connect() as conn:
        return daily_db.sign_off_queue(conn, scope)


DAILY_LABELS = frozenset(
    {"rep", "name", "planned", "done", "missed", "unplanned", "effective", "open", "revenue",
     "collections", "report_status", "on_time"}
)  # fmt: skip


@st.cache_data(show_spinner=False, ttl=3600)
def _monday_report(url: str, version: int, scope: Scope, week: Period, label: str) -> MondayReport:
    with _engine_for(url).connect() as conn:
        return weekly_db.monday_report(conn, scope, week, label)


def monday_report(scope: Scope, week: Period, label: str) -> MondayReport:
    """The Monday report of ``week`` inside ``scope``, cached on the data version."""
    return _monday_report(database_url(), data_version(), scope, week, label)


@dataclass(frozen=True)
class MonthlyData:
    regions: pd.DataFrame
    reps: pd.DataFrame
    pipeline: pd.DataFrame
    base: BaseChange


@st.cache_data(show_spinner=False, ttl=3600)
def _monthly(url: str, version: int, scope: Scope, month: str, as_of: date) -> MonthlyData:
    with _engine_for(url).connect() as conn:
        return MonthlyData(
            regions=monthly_db.ranked_attainment(conn, scope, month, as_of, "region"),
            reps=monthly_db.ranked_attainment(conn, scope, month, as_of, "rep"),
            pipeline=monthly_db.pipeline_snapshot(conn, scope, min(as_of, month_period(month).end)),
            base=monthly_db.customer_base(conn, scope, month),
        )


def monthly(scope: Scope, month: str, as_of: date) -> MonthlyData:
    """Ranked attainment by region and rep, pipeline snapshot and base change of ``month``."""
    return _monthly(database_url(), data_version(), scope, month, as_of)


def report_history(report_id: str) -> list[tuple]:
    """Who changed a daily report when (from the audit log), oldest first."""
    with engine().connect() as conn:
        return audit_trail(conn, "daily_reports", report_id)
