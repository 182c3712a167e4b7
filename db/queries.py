"""Read side: aggregations pushed down to SQL, every one limited by a :class:`Scope`.

Each function returns a DataFrame with documented columns. Money stays in integer cents.
Region of a fact = region of its customer (see :mod:`db.scoping`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any, Literal

import pandas as pd
from sqlalchemy import (
    ColumnElement,
    Connection,
    Executable,
    func,
    literal,
    select,
    union_all,
)

from crm_core.periods import month_period
from crm_core.scope import FactFilter, Scope
from crm_core.targets import TARGET_ROW_COLUMNS, rolled_up_targets
from db import schema
from db.scoping import scope_clause
from db.summaries import DONE, SUMMARIES, Summary, first_orders, month_expr

Dim = Literal["month", "region", "rep", "product", "customer"]
DIMS: tuple[Dim, ...] = ("month", "region", "rep", "product")
METRIC_COLUMNS = ("revenue", "gross_margin", "collections", "new_customers", "visits")

orders = schema.Order.__table__
payments = schema.Payment.__table__
activities = schema.Activity.__table__
customers = schema.Customer.__table__
targets_t = schema.Target.__table__
regions_t = schema.Region.__table__
reps_t = schema.Rep.__table__
products_t = schema.Product.__table__

# What counts as done, effective and a sale: one definition, db.summaries.DONE, EFFECTIVE, SALE.


def tuples(conn: Connection, query: Executable) -> list[tuple]:
    """The rows of ``query`` as plain tuples: pandas builds a DataFrame from tuples many times
    faster than from SQLAlchemy ``Row`` objects."""
    return [tuple(row) for row in conn.execute(query)]


def _dim_columns(fact: object, by: Sequence[Dim], rep_column: str = "rep_id") -> list:
    columns = {
        "month": lambda: month_expr(fact.c.date).label("month"),
        "region": lambda: customers.c.region_id.label("region"),
        "rep": lambda: fact.c[rep_column].label("rep"),
        "product": lambda: fact.c.product_id.label("product"),
        "customer": lambda: fact.c.customer_id.label("customer"),
    }
    return [columns[dim]() for dim in by]


NO_FILTER = FactFilter()


def fact_filter_clauses(fact: object, flt: FactFilter) -> list[ColumnElement[bool]]:
    """WHERE clauses for products (facts with a product only) and customer tiers; the fact
    must be joined to ``customers``."""
    clauses = []
    if flt.product_ids is not None and "product_id" in fact.c:
        clauses.append(fact.c.product_id.in_(flt.product_ids))
    if flt.tiers is not None:
        clauses.append(customers.c.priority.in_(flt.tiers))
    return clauses


@dataclass(frozen=True)
class Window:
    """What one measure is asked for: facts dated ``start``–``end`` inside ``scope``, grouped
    by ``by``, limited by ``flt``."""

    scope: Scope
    start: date
    end: date
    by: tuple[Dim, ...]
    flt: FactFilter


class ByDimension:
    """A frame of figures by dimension: ``figures(conn, scope, start, end, by, flt)`` gives
    the columns ``*by`` then the figures for facts dated ``start``–``end`` inside ``scope``.
    Every such read takes the same arguments, so the signature is written once, here."""

    def __call__(
        self,
        conn: Connection,
        scope: Scope,
        start: date,
        end: date,
        by: Sequence[Dim] = (),
        flt: FactFilter = NO_FILTER,
    ) -> pd.DataFrame:
        return self.frame(conn, Window(scope, start, end, tuple(by), flt))

    def frame(self, conn: Connection, window: Window) -> pd.DataFrame:
        raise NotImplementedError


class Measure(ByDimension):
    """Sums or counts of one fact table (its ``values``, under its extra ``where``). With a
    ``summary`` (:mod:`db.summaries`) and ``summed`` (the same values over the summary table),
    the whole months of a window are read from the summary and only the days at its edges
    from the fact table, unless the window asks for what the summary does not keep (by
    customer)."""

    def __init__(
        self,
        fact: Any,
        values: list,
        *where: ColumnElement[bool],
        summary: Summary | None = None,
        summed: Callable[[Any], list] | None = None,
    ) -> None:
        self.fact, self.values, self.where = fact, values, where
        self.summary, self.summed = summary, summed

    def frame(self, conn: Connection, window: Window) -> pd.DataFrame:
        months = whole_months(window.start, window.end)
        if self.summary is None or months is None or "customer" in window.by:
            return self._read(conn, self.query(window), window)
        first, last = months
        parts = [self._summary_query(window, first, last)]
        if window.start < first:
            parts.append(self.query(replace(window, end=first - timedelta(days=1))))
        if last < window.end:
            parts.append(self.query(replace(window, start=last + timedelta(days=1))))
        return _summed(
            [self._read(conn, part, window) for part in parts], list(window.by), self.names
        )

    @property
    def names(self) -> list[str]:
        return [value.name for value in self.values]

    def _read(self, conn: Connection, query: Executable, window: Window) -> pd.DataFrame:
        return pd.DataFrame(tuples(conn, query), columns=self.columns(window))

    def columns(self, window: Window) -> list[str]:
        return [*window.by, *self.names]

    def query(self, window: Window) -> Executable:
        fact, by, flt = self.fact, window.by, window.flt
        dims = _dim_columns(fact, by)
        # the customer is joined only when its region or tier is needed (the scope is a subquery)
        needs_customer = "region" in by or flt.tiers is not None
        source = (
            fact.join(customers, customers.c.customer_id == fact.c.customer_id)
            if needs_customer
            else fact
        )
        query = (
            select(*dims, *self.values)
            .select_from(source)
            .where(
                fact.c.date.between(window.start, window.end),
                *self.where,
                scope_clause(fact, window.scope),
                *fact_filter_clauses(fact, flt),
            )
        )
        return query.group_by(*dims) if dims else query

    def _summary_query(self, window: Window, first: date, last: date) -> Executable:
        """The months ``first``–``last`` (whole) of ``window`` from the summary table."""
        assert self.summary is not None and self.summed is not None
        table = self.summary.table
        t, flt = table.c, window.flt
        columns = {"month": t.month, "region": t.region_id, "rep": t.rep_id}
        if "product_id" in t:
            columns["product"] = t.product_id
        dims = [columns[dim] for dim in window.by]
        query = select(
            *[column.label(dim) for column, dim in zip(dims, window.by, strict=True)],
            *[
                func.coalesce(value, 0).label(name)
                for value, name in zip(self.summed(t), self.names, strict=True)
            ],
        ).where(
            t.month.between(f"{first:%Y-%m}", f"{last:%Y-%m}"), scope_clause(table, window.scope)
        )
        if flt.product_ids is not None and "product_id" in t:
            query = query.where(t.product_id.in_(flt.product_ids))
        if flt.tiers is not None:
            query = query.where(t.priority.in_(flt.tiers))
        return query.group_by(*dims) if dims else query


def whole_months(start: date, end: date) -> tuple[date, date] | None:
    """The first and last day of the whole calendar months inside ``start``–``end`` (None
    when there is none)."""
    first = start if start.day == 1 else month_period(f"{start:%Y-%m}").end + timedelta(days=1)
    last = (
        end if end == month_period(f"{end:%Y-%m}").end else end.replace(day=1) - timedelta(days=1)
    )
    return (first, last) if first <= last else None


def _summed(frames: list[pd.DataFrame], by: list[str], values: list[str]) -> pd.DataFrame:
    """The parts of one window (summary months and edge days) added up by ``by``."""
    parts = pd.concat(frames, ignore_index=True)
    parts[values] = parts[values].fillna(0).astype("int64")
    if not by:
        return parts[values].sum().to_frame().T.astype("int64")
    return parts.groupby(by, as_index=False, dropna=False)[values].sum()


class FirstOrders(Measure):
    """New customers: customers whose first order (ever, within scope) is dated in the window,
    attributed to the customer's region and owner; they have no product, so a ``product`` in
    ``by`` is left out of the columns."""

    def __init__(self) -> None:
        super().__init__(orders, [func.count().label("new_customers")])

    def columns(self, window: Window) -> list[str]:
        return [*[d for d in window.by if d != "product"], "new_customers"]

    def query(self, window: Window) -> Executable:
        first = first_order_days(window.scope)
        dims = {
            "month": month_expr(first.c.first_date).label("month"),
            "region": customers.c.region_id.label("region"),
            "rep": customers.c.owner_rep_id.label("rep"),
        }
        columns = [dims[dim] for dim in window.by if dim != "product"]
        query = (
            select(*columns, *self.values)
            .select_from(first.join(customers, customers.c.customer_id == first.c.customer_id))
            .where(first.c.first_date.between(window.start, window.end))
        )
        if window.flt.tiers is not None:
            query = query.where(customers.c.priority.in_(window.flt.tiers))
        return query.group_by(*columns) if columns else query


def first_order_days(scope: Scope) -> Any:
    """A subquery ``customer_id, first_date``: each customer's first order inside ``scope``
    (the kept ``first_orders`` of :mod:`db.summaries` for a region or the company; for reps,
    the first of their own orders)."""
    if scope.rep_ids is None:
        return (
            select(first_orders.c.customer_id, first_orders.c.first_date)
            .where(scope_clause(first_orders, scope))
            .subquery()
        )
    return (
        select(orders.c.customer_id, func.min(orders.c.date).label("first_date"))
        .where(scope_clause(orders, scope))
        .group_by(orders.c.customer_id)
        .subquery()
    )


#: Columns ``*by, revenue, gross_margin, orders`` (cents; order count) of orders.
sales_by = Measure(
    orders,
    [
        func.coalesce(func.sum(orders.c.amount_cents), 0).label("revenue"),
        func.coalesce(func.sum(orders.c.amount_cents - orders.c.cost_cents), 0).label(
            "gross_margin"
        ),
        func.count().label("orders"),
    ],
    summary=SUMMARIES["orders"],
    summed=lambda t: [
        func.sum(t.revenue_cents),
        func.sum(t.revenue_cents - t.cost_cents),
        func.sum(t.orders),
    ],
)
#: Columns ``*by, collections`` (cents). Payments have no product: ``by`` must not name it.
collections_by = Measure(
    payments,
    [func.coalesce(func.sum(payments.c.amount_cents), 0).label("collections")],
    summary=SUMMARIES["payments"],
    summed=lambda t: [func.sum(t.collections_cents)],
)
#: Columns ``*by, visits``: activities (visits and calls) done (docs/kpis.md#targets).
visits_by = Measure(
    activities,
    [func.count().label("visits")],
    DONE,
    summary=SUMMARIES["activities"],
    summed=lambda t: [func.sum(t.done)],
)
#: Columns ``*by, new_customers``: customers whose first order falls in the window.
new_customers_by = FirstOrders()


class Actuals(ByDimension):
    """Columns ``*by`` then the docs/kpis.md#targets actuals among ``metrics`` (default all):
    ``revenue, gross_margin`` (cents), ``collections`` (cents), ``new_customers``, ``visits``
    (counts). With ``product`` in ``by`` the metrics that have no product (collections, new
    customers, visits) are left out. Only the queries the metrics need are run."""

    def __init__(self, metrics: Sequence[str] = METRIC_COLUMNS) -> None:
        self.metrics = tuple(metrics)

    def frame(self, conn: Connection, window: Window) -> pd.DataFrame:
        by = list(window.by)
        frames = [sales_by.frame(conn, window).drop(columns="orders")]
        if "product" not in by:
            others = {"collections": collections_by, "new_customers": new_customers_by,
                      "visits": visits_by}  # fmt: skip
            frames += [
                measure.frame(conn, window)
                for name, measure in others.items()
                if name in self.metrics
            ]
        result = frames[0]
        for frame in frames[1:]:
            result = (
                result.merge(frame, on=by, how="outer")
                if by
                else pd.concat([result, frame], axis=1)
            )
        metrics = [c for c in METRIC_COLUMNS if c in result.columns]
        result[metrics] = result[metrics].fillna(0).astype("int64")
        return result.sort_values(by).reset_index(drop=True) if by else result


#: Every actual of docs/kpis.md#targets by dimension (see :class:`Actuals`).
actuals_by = Actuals()


def targets_by(
    conn: Connection,
    scope: Scope,
    first_month: str,
    last_month: str,
    by: Sequence[Dim] = (),
    metrics: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Columns ``*by, metric, target, rolled_up``: targets of months ``first_month``–
    ``last_month`` (of ``metrics`` only, when given).

    The level read follows ``by`` and the scope: rep rows when grouping by rep or when the scope
    names reps, region rows when grouping by region or when the scope names regions, else the
    company rows; product rows only when grouping by product. A region or company total that
    is missing for a month and metric is the sum of the level below (``rolled_up`` True).
    Money targets are in cents.
    """
    t = targets_t.c
    product = t.product_id.is_not(None) if "product" in by else t.product_id.is_(None)
    where = [t.period.between(first_month, last_month), product, scope_clause(targets_t, scope)]
    if metrics is not None:
        where.append(t.metric.in_(list(metrics)))
    level = _target_level(scope, by)
    keys = [t.period.label("month"), t.metric, t.region_id.label("region")]
    query: Executable = select(
        *keys, t.rep_id.label("rep"), t.product_id.label("product"), t.amount.label("target")
    ).where(*where)
    if level != "rep":
        # above the reps only their sum per region counts (a region's missing total): summed
        # here, a month of L's targets is 30 rows instead of 1,000
        reps = (
            select(*keys, literal(REPS_SUMMED), t.product_id, func.sum(t.amount))
            .where(*where, t.rep_id.is_not(None))
            .group_by(t.period, t.metric, t.region_id, t.product_id)
        )
        query = union_all(reps, query.where(t.rep_id.is_(None)))
    rows = pd.DataFrame(tuples(conn, query), columns=TARGET_ROW_COLUMNS)
    return rolled_up_targets(rows, level, list(by))


