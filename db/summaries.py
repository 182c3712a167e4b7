"""Monthly summaries of the fact tables (issue 17): orders, payments and done activities summed
per month × rep × the customer's region and tier (× product for orders), in ``order_months``,
``payment_months`` and ``activity_months``.

Kept exact in the transaction of every write: a write names the *slices* it touched (rep ×
month, from the rows before and after it) and each slice is summed again from the raw rows
(:func:`refresh`); a customer whose region or tier changed touches every slice of its facts
(:func:`customer_slices`). A bulk load rebuilds the lot (:func:`rebuild`, also
``cli.py db summaries --rebuild``). The measures of :mod:`db.queries` read the whole months of
a window here and only the days at its edges from the raw rows.

Per customer, ``first_orders`` (the first order day: new customers), ``last_contacts`` (the
last done call and visit: the contact cadence) and ``order_years`` (the first order day and
the months with an order in each year: the customer base of each year and of any 12 months)
are kept the same way, refreshed for the customers whose rows a write touched
(:class:`PerCustomer`).

``trailing_orders`` and ``trailing_activities`` keep each customer's orders and done
activities of the 365 days up to one day (``summary_days``): the trailing-12-month values of
the customers and visit-efficiency pages. They are kept like the others for that day, and the
first write of a new day (:func:`db.engine.today`) rolls them to it; a read for another day, or
before that first write, sums the raw rows.

``stage_stays`` keeps each deal's stage history entries with the day the deal left each stage
and the day it went further: the pipeline's stage conversion of a cohort as of any day. It is
refreshed for the deals whose history a write touched.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Date,
    Select,
    String,
    Subquery,
    Table,
    and_,
    case,
    cast,
    delete,
    distinct,
    func,
    insert,
    or_,
    select,
    text,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from crm_core.periods import month_period, trailing_year
from crm_core.pipeline import PROGRESS
from crm_core.scope import Scope
from db import schema
from db.engine import today
from db.scoping import of_customers_in

orders = schema.Order.__table__
payments = schema.Payment.__table__
activities = schema.Activity.__table__
customers = schema.Customer.__table__

Slice = tuple[str, str]  # (rep_id, "YYYY-MM")
# more slices than this in one write (a big import) and the whole summary is summed again
REBUILD_ABOVE = 5000
# PostgreSQL: writers refresh slices one at a time (SQLite's BEGIN IMMEDIATE already does)
_LOCK_KEY = 170_002


# What counts as done, effective (an outcome beyond no contact) and a sale, for every count of
# activities (daily, weekly, visit efficiency, these summaries): one definition
# (docs/kpis.md#visit-efficiency).
DONE = activities.c.status == "done"
EFFECTIVE = and_(DONE, activities.c.outcome != "no_contact")
SALE = and_(DONE, activities.c.outcome == "sale")


def month_expr(column: Any) -> ColumnElement[str]:
    """``YYYY-MM`` of a date column, the same SQL on SQLite and PostgreSQL."""
    return func.substr(cast(column, String), 1, 7)


class scanned(FunctionElement):  # noqa: N801 - a SQL expression, named like one
    """A date column the planner should not pick an index for (SQLite: ``+column``; elsewhere
    the column itself). Per-customer totals over a date window read a covering index on
    ``customer_id`` in order rather than look dates up one by one; deals
    open on a day are found by their closing day, not their creation day (db.pipeline.open_on).
    https://sqlite.org/optoverview.html: "Disqualifying WHERE clause terms using unary-+"."""

    type = Date()
    inherit_cache = True


@compiles(scanned)
def _scanned(element: scanned, compiler: Any, **kw: Any) -> str:
    return compiler.process(next(iter(element.clauses)), **kw)


@compiles(scanned, "sqlite")
def _scanned_sqlite(element: scanned, compiler: Any, **kw: Any) -> str:
    return "+" + compiler.process(next(iter(element.clauses)), **kw)


def _count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


