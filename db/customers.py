"""Customer data (docs/kpis.md#customers, docs/formats.md customers): per-customer
trailing-12-month values for the
classifications, the customer base per year, customer search and the customer card.

A customer belongs to the viewer when the customer row is in scope (a rep: their own customers);
its figures are all of its orders and activities, whoever made them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import Connection, and_, case, func, literal, or_, select

from crm_core.customers import YearBase, prospect_grade
from crm_core.efficiency import cadence
from crm_core.periods import month_period, months_between, trailing_year
from crm_core.pipeline import PROGRESS, STAGES
from crm_core.scope import Scope
from db import efficiency, schema, summaries
from db.pipeline import open_on
from db.queries import activities as activities_t
from db.queries import customers as customers_t
from db.queries import month_expr, regions_t, reps_t, tuples
from db.queries import orders as orders_t
from db.scoping import of_customers_in, scope_clause
from db.summaries import order_years, progress_index

deals_t = schema.Opportunity.__table__
market_t = schema.MarketReport.__table__
VALUE_COLUMNS = [
    "customer_id", "name", "region", "owner", "status", "priority", "prospect_grade",
    "potential", "revenue", "gross_margin", "cost_to_serve", "furthest_open_stage",
]  # fmt: skip


def customer_values(conn: Connection, scope: Scope, as_of: date) -> pd.DataFrame:
    """One row per customer in scope, :data:`VALUE_COLUMNS`: revenue and gross margin of the
    trailing 12 months to ``as_of`` (cents, 0 without orders), cost-to-serve = cost of the done
    activities in that window, and the furthest stage of the deals open on ``as_of``."""
    d, c = deals_t.c, customers_t.c
    # kept for the day: one row per customer instead of a year of orders and activities
    sales = summaries.trailing_sums(conn, "trailing_orders", scope, as_of)
    serving = summaries.trailing_sums(conn, "trailing_activities", scope, as_of)
    furthest = (
        select(d.customer_id, func.max(progress_index(d.stage)).label("stage"))
        .where(open_on(as_of), d.stage.in_(STAGES), of_customers_in(deals_t, scope))
        .group_by(d.customer_id)
        .subquery()
    )
    query = (
        select(
            c.customer_id,
            c.name,
            c.region_id,
            c.owner_rep_id,
            c.status,
            c.priority,
            c.prospect_grade,
            c.annual_potential_cents,
            func.coalesce(sales.c.revenue_cents, 0),
            func.coalesce(sales.c.margin_cents, 0),
            func.coalesce(serving.c.cost_cents, 0),
            furthest.c.stage,
        )  # fmt: skip
        .outerjoin(sales, sales.c.customer_id == c.customer_id)
        .outerjoin(serving, serving.c.customer_id == c.customer_id)
        .outerjoin(furthest, furthest.c.customer_id == c.customer_id)
        .where(scope_clause(customers_t, scope), c.created_on <= as_of)
        .order_by(c.customer_id)
    )
    frame = pd.DataFrame(tuples(conn, query), columns=VALUE_COLUMNS)
    frame["furthest_open_stage"] = _or_none(frame.furthest_open_stage, lambda i: PROGRESS[int(i)])
    frame["potential"] = _or_none(frame.potential, int)
    money = {"revenue": "int64", "gross_margin": "int64", "cost_to_serve": "int64"}
    # PostgreSQL sums to Decimal: integers on every database
    return frame.astype({"furthest_open_stage": object, "potential": object, **money})


def _or_none(column: pd.Series, convert: Callable[[Any], Any]) -> list[Any]:
    """``convert`` of each value of ``column``, None where it is missing (the mask is taken
    once: ``pd.isna`` per value costs more than the conversion)."""
    return [
        None if gone else convert(value)
        for value, gone in zip(column.tolist(), column.isna().tolist(), strict=True)
    ]


def year_bases(
    conn: Connection, scope: Scope, as_of: date, by_region: bool = False
) -> tuple[dict[tuple[str, int], YearBase], dict[int, bool]]:
    """The customer base of every year that has a year of orders before it, up to ``as_of``'s
    year, for the whole scope (key ``all``) or per region (the customer's): active at the start,
    lost during the year, new in the year. Second value: which years are complete. Read from
    the kept ``order_years`` (db.summaries): per customer, its first order day in each year."""
    y = order_years.c
    first_order = conn.execute(
        select(func.min(y.first_date)).where(
            of_customers_in(order_years, scope), y.first_date <= as_of
        )
    ).scalar()
    if first_order is None:
        return {}, {}
    years = range(first_order.year + 1, as_of.year + 1)
    bases: dict[tuple[str, int], YearBase] = {}
    for key, *counts in conn.execute(_year_bases_query(scope, first_order.year, as_of, by_region)):
        if by_region and key is None:
            continue
        for year, (customers, active, lost, new) in zip(years, _fours(counts), strict=True):
            if customers or not by_region:  # a region appears from its first customer's year
                bases[("all" if not by_region else key, year)] = YearBase(active, lost, new)
    complete = {y: as_of >= date(y, 12, 31) for y in years}
    return bases, complete


def _fours(counts: list[Any]) -> list[tuple[int, int, int, int]]:
    values = [int(v or 0) for v in counts]
    return [tuple(values[i : i + 4]) for i in range(0, len(values), 4)]  # type: ignore[misc]


def _year_bases_query(scope: Scope, first_year: int, as_of: date, by_region: bool) -> Any:
    """Per year after ``first_year`` up to ``as_of``'s: customers with an order by the year's
    end (or ``as_of``), active at its start (an order the year before), lost (active, no order
    in the year to ``as_of``) and new (first order in the year). A customer ordered in a year
    up to a day when its first order day of that year is no later. Its rows in ``order_years``
    are grouped first, and only then is its region looked up, rather than the customers
    joined to every row."""
    y, c = order_years.c, customers_t.c

    def ordered_in(year: int) -> Any:
        by = min(as_of, date(year, 12, 31))
        return func.max(case((and_(y.year == str(year), y.first_date <= by), 1), else_=0))

    grouped = (
        select(
            y.customer_id,
            func.min(y.first_date).label("first"),
            *(ordered_in(year).label(f"y{year}") for year in range(first_year, as_of.year + 1)),
        )
        .where(of_customers_in(order_years, scope), y.first_date <= as_of)
        .group_by(y.customer_id)
        .subquery()
    )
    per_customer = (
        select(c.region_id.label("region"), *grouped.c)
        .join_from(grouped, customers_t, c.customer_id == grouped.c.customer_id)
        .subquery()
    )
    p = per_customer.c

    def count(condition: Any) -> Any:
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    columns = []
    for year in range(first_year + 1, as_of.year + 1):
        before, during = p[f"y{year - 1}"], p[f"y{year}"]
        columns += [
            count(p.first <= min(as_of, date(year, 12, 31))),
            count(before == 1),
            count(and_(before == 1, during == 0)),
            count(p.first.between(date(year, 1, 1), date(year, 12, 31))),
        ]
    key = p.region if by_region else literal("all")
    query = select(key, *columns)
    return query.group_by(p.region) if by_region else query


def search(conn: Connection, scope: Scope, text: str, limit: int = 50) -> pd.DataFrame:
    """Customers in scope whose ID or name contains ``text``: ``customer_id, name``, by name."""
    c = customers_t.c
    pattern = f"%{text.strip()}%"
    query = (
        select(c.customer_id, c.name)
        .where(scope_clause(customers_t, scope))
        .where(or_(c.name.ilike(pattern), c.customer_id.ilike(pattern)))
        .order_by(c.name, c.customer_id)
        .limit(limit)
    )
    return pd.DataFrame(tuples(conn, query), columns=["customer_id", "name"])


@dataclass(frozen=True)
class CustomerCard:
    """客户资料卡: the profile of docs/formats.md and what happened with the customer."""

    profile: dict[str, Any]  # the customers row, region_name, owner, grade (prospects)
    sales: pd.DataFrame  # month, revenue, gross_margin: the 24 months to as_of
    activities: pd.DataFrame  # the latest 50: date, rep, kind, purpose, status, outcome, ...
    outcomes: pd.DataFrame  # kind, outcome, count over the trailing 12 months
    opportunities: pd.DataFrame  # open on as_of
    reports: pd.DataFrame  # complaints and market reports about the customer
    cadence: dict[str, Any] | None  # days since call/visit and overdue flags (None if lost)


def customer_card(
    conn: Connection, scope: Scope, customer_id: str, as_of: date
) -> CustomerCard | None:
    """The card of ``customer_id``, or ``None`` when it is not in ``scope``."""
    c = customers_t.c
    row = conn.execute(
        select(customers_t, regions_t.c.name.label("region_name"), reps_t.c.name.label("owner"))
        .join(regions_t, regions_t.c.region_id == c.region_id)
        .join(reps_t, reps_t.c.rep_id == c.owner_rep_id)
        .where(c.customer_id == customer_id, scope_clause(customers_t, scope))
    ).first()
    if row is None:
        return None
    contacts = efficiency.last_contacts(conn, scope, as_of, customer_id)
    timing = cadence(contacts, as_of)
    deals = _open_opportunities(conn, customer_id, as_of)
    profile = dict(row._mapping)
    open_stages = [s for s in deals.stage if s in STAGES]
    furthest = max(open_stages, key=STAGES.index) if open_stages else None
    profile["grade"] = (
        prospect_grade(profile["prospect_grade"], furthest)
        if profile["status"] == "prospect"
        else None
    )
    return CustomerCard(
        profile=profile,
        sales=_monthly_sales(conn, customer_id, as_of),
        activities=_activities(conn, customer_id, as_of),
        outcomes=_outcomes(conn, customer_id, as_of),
        opportunities=deals,
        reports=_reports(conn, customer_id, as_of),
        cadence=timing.iloc[0].to_dict() if len(timing) else None,
    )


def _monthly_sales(conn: Connection, customer_id: str, as_of: date) -> pd.DataFrame:
    o = orders_t.c
    months = months_between(date(as_of.year - 2, as_of.month, 1), as_of)[1:]
    month = month_expr(o.date)
    query = (
        select(month, func.sum(o.amount_cents), func.sum(o.amount_cents - o.cost_cents))
        .where(o.customer_id == customer_id)
        .where(o.date.between(month_period(months[0]).start, as_of))
        .group_by(month)
    )
    found = {m: (int(r), int(g)) for m, r, g in conn.execute(query).all()}
    rows = [(m, *found.get(m, (0, 0))) for m in months]
    return pd.DataFrame(rows, columns=["month", "revenue", "gross_margin"])


def _activities(conn: Connection, customer_id: str, as_of: date) -> pd.DataFrame:
    a = activities_t.c
    query = (
        select(
            a.date, reps_t.c.name, a.kind, a.purpose, a.status, a.outcome, a.duration_min, a.notes
        )
        .join(reps_t, reps_t.c.rep_id == a.rep_id)
        .where(a.customer_id == customer_id, a.date <= as_of)
        .order_by(a.date.desc(), a.activity_id.desc())
        .limit(50)
    )
    columns = ["date", "rep", "kind", "purpose", "status", "outcome", "duration_min", "notes"]
    return pd.DataFrame(tuples(conn, query), columns=columns)


def _outcomes(conn: Connection, customer_id: str, as_of: date) -> pd.DataFrame:
    a = activities_t.c
    window = trailing_year(as_of)
    outcome = func.coalesce(a.outcome, a.status)
    query = (
        select(a.kind, outcome, func.count())
        .where(a.customer_id == customer_id, a.date.between(window.start, window.end))
        .where(a.status != "planned")
        .group_by(a.kind, outcome)
        .order_by(a.kind, outcome)
    )
    return pd.DataFrame(tuples(conn, query), columns=["kind", "outcome", "count"])


def _open_opportunities(conn: Connection, customer_id: str, as_of: date) -> pd.DataFrame:
    d = deals_t.c
    query = (
        select(d.opportunity_id, d.name, d.stage, d.amount_cents, d.expected_close, d.created_on)
        .where(d.customer_id == customer_id, open_on(as_of))
        .order_by(d.expected_close)
    )
    columns = ["opportunity_id", "name", "stage", "amount", "expected_close", "created_on"]
    return pd.DataFrame(tuples(conn, query), columns=columns)


def _reports(conn: Connection, customer_id: str, as_of: date) -> pd.DataFrame:
    m = market_t.c
    query = (
        select(m.date, m.kind, m.severity, m.summary, m.status, m.resolved_on)
        .where(m.customer_id == customer_id, m.date <= as_of)
        .order_by(m.date.desc())
    )
    columns = ["date", "kind", "severity", "summary", "status", "resolved_on"]
    return pd.DataFrame(tuples(conn, query), columns=columns)
