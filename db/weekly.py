"""The Monday report's aggregates for one ISO week and scope (SPEC §4.2 weekly), from SQL."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Connection, and_, case, func, select

from crm_core.daily import on_time
from crm_core.periods import Period, months_between
from crm_core.scope import Scope
from crm_core.weekly import WeekFacts
from db import queries
from db.schema import Activity, DailyReport
from db.scoping import scope_clause

activities = Activity.__table__
reports = DailyReport.__table__


def _total(frame: object, column: str) -> int:
    return int(frame[column].sum()) if len(frame) else 0


def _activity_totals(conn: Connection, scope: Scope, period: Period) -> tuple[int, int, int]:
    """Done activities, effective ones (outcome beyond no contact) and sales, in ``period``."""
    a = activities.c
    done = and_(a.status == "done", a.date.between(period.start, period.end))
    query = select(
        func.coalesce(func.sum(case((done, 1), else_=0)), 0),
        func.coalesce(func.sum(case((and_(done, a.outcome != "no_contact"), 1), else_=0)), 0),
        func.coalesce(func.sum(case((and_(done, a.outcome == "sale"), 1), else_=0)), 0),
    ).where(a.date.between(period.start, period.end), scope_clause(activities, scope))
    total, effective, sales = conn.execute(query).one()
    return int(total), int(effective), int(sales)


def _planned(conn: Connection, scope: Scope, period: Period) -> int:
    a = activities.c
    query = select(func.count()).where(
        a.status == "planned", a.date.between(period.start, period.end),
        scope_clause(activities, scope),
    )  # fmt: skip
    return int(conn.scalar(query) or 0)


def _reports_on_time(conn: Connection, scope: Scope, period: Period) -> int:
    r = reports.c
    query = select(r.date, r.submitted_at).where(
        r.date.between(period.start, period.end), scope_clause(reports, scope)
    )
    return sum(
        1 for day, moment in conn.execute(query) if day.weekday() < 5 and on_time(moment, day)
    )


def week_facts(conn: Connection, scope: Scope, week: Period) -> WeekFacts:
    """:class:`crm_core.weekly.WeekFacts` of ``week`` (Monday–Sunday) inside ``scope``."""
    month_start = week.end.replace(day=1)
    next_week = Period(week.start + timedelta(days=7), week.end + timedelta(days=7))
    months = months_between(min(week.start, month_start), next_week.end)
    targets = queries.targets_by(conn, scope, months[0], months[-1], ["month"])
    revenue = targets[targets.metric == "revenue"]
    done, effective, sales = _activity_totals(conn, scope, week)
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
        done=done,
        effective=effective,
        sales=sales,
        reps=int(reps.active.sum()) if len(reps) else 0,
        reports_on_time=_reports_on_time(conn, scope, week),
        monthly_targets={row.month: int(row.target) for row in revenue.itertuples()},
        next_week_planned=_planned(conn, scope, next_week),
    )
