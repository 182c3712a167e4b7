"""The monthly tier's data (docs/kpis.md#tracking-daily-weekly-monthly) as fetched: which
customers ordered in which periods (the customer base); services.monthly composes the
page's figures."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from sqlalchemy import ColumnElement, Connection, Select, and_, case, func, or_, select

from crm_core.periods import (
    Period,
    month_period,
    months_between,
    shift_month,
)
from crm_core.scope import Scope
from db import queries
from db.schema import Order
from db.scoping import of_customers_in, scope_clause
from db.summaries import order_years, scanned

orders = Order.__table__


def _customers_with_orders(conn: Connection, scope: Scope, periods: list[Period]) -> list[set[str]]:
    """The customers with an order (in scope) in each of ``periods`` (whole months), from one
    query with a flag per period: for a region or the company from the kept ``order_years``
    (:func:`_ordered_in_kept`), for a rep, who counts their own orders only, from the orders
    (:func:`_ordered_in_own`)."""
    ordered_in = _ordered_in_own if scope.rep_ids is not None else _ordered_in_kept
    rows = conn.execute(ordered_in(scope, periods)).all()
    return [{row[0] for row in rows if row[i]} for i in range(1, len(periods) + 1)]


def _ordered_in_kept(scope: Scope, periods: list[Period]) -> Select:
    """``customer_id`` and a flag per period from ``order_years`` (:mod:`db.summaries`): a
    customer ordered in a period when, in one of its years, the months it ordered in and the
    period's months of that year share a bit: a few rows per customer instead of all of its
    orders."""
    y = order_years.c

    def flag(months: dict[str, int]) -> ColumnElement:
        either = or_(*(and_(y.year == year, y.months.op("&")(bits) != 0)
                       for year, bits in months.items()))  # fmt: skip
        return func.max(case((either, 1), else_=0))

    per_period = [_month_bits(period) for period in periods]
    years = sorted({year for months in per_period for year in months})
    return (
        select(y.customer_id, *(flag(months) for months in per_period))
        .where(y.year.between(years[0], years[-1]), of_customers_in(order_years, scope))
        .group_by(y.customer_id)
    )


def _month_bits(period: Period) -> dict[str, int]:
    """Per year (``YYYY``) of ``period`` (whole months), the bits of its months in
    ``order_years.months`` (bit ``m - 1`` for month ``m``)."""
    bits: dict[str, int] = defaultdict(int)
    for month in months_between(period.start, period.end):
        bits[month[:4]] |= 1 << (int(month[5:]) - 1)
    return dict(bits)


def _ordered_in_own(scope: Scope, periods: list[Period]) -> Select:
    """``customer_id`` and a flag per period from the orders in scope, grouped straight from
    the covering index ``(customer_id, date, …)``."""
    o = orders.c
    first, last = min(p.start for p in periods), max(p.end for p in periods)
    flags = [func.max(case((o.date.between(p.start, p.end), 1), else_=0)) for p in periods]
    return (
        select(o.customer_id, *flags)
        .where(scanned(o.date).between(first, last), scope_clause(orders, scope))
        .group_by(o.customer_id)
    )


def customer_sets(
    conn: Connection, scope: Scope, month: str
) -> tuple[set[str], set[str], set[str], set[str]]:
    """The customers of ``month``'s base change (crm_core.monthly.base_change): active at its
    start (an order in the 12 months before), active at its end (the 12 months to its end),
    new in it (first order) and active a year before (the 12 months to a year ago)."""
    whole = month_period(month)
    year_before_start = month_period(shift_month(month, -12)).start
    before = Period(year_before_start, whole.start - timedelta(days=1))
    trailing = Period(month_period(shift_month(month, -11)).start, whole.end)
    year_ago = Period(
        month_period(shift_month(month, -23)).start, month_period(shift_month(month, -12)).end
    )
    first = queries.first_order_days(scope)
    new = set(
        conn.scalars(
            select(first.c.customer_id).where(first.c.first_date.between(whole.start, whole.end))
        )
    )
    active_start, active_end, active_year_before = _customers_with_orders(
        conn, scope, [before, trailing, year_ago]
    )
    return active_start, active_end, new, active_year_before