@dataclass(frozen=True)
class Summary:
    """One summary ``table`` of the ``fact`` table: its rows under ``where``, grouped by
    month, rep, the customer's region and tier, and ``keys``; ``values`` by column name."""

    table: Table
    fact: Table
    keys: tuple[str, ...]
    values: Mapping[str, ColumnElement]
    where: tuple[ColumnElement[bool], ...] = ()

    @property
    def columns(self) -> list[str]:
        return ["month", "rep_id", "region_id", "priority", *self.keys, *self.values]

    def aggregate(self, *where: ColumnElement[bool]) -> Select:
        """The summary rows of the fact rows under ``where``, summed from the raw table."""
        fact = self.fact.c
        keys = [
            month_expr(fact.date),
            fact.rep_id,
            customers.c.region_id,
            func.coalesce(customers.c.priority, ""),
            *[fact[key] for key in self.keys],
        ]
        return (
            select(*keys, *self.values.values())
            .select_from(self.fact.join(customers, customers.c.customer_id == fact.customer_id))
            .where(*self.where, *where)
            .group_by(*keys)
        )

    def fill(self, conn: Connection, *where: ColumnElement[bool]) -> None:
        conn.execute(insert(self.table).from_select(self.columns, self.aggregate(*where)))


o, p = orders.c, payments.c
SUMMARIES: dict[str, Summary] = {
    "orders": Summary(
        schema.OrderMonth.__table__,
        orders,
        ("product_id",),
        {
            "revenue_cents": func.sum(o.amount_cents),
            "cost_cents": func.sum(o.cost_cents),
            "orders": func.count(),
        },
    ),
    "payments": Summary(
        schema.PaymentMonth.__table__,
        payments,
        (),
        {"collections_cents": func.sum(p.amount_cents), "payments": func.count()},
    ),
    "activities": Summary(
        schema.ActivityMonth.__table__,
        activities,
        (),
        {"done": func.count(), "effective": _count_if(EFFECTIVE), "sales": _count_if(SALE)},
        (DONE,),
    ),
}


@dataclass(frozen=True)
class PerCustomer:
    """One row per customer of the ``fact`` table (per customer × ``keys``, if any): its
    ``values`` over the customer's rows under ``where`` (a customer without such rows has
    none). A ``trailing`` summary sums only the rows of the 365 days up to its kept day."""

    table: Table
    fact: Table
    values: Mapping[str, ColumnElement]
    where: tuple[ColumnElement[bool], ...] = ()
    keys: Mapping[str, ColumnElement] = field(default_factory=dict)
    trailing: bool = False

    def aggregate(
        self,
        customer_ids: Sequence[str] | None = None,
        day: date | None = None,
        also: Sequence[ColumnElement[bool]] = (),
    ) -> Select:
        """The summary's rows summed from the fact rows (of ``customer_ids``, under ``also``;
        a trailing summary's of the 365 days up to ``day``), columns named as the table's."""
        fact = self.fact.c
        mine = [*also] if customer_ids is None else [fact.customer_id.in_(customer_ids), *also]
        if self.trailing:
            if day is None:
                raise ValueError(f"{self.table.name} is summed up to a day: none given")
            window = trailing_year(day)
            mine.append(scanned(fact.date).between(window.start, window.end))
        keys = [fact.customer_id, *self.keys.values()]
        columns = [
            fact.customer_id,
            *(value.label(name) for name, value in {**self.keys, **self.values}.items()),
        ]
        return select(*columns).where(*self.where, *mine).group_by(*keys)

    def fill(
        self, conn: Connection, customer_ids: Sequence[str] | None = None, day: date | None = None
    ) -> None:
        columns = ["customer_id", *self.keys, *self.values]
        conn.execute(insert(self.table).from_select(columns, self.aggregate(customer_ids, day)))

    def refresh(
        self, conn: Connection, customer_ids: Iterable[str], day: date | None = None
    ) -> None:
        """The rows of ``customer_ids`` again from the fact table."""
        for chunk in chunks(customer_ids):
            conn.execute(delete(self.table).where(self.table.c.customer_id.in_(chunk)))
            self.fill(conn, chunk, day)


def chunks(keys: Iterable[str], size: int = 500) -> Iterator[list[str]]:
    """``keys`` without repeats, sorted, ``size`` at a time (for ``IN`` lists)."""
    wanted = sorted(set(keys))
    for start in range(0, len(wanted), size):
        yield wanted[start : start + size]


def month_bit(day: ColumnElement) -> ColumnElement:
    """``1 << (month - 1)`` of a date column: the bit of its month in ``order_years.months``
    (summed over distinct months, the bits of the months with an order)."""
    month = func.substr(cast(day, String), 6, 2)
    return case({f"{m:02d}": 1 << (m - 1) for m in range(1, 13)}, value=month)