#: The ``rep`` of a row that sums a region's reps (:func:`targets_by` above the rep level).
REPS_SUMMED = "*"


def _target_level(scope: Scope, by: Sequence[Dim]) -> str:
    if "rep" in by or scope.rep_ids is not None:
        return "rep"
    if "region" in by or scope.region_ids is not None:
        return "region"
    return "company"


def regions(conn: Connection, scope: Scope) -> pd.DataFrame:
    """Columns ``region_id, name`` of the regions in scope (a rep: their own region)."""
    query = select(regions_t.c.region_id, regions_t.c.name).order_by(regions_t.c.region_id)
    if scope.rep_ids is not None:
        mine = select(reps_t.c.region_id).where(reps_t.c.rep_id.in_(scope.rep_ids))
        query = query.where(regions_t.c.region_id.in_(mine))
    query = query.where(scope_clause(regions_t, scope))
    return pd.DataFrame(tuples(conn, query), columns=["region_id", "name"])


def reps(conn: Connection, scope: Scope) -> pd.DataFrame:
    """Columns ``rep_id, name, region_id, active`` of the reps in scope."""
    query = (
        select(reps_t.c.rep_id, reps_t.c.name, reps_t.c.region_id, reps_t.c.active)
        .where(scope_clause(reps_t, scope))
        .order_by(reps_t.c.rep_id)
    )
    return pd.DataFrame(tuples(conn, query), columns=["rep_id", "name", "region_id", "active"])


def customer_names(conn: Connection, scope: Scope, ids: Sequence[str]) -> dict[str, str]:
    """Name by customer ID of ``ids`` inside ``scope`` (the others are left out)."""
    names: dict[str, str] = {}
    wanted = list(dict.fromkeys(ids))
    for start in range(0, len(wanted), 500):
        query = select(customers.c.customer_id, customers.c.name).where(
            customers.c.customer_id.in_(wanted[start : start + 500]),
            scope_clause(customers, scope),
        )
        names |= dict(tuples(conn, query))
    return names


def products(conn: Connection) -> pd.DataFrame:
    """Columns ``product_id, name, category``."""
    query = select(products_t).order_by(products_t.c.product_id)
    return pd.DataFrame(tuples(conn, query), columns=["product_id", "name", "category"])
