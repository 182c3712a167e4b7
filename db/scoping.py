"""Apply a :class:`crm_core.scope.Scope` inside SQL (docs/roles.md): one rule per table.

Facts with a customer (orders, payments, activities, opportunities, customer market reports)
belong to the *customer's* region, so a rep who moves region leaves their old region's history
with that region. Rows without a customer (daily reports, market reports without a customer)
belong to the rep's region.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, Table, and_, false, or_, select, true

from crm_core.scope import Scope
from db import schema

customers = schema.Customer.__table__
reps = schema.Rep.__table__


def customers_in(region_ids: frozenset[str]) -> Select:
    return select(customers.c.customer_id).where(customers.c.region_id.in_(region_ids))


def reps_in(region_ids: frozenset[str]) -> Select:
    return select(reps.c.rep_id).where(reps.c.region_id.in_(region_ids))


def scope_clause(table: Table, scope: Scope) -> ColumnElement[bool]:
    """A WHERE clause limiting rows of ``table`` to what ``scope`` may see."""
    if scope.is_empty:
        return false()
    return and_(_region_clause(table, scope.region_ids), _rep_clause(table, scope.rep_ids))


def of_customers_in(table: Table, scope: Scope) -> ColumnElement[bool]:
    """Rows of ``table`` (with a ``customer_id``) whose *customer* is in ``scope``, whoever
    made them (a rep: every row of their own customers). A per-customer aggregate inside a
    scope reads only those customers' rows, not the company's."""
    if scope.is_unrestricted:
        return true()
    mine = select(customers.c.customer_id).where(scope_clause(customers, scope))
    return table.c.customer_id.in_(mine)


def apply_scope(query: Select, table: Table, scope: Scope) -> Select:
    return query.where(scope_clause(table, scope))


def _region_clause(table: Table, region_ids: frozenset[str] | None) -> ColumnElement[bool]:
    if region_ids is None:
        return true()
    c = table.c
    match table.name:
        case "products" | "users" | "audit_log" | "data_version":
            return true()
        case "regions" | "reps" | "customers" | "targets":
            return c.region_id.in_(region_ids)
        case "order_months" | "payment_months" | "activity_months":
            return c.region_id.in_(region_ids)  # the customer's region (db.summaries)
        case "daily_reports" | "forecasts":
            return c.rep_id.in_(reps_in(region_ids))
        case "actions":  # a rep's by the rep's region now, a region's by the region
            return or_(
                c.rep_id.in_(reps_in(region_ids)),
                and_(c.rep_id.is_(None), c.region_id.in_(region_ids)),
            )
        case "opportunity_stages":
            opportunities = schema.Opportunity.__table__
            inside = select(opportunities.c.opportunity_id).where(
                opportunities.c.customer_id.in_(customers_in(region_ids))
            )
            return c.opportunity_id.in_(inside)
        case "market_reports":
            return or_(
                c.customer_id.in_(customers_in(region_ids)),
                and_(c.customer_id.is_(None), c.rep_id.in_(reps_in(region_ids))),
            )
        case _:
            return c.customer_id.in_(customers_in(region_ids))


def _rep_clause(table: Table, rep_ids: frozenset[str] | None) -> ColumnElement[bool]:
    if rep_ids is None:
        return true()
    c = table.c
    match table.name:
        case "products" | "regions" | "users" | "audit_log" | "data_version":
            return true()
        case "customers":
            return c.owner_rep_id.in_(rep_ids)
        case "opportunity_stages":
            opportunities = schema.Opportunity.__table__
            mine = select(opportunities.c.opportunity_id).where(opportunities.c.rep_id.in_(rep_ids))
            return c.opportunity_id.in_(mine)
        case _:
            return c.rep_id.in_(rep_ids)