a = activities.c
PER_CUSTOMER: dict[str, PerCustomer] = {
    "first_orders": PerCustomer(
        schema.FirstOrder.__table__, orders, {"first_date": func.min(o.date)}
    ),
    "last_contacts": PerCustomer(
        schema.LastContact.__table__,
        activities,
        {
            "last_call_on": func.max(case((a.kind == "call", a.date))),
            "last_visit_on": func.max(case((a.kind == "visit", a.date))),
        },
        (DONE,),
    ),
    "order_years": PerCustomer(
        schema.OrderYear.__table__,
        orders,
        {"first_date": func.min(o.date), "months": func.sum(distinct(month_bit(o.date)))},
        keys={"year": func.substr(cast(o.date, String), 1, 4)},
    ),
    "trailing_orders": PerCustomer(
        schema.TrailingOrder.__table__,
        orders,
        {
            "revenue_cents": func.sum(o.amount_cents),
            "margin_cents": func.sum(o.amount_cents - o.cost_cents),
        },
        trailing=True,
    ),
    "trailing_activities": PerCustomer(
        schema.TrailingActivity.__table__,
        activities,
        {
            "cost_cents": func.sum(func.coalesce(a.cost_cents, 0)),
            "minutes": func.sum(func.coalesce(a.duration_min, 0)),
        },
        (DONE,),
        trailing=True,
    ),
}
first_orders = PER_CUSTOMER["first_orders"].table
last_contacts = PER_CUSTOMER["last_contacts"].table
order_years = PER_CUSTOMER["order_years"].table
trailing_orders = PER_CUSTOMER["trailing_orders"].table
trailing_activities = PER_CUSTOMER["trailing_activities"].table
summary_days = schema.SummaryDay.__table__
history = schema.OpportunityStage.__table__


def progress_index(stage: ColumnElement) -> ColumnElement[int]:
    """A stage column as 0–5 along :data:`crm_core.pipeline.PROGRESS` (identified…won), NULL
    for lost."""
    return case({name: i for i, name in enumerate(PROGRESS)}, value=stage)


def stage_rank(stage: ColumnElement) -> ColumnElement[int]:
    """A stage's place as a deal moves: its :func:`progress_index`, lost after them all."""
    return func.coalesce(progress_index(stage), len(PROGRESS))


@dataclass(frozen=True)
class StageStays:
    """``stage_stays``: each stage history entry with the day the deal left the stage and the
    day it went further (:class:`db.schema.StageStay`), kept per deal like the per-customer
    summaries."""

    table: Table

    def aggregate(self, deal_ids: Sequence[str] | None = None) -> Select:
        """The rows from the history (of ``deal_ids``): ``left_on`` is the day of the deal's
        next entry by day then :func:`stage_rank` (a window's ``lead``), ``superseded_on`` the
        first day of an entry later in the progress."""
        h, later = history.c, history.alias("later").c
        same_deal = later.opportunity_id == h.opportunity_id
        next_entry = or_(
            later.entered_on > h.entered_on,
            and_(later.entered_on == h.entered_on, stage_rank(later.stage) > stage_rank(h.stage)),
        )
        further = and_(later.stage.in_(PROGRESS), stage_rank(later.stage) > stage_rank(h.stage))

        def first_day(condition: ColumnElement[bool]) -> ColumnElement:
            return select(func.min(later.entered_on)).where(same_deal, condition).scalar_subquery()

        mine = [] if deal_ids is None else [h.opportunity_id.in_(deal_ids)]
        return select(
            h.opportunity_id,
            h.stage,
            h.entered_on,
            first_day(next_entry).label("left_on"),
            first_day(further).label("superseded_on"),
        ).where(*mine)

    def fill(self, conn: Connection, deal_ids: Sequence[str] | None = None) -> None:
        columns = ["opportunity_id", "stage", "entered_on", "left_on", "superseded_on"]
        conn.execute(insert(self.table).from_select(columns, self.aggregate(deal_ids)))

    def refresh(self, conn: Connection, deal_ids: Iterable[str]) -> None:
        """The rows of ``deal_ids`` again from the history."""
        for chunk in chunks(deal_ids):
            conn.execute(delete(self.table).where(self.table.c.opportunity_id.in_(chunk)))
            self.fill(conn, chunk)


