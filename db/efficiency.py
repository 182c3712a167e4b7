"""Visit efficiency aggregates from SQL (docs/kpis.md#visit-efficiency), for a scope and a
period."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
from sqlalchemy import ColumnElement, Connection, Date, and_, case, func, literal, or_, select, true

from crm_core.efficiency import CADENCE_DAYS, ActivityTotals
from crm_core.periods import Period, working_days, working_days_elapsed
from crm_core.scope import Scope
from db import queries, summaries
from db.queries import tuples
from db.schema import Activity, Customer
from db.scoping import scope_clause

activities = Activity.__table__
customers = Customer.__table__


def _sum_if(condition: object, value: object = 1) -> object:
    return func.coalesce(func.sum(case((condition, value), else_=0)), 0)


def totals_by_rep(
    conn: Connection, scope: Scope, period: Period, as_of: date | None = None
) -> dict[str, ActivityTotals]:
    """:class:`ActivityTotals` per rep (revenue from their orders of the period); with
    ``as_of`` a period in progress counts only its working days elapsed."""
    a = activities.c
    done = summaries.DONE
    query = (
        select(
            a.rep_id,
            _sum_if(done),
            _sum_if(summaries.EFFECTIVE),
            _sum_if(summaries.SALE),
            _sum_if(and_(done, a.planned.is_(True))),
            _sum_if(and_(a.status == "missed", a.planned.is_(True))),
            _sum_if(done, func.coalesce(a.duration_min, 0)),
            _sum_if(done, func.coalesce(a.cost_cents, 0)),
        )
        .where(a.date.between(period.start, period.end), scope_clause(activities, scope))
        .group_by(a.rep_id)
    )
    revenue = queries.sales_by(conn, scope, period.start, period.end, ["rep"])
    sold = dict(zip(revenue.rep, revenue.revenue, strict=True))
    days = _days(period, as_of)
    return {
        rep: ActivityTotals(
            *(int(v) for v in values), revenue=int(sold.get(rep, 0)), reps=1, working_days=days
        )
        for rep, *values in conn.execute(query).all()
    }


def _days(period: Period, as_of: date | None) -> int:
    """Working days the activities had: all of the period, or those elapsed by ``as_of`` when
    the period is in progress (none yet for a future period)."""
    return working_days(period) if as_of is None else working_days_elapsed(period, as_of)


def team_totals(
    per_rep: dict[str, ActivityTotals], period: Period, as_of: date | None = None
) -> ActivityTotals:
    fields = [
        "done",
        "effective",
        "sales",
        "planned_done",
        "planned_missed",
        "minutes",
        "cost",
        "revenue",
    ]
    sums = {f: sum(getattr(t, f) for t in per_rep.values()) for f in fields}
    return ActivityTotals(**sums, reps=len(per_rep), working_days=_days(period, as_of))


def call_outcomes(conn: Connection, scope: Scope, period: Period) -> dict[str, int]:
    """Done calls of the period by furthest outcome."""
    a = activities.c
    query = (
        select(a.outcome, func.count())
        .where(a.kind == "call", a.status == "done", a.outcome.is_not(None))
        .where(a.date.between(period.start, period.end), scope_clause(activities, scope))
        .group_by(a.outcome)
    )
    return {outcome: int(n) for outcome, n in conn.execute(query).all()}


LAST_CONTACT_COLUMNS = ["customer_id", "name", "owner_rep_id", "priority", "last_call",
                        "last_visit"]  # fmt: skip


def last_contacts(
    conn: Connection,
    scope: Scope,
    as_of: date,
    customer_id: str | None = None,
    priority: str | None = None,
    overdue_only: bool = False,
) -> pd.DataFrame:
    """Every non-lost customer in scope (or just ``customer_id``, or those of ``priority``) with
    its priority and the dates of its last done call and visit up to ``as_of``: ``customer_id,
    name, owner_rep_id, priority, last_call, last_visit``. Read from the kept last contacts
    (``last_contacts``, :mod:`db.summaries`); a customer contacted after ``as_of`` (a day
    looked at in the past) is looked up in its activities. ``overdue_only`` leaves out the
    customers whose kept call and visit are both within the :data:`CADENCE_DAYS` of their
    priority on ``as_of``, which no cadence can find overdue: what is left holds every overdue
    customer (a fraction of all of them), and :func:`crm_core.efficiency.cadence` still
    decides."""
    c, kept = customers.c, summaries.last_contacts.c
    query = (
        select(c.customer_id, c.name, c.owner_rep_id, c.priority, kept.last_call_on,
               kept.last_visit_on)
        .outerjoin(summaries.last_contacts, kept.customer_id == c.customer_id)
        .where(c.status != "lost", scope_clause(customers, scope))
        .where(true() if customer_id is None else c.customer_id == customer_id)
        .where(true() if priority is None else c.priority == priority)
        .where(_maybe_overdue(as_of) if overdue_only else true())
        .order_by(c.customer_id)
    )  # fmt: skip
    rows = tuples(conn, query)
    later = [row[0] for row in rows if (row[4] or as_of) > as_of or (row[5] or as_of) > as_of]
    if later:
        before = _last_contacts_until(conn, later, as_of)
        rows = [(*row[:4], *before[row[0]]) if row[0] in before else row for row in rows]
    return pd.DataFrame(rows, columns=LAST_CONTACT_COLUMNS)


def _maybe_overdue(as_of: date) -> ColumnElement[bool]:
    """A kept call or visit missing, later than ``as_of`` (looked up again), or older than the
    limit of the customer's priority (:data:`CADENCE_DAYS`; any other priority counts as
    ``normal``): ``as_of - last > limit`` is ``last < as_of - limit``."""
    c, kept = customers.c, summaries.last_contacts.c
    tiers = [tier for tier in CADENCE_DAYS if tier != "normal"]

    def due(kind: str) -> ColumnElement[bool]:
        def before(tier: str) -> object:
            return literal(as_of - timedelta(days=CADENCE_DAYS[tier][kind]), Date())

        last = kept.last_call_on if kind == "call" else kept.last_visit_on
        limit = case(
            *((c.priority == tier, before(tier)) for tier in tiers), else_=before("normal")
        )
        return or_(last.is_(None), last > as_of, last < limit)

    return or_(due("call"), due("visit"))


def _last_contacts_until(
    conn: Connection, customer_ids: list[str], as_of: date
) -> dict[str, tuple[date | None, date | None]]:
    """The last done call and visit up to ``as_of`` of ``customer_ids``, from the activities
    (one index seek per customer and kind, ix_activities_customer_status)."""
    a, c = activities.c, customers.c

    def last(kind: str) -> object:
        return (
            select(func.max(a.date))
            .where(a.customer_id == c.customer_id, a.status == "done", a.kind == kind)
            .where(a.date <= as_of)
            .scalar_subquery()
        )

    found = {}
    for start in range(0, len(customer_ids), 500):
        chunk = customer_ids[start : start + 500]
        query = select(c.customer_id, last("call"), last("visit")).where(c.customer_id.in_(chunk))
        found |= {row[0]: (row[1], row[2]) for row in conn.execute(query)}
    return found


def revenue_and_minutes(
    conn: Connection, scope: Scope, as_of: date
) -> tuple[dict[str, int], dict[str, int]]:
    """Trailing-12-month revenue and activity minutes per customer, up to ``as_of``: of the
    customers in scope (kept for the day, :func:`db.summaries.trailing_sums`), or of a rep's
    own orders and activities."""

    def per_customer(name: str, column: str) -> dict[str, int]:
        summary = summaries.PER_CUSTOMER[name]
        if scope.rep_ids is None:
            sums = summaries.trailing_sums(conn, name, scope, as_of)
        else:  # a rep's own rows, whoever's customers they are (docs/roles.md)
            own = [scope_clause(summary.fact, scope)]
            sums = summary.aggregate(day=as_of, also=own).subquery()
        query = select(sums.c.customer_id, sums.c[column])
        return {customer: int(value) for customer, value in conn.execute(query)}

    revenue = per_customer("trailing_orders", "revenue_cents")
    return revenue, per_customer("trailing_activities", "minutes")


def purpose_mix(conn: Connection, scope: Scope, period: Period) -> pd.DataFrame:
    """Done activities of the period by kind and purpose: ``kind, purpose, count``."""
    a = activities.c
    query = (
        select(a.kind, a.purpose, func.count())
        .where(a.status == "done", a.date.between(period.start, period.end))
        .where(scope_clause(activities, scope))
        .group_by(a.kind, a.purpose)
        .order_by(a.kind, a.purpose)
    )
    return pd.DataFrame(tuples(conn, query), columns=["kind", "purpose", "count"])
