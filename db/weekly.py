"""What the Monday report (docs/kpis.md#tracking-daily-weekly-monthly weekly) reads besides
the shared queries of :mod:`db.queries`, from SQL: daily reports, market reports, weekly
revenue; :mod:`services.weekly` composes the report from them."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
from sqlalchemy import Connection, func, or_, select

from crm_core.daily import on_time
from crm_core.periods import Period, is_working_day, monday_of
from crm_core.scope import Scope
from crm_core.weekly import TRAILING_WEEKS
from db import queries
from db.queries import tuples
from db.schema import Customer, DailyReport, MarketReport, Order, Rep
from db.scoping import scope_clause

reports = DailyReport.__table__
markets = MarketReport.__table__
customers = Customer.__table__
orders = Order.__table__
reps_t = Rep.__table__


def reports_on_time(conn: Connection, scope: Scope, period: Period) -> int:
    r = reports.c
    query = select(r.date, r.submitted_at).where(
        r.date.between(period.start, period.end), scope_clause(reports, scope)
    )
    return sum(
        1 for day, moment in conn.execute(query) if is_working_day(day) and on_time(moment, day)
    )


def week_reports(conn: Connection, scope: Scope, week: Period) -> pd.DataFrame:
    r = reports.c
    query = select(r.rep_id, r.date, r.submitted_at).where(
        r.date.between(week.start, week.end), scope_clause(reports, scope)
    )
    rows = [
        (rep, day, is_working_day(day), bool(on_time(moment, day)))
        for rep, day, moment in conn.execute(query)
    ]
    return pd.DataFrame(rows, columns=["rep", "date", "workday", "on_time"])


def market_reports(conn: Connection, scope: Scope, kind: str, week: Period) -> pd.DataFrame:
    """Competitor reports of the week, or complaints open at the week's end."""
    m, c = markets.c, customers.c
    query = (
        select(m.date, m.rep_id.label("rep"), reps_t.c.name, c.name.label("customer"),
               m.severity, m.summary)
        .join_from(markets, reps_t, reps_t.c.rep_id == m.rep_id)
        .outerjoin(customers, c.customer_id == m.customer_id)
        .where(m.kind == kind, scope_clause(markets, scope))
        .order_by(m.date.desc())
    )  # fmt: skip
    if kind == "competitor":
        query = query.where(m.date.between(week.start, week.end))
    else:
        open_at_end = or_(m.status == "open", m.resolved_on > week.end)
        query = query.where(m.date <= week.end, open_at_end)
    columns = ["date", "rep", "name", "customer", "severity", "summary"]
    return pd.DataFrame(tuples(conn, query), columns=columns)


def weekly_sales(conn: Connection, scope: Scope, week: Period, material: int) -> pd.DataFrame:
    """Revenue per customer and week for the week and the 8 before it, of the customers whose
    8 weeks before sum to ``material`` a week or more: only they can have dropped
    (:func:`crm_core.weekly.sales_drops`)."""
    o = orders.c
    start = week.start - timedelta(weeks=TRAILING_WEEKS)
    candidates = (
        select(o.customer_id)
        .where(o.date.between(start, week.start - timedelta(days=1)), scope_clause(orders, scope))
        .group_by(o.customer_id)
        .having(func.sum(o.amount_cents) >= material * TRAILING_WEEKS)
    )
    query = (
        select(o.customer_id, o.date, func.sum(o.amount_cents))
        .where(o.date.between(start, week.end), scope_clause(orders, scope))
        .where(o.customer_id.in_(candidates))
        .group_by(o.customer_id, o.date)
    )
    rows = [(customer, monday_of(day), int(total)) for customer, day, total in conn.execute(query)]
    frame = pd.DataFrame(rows, columns=["customer_id", "week_start", "revenue"])
    return frame.groupby(["customer_id", "week_start"], as_index=False).revenue.sum()


def weekly_revenue(conn: Connection, scope: Scope, first: date, last: date) -> dict[date, int]:
    """Revenue of each week (by its Monday) from ``first`` to ``last``."""
    o = orders.c
    query = (
        select(o.date, func.sum(o.amount_cents))
        .where(o.date.between(first, last), scope_clause(orders, scope))
        .group_by(o.date)
    )
    weeks: dict[date, int] = {}
    for day, total in conn.execute(query):
        monday = monday_of(day)
        weeks[monday] = weeks.get(monday, 0) + int(total)
    return weeks


def customer_revenue(
    conn: Connection, scope: Scope, customer_ids: list[str], end: date
) -> dict[str, int]:
    """Revenue of each of ``customer_ids`` over the 12 months (365 days) ending ``end``."""
    if not customer_ids:
        return {}
    o = orders.c
    query = (
        select(o.customer_id, func.sum(o.amount_cents))
        .where(o.date.between(end - timedelta(days=364), end), scope_clause(orders, scope))
        .where(o.customer_id.in_(customer_ids))
        .group_by(o.customer_id)
    )
    return {customer: int(total) for customer, total in conn.execute(query)}


def scope_label(conn: Connection, scope: Scope) -> str:
    """The names of the regions a report covers (a file's or a mail's title)."""
    names = queries.regions(conn, scope).name.tolist()
    return "、".join(names) if names else "—"


def region_names(conn: Connection, scope: Scope) -> dict[str, str]:
    """The name of each region of ``scope``, by ID."""
    regions = queries.regions(conn, scope)
    return dict(zip(regions.region_id, regions.name, strict=True))


def customer_names(conn: Connection, customer_ids: list[str]) -> dict[str, str]:
    """The name of each of ``customer_ids``, by ID."""
    c = customers.c
    query = select(c.customer_id, c.name).where(c.customer_id.in_(sorted(set(customer_ids))))
    return dict(conn.execute(query).all())