STAGE_STAYS = StageStays(schema.StageStay.__table__)
stage_stays = STAGE_STAYS.table
TRAILING = tuple(name for name, summary in PER_CUSTOMER.items() if summary.trailing)
# each summary table and the tables it is computed from (a read of it reads them)
SOURCES = {
    **{s.table.name: (s.fact.name, "customers") for s in SUMMARIES.values()},
    **{s.table.name: (s.fact.name,) for s in PER_CUSTOMER.values()},
    stage_stays.name: (history.name,),
}


#: Every summary by name: its table's, but for the monthly ones (their fact table's).
ALL_SUMMARIES: dict[str, Summary | PerCustomer | StageStays] = {
    **SUMMARIES,
    **PER_CUSTOMER,
    stage_stays.name: STAGE_STAYS,
}


def rebuild(conn: Connection, names: Iterable[str] = tuple(ALL_SUMMARIES)) -> dict[str, int]:
    """Sum every summary of ``names`` (of :data:`ALL_SUMMARIES`) again from the raw rows;
    returns the rows of each."""
    _lock(conn)
    counts = {}
    for name in names:
        summary = ALL_SUMMARIES[name]
        conn.execute(delete(summary.table))
        if name in TRAILING:
            _roll(conn, PER_CUSTOMER[name], today())
        else:
            summary.fill(conn)
        counts[name] = conn.scalar(select(func.count()).select_from(summary.table)) or 0
    return counts


def kept_days(conn: Connection) -> dict[str, date]:
    """The day each trailing summary is kept for (absent: not kept)."""
    return {
        name: day for name, day in conn.execute(select(summary_days.c.name, summary_days.c.day))
    }


def trailing_sums(conn: Connection, name: str, scope: Scope, as_of: date) -> Subquery:
    """The rows of the trailing summary ``name`` for the customers in ``scope`` and the 365
    days up to ``as_of``: read from its table when ``as_of`` is its kept day, else summed from
    the raw rows by the same definition (:meth:`PerCustomer.aggregate`)."""
    summary = PER_CUSTOMER[name]
    if kept_days(conn).get(name) == as_of:
        return select(summary.table).where(of_customers_in(summary.table, scope)).subquery()
    return summary.aggregate(day=as_of, also=[of_customers_in(summary.fact, scope)]).subquery()


def _roll(conn: Connection, summary: PerCustomer, day: date) -> None:
    """``summary`` (emptied by the caller) summed for the 365 days up to ``day``."""
    name = summary.table.name
    conn.execute(delete(summary_days).where(summary_days.c.name == name))
    conn.execute(insert(summary_days).values(name=name, day=day))
    summary.fill(conn, day=day)


def refresh(conn: Connection, fact: str, slices: Iterable[Slice]) -> None:
    """Sum the ``slices`` (rep × month) of the ``fact`` table's summary again from its raw
    rows, inside the caller's transaction (the write that touched them)."""
    if fact not in SUMMARIES:
        return
    by_rep: dict[str, set[str]] = defaultdict(set)
    for rep, month in slices:
        by_rep[rep].add(month)
    if not by_rep:
        return
    if sum(len(months) for months in by_rep.values()) > REBUILD_ABOVE:
        rebuild(conn, [fact])
        return
    _lock(conn)
    summary = SUMMARIES[fact]
    table, raw = summary.table.c, summary.fact.c
    for rep, months in by_rep.items():
        wanted = sorted(months)
        conn.execute(delete(summary.table).where(table.rep_id == rep, table.month.in_(wanted)))
        first, last = month_period(wanted[0]).start, month_period(wanted[-1]).end
        summary.fill(
            conn, raw.rep_id == rep, raw.date.between(first, last), month_expr(raw.date).in_(wanted)
        )


def slices_of(rows: Iterable[Mapping[str, Any]]) -> set[Slice]:
    """The slices of fact rows (any mapping with ``rep_id`` and ``date``)."""
    return {(row["rep_id"], f"{row['date']:%Y-%m}") for row in rows}


