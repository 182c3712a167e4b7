"""The monthly tier's data (docs/kpis.md#tracking-daily-weekly-monthly): ranked attainment,
pipeline snapshot, customer base."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

import pandas as pd
from sqlalchemy import ColumnElement, Connection, Select, and_, case, func, or_, select

from crm_core.monthly import BaseChange, base_change, ranked
from crm_core.periods import (
    Period,
    elapsed_working_days,
    first_working_days,
    month_period,
    months_between,
    shift_month,
)
from crm_core.pipeline import open_pipeline
from crm_core.scope import Scope
from db import measures, pipeline, queries
from db.queries import Dim
from db.schema import Order
from db.scoping import of_customers_in, scope_clause
from db.summaries import order_years, scanned

orders = Order.__table__


def ranked_attainment(
    conn: Connection, scope: Scope, month: str, as_of: date, key: Dim, metric: str = "revenue"
) -> pd.DataFrame:
    """Attainment of ``month`` by ``key`` with rank, MoM and YoY
    (docs/kpis.md#tracking-daily-weekly-monthly monthly). A month in progress is compared with
    the same number of working days of last month and of the month a year ago (the first 13
    of each, not 13 against a whole month); a month not started has no growth (``None``)."""
    whole = month_period(month)
    days = elapsed_working_days(whole, as_of)

    def actuals(which: str) -> pd.DataFrame:
        """``key, actual`` of the first ``days`` working days of ``which``: growth compares
        actuals only, so the earlier months' targets are not read."""
        period = first_working_days(month_period(which), days)
        found = queries.Actuals([metric])(conn, scope, period.start, period.end, [key])
        return found[[key, metric]].rename(columns={metric: "actual"})

    current = measures.targets_table(conn, scope, whole, as_of, [key], [metric])
    frame = ranked(current, actuals(shift_month(month, -1)), actuals(shift_month(month, -12)), key)
    if as_of < whole.start:
        frame["mom"] = frame["yoy"] = None
    return frame


def pipeline_snapshot(conn: Connection, scope: Scope, as_of: date) -> pd.DataFrame:
    """Open opportunities on ``as_of`` by stage: ``stage, count, amount`` (cents), in stage
    order (created by then and not closed by then, at the stage they had reached)."""
    stages = open_pipeline(pipeline.open_deals(conn, scope, as_of))
    return stages[stages.stage != "total"][["stage", "count", "amount"]]


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


def customer_base(conn: Connection, scope: Scope, month: str) -> BaseChange:
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
    return base_change(active_start, active_end, new, active_year_before)