def customer_slices(conn: Connection, customer_ids: Sequence[str]) -> dict[str, set[Slice]]:
    """Every slice of each fact table that has a row of one of ``customer_ids`` (their
    region or tier changed, so their summary rows move)."""
    found: dict[str, set[Slice]] = {}
    for name, summary in SUMMARIES.items():
        fact = summary.fact.c
        found[name] = set()
        for start in range(0, len(customer_ids), 500):
            chunk = list(customer_ids[start : start + 500])
            query = (
                select(fact.rep_id, month_expr(fact.date))
                .where(fact.customer_id.in_(chunk))
                .distinct()
            )
            found[name] |= {(rep, month) for rep, month in conn.execute(query)}
    return found


class Pending:
    """The slices a write touched, refreshed once at its end (an import of many chunks sums
    each slice once, and rebuilds at most once)."""

    def __init__(self) -> None:
        self.slices: dict[str, set[Slice]] = defaultdict(set)
        self.moved: list[str] = []  # customers whose region or tier changed
        self.customers: dict[str, set[str]] = defaultdict(set)  # by fact: rows changed
        self.deals: set[str] = set()  # deals whose stage history changed

    def add(self, table: str, new: Sequence[Mapping[str, Any]], changed: Sequence[tuple]) -> None:
        """``new`` rows and ``changed`` (old, new) pairs written into ``table``."""
        if table in SUMMARIES:
            rows = [*new, *[row for pair in changed for row in pair]]
            self.slices[table] |= slices_of(rows)
            self.customers[table] |= {row["customer_id"] for row in rows}
        elif table == "customers":
            self.moved += [
                after["customer_id"]
                for before, after in changed
                if any(before.get(k) != after.get(k) for k in ("region_id", "priority"))
            ]
        elif table == history.name:
            self.deals |= {
                row["opportunity_id"] for row in [*new, *(after for _, after in changed)]
            }

    def apply(self, conn: Connection) -> None:
        if self.moved:
            for fact, slices in customer_slices(conn, self.moved).items():
                self.slices[fact] |= slices
        for fact, slices in self.slices.items():
            refresh(conn, fact, slices)
        days = kept_days(conn)
        for name, summary in PER_CUSTOMER.items():
            touched = self.customers.get(summary.fact.name, set())
            if summary.trailing and days.get(name) != today():
                rebuild(conn, [name])  # the first write of the day rolls it to the day
            elif len(touched) > REBUILD_ABOVE:
                rebuild(conn, [name])
            elif touched:
                _lock(conn)
                summary.refresh(conn, touched, days.get(name))
        if len(self.deals) > REBUILD_ABOVE:
            rebuild(conn, [stage_stays.name])
        elif self.deals:
            _lock(conn)
            STAGE_STAYS.refresh(conn, self.deals)
        self.slices.clear()
        self.moved = []
        self.customers.clear()
        self.deals.clear()


def kept_after(conn: Connection, table: str, rows: Sequence[Mapping[str, Any]]) -> None:
    """Keep the summaries after ``rows`` of ``table`` were written (as they are now, and as
    they were before for an update), inside the write's transaction."""
    pending = Pending()
    pending.add(table, rows, [])
    pending.apply(conn)


def differences(conn: Connection) -> dict[str, int]:
    """Rows of each summary that differ from the raw aggregation (missing, extra or other
    figures): all zero when the summaries are exact."""
    found = {}
    for name, summary in SUMMARIES.items():
        stored = select(*[summary.table.c[column] for column in summary.columns])
        kept, raw = (
            {tuple(_plain(value) for value in row) for row in conn.execute(query)}
            for query in (stored, summary.aggregate())
        )
        found[name] = len(kept ^ raw)
    days = kept_days(conn)
    for name, per in PER_CUSTOMER.items():
        kept = set(map(tuple, conn.execute(select(per.table))))
        if per.trailing and name not in days:
            found[name] = len(kept)  # not kept: there should be no rows
            continue
        raw = set(map(tuple, conn.execute(per.aggregate(day=days.get(name)))))
        found[name] = len(kept ^ raw)
    kept, raw = (
        set(map(tuple, conn.execute(q))) for q in (select(stage_stays), STAGE_STAYS.aggregate())
    )
    found[stage_stays.name] = len(kept ^ raw)
    return found


def _plain(value: object) -> object:
    return int(value) if isinstance(value, Decimal) else value


def _lock(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
