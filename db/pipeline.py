"""Pipeline data (docs/kpis.md#pipeline-health): open deals as of a day, stage history counts,
closings by month,
targets against the pipeline. Aggregations run in SQL; only open deals come back as rows (the
stale list needs them)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Integer, and_, case, func, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from crm_core import settings
from crm_core.periods import Period, month_period, months_before, months_between
from crm_core.pipeline import (
    PROGRESS,
    STAGES,
    Closings,
    coverage,
    expected_in,
    probabilities_from,
    stale_limits_from,
)
from crm_core.scope import Scope
from db import queries, schema, summaries
from db.queries import month_expr
from db.scoping import scope_clause
from db.summaries import scanned

deals_t = schema.Opportunity.__table__
history_t = schema.OpportunityStage.__table__
customers_t = schema.Customer.__table__
DEAL_COLUMNS = [
    "opportunity_id", "name", "customer_id", "customer", "region", "rep", "amount",
    "created_on", "expected_close", "stage", "stage_since",
]  # fmt: skip


class days_between(FunctionElement):  # noqa: N801 - a SQL function, named like one
    """Whole days from the second date to the first, on SQLite and PostgreSQL."""

    type = Integer()
    inherit_cache = True


@compiles(days_between)
def _days_between_postgres(element: days_between, compiler: Any, **kw: Any) -> str:
    later, earlier = list(element.clauses)
    return f"({compiler.process(later, **kw)} - {compiler.process(earlier, **kw)})"


@compiles(days_between, "sqlite")
def _days_between_sqlite(element: days_between, compiler: Any, **kw: Any) -> str:
    later, earlier = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"


def open_on(as_of: date) -> Any:
    """Deals open on ``as_of``: created by then, not closed by then, found through
    ix_opportunities_closed_on (few of all deals are open on a day; SQLite, which has no
    statistics, would otherwise read them all through the creation-day range)."""
    return and_(scanned(deals_t.c.created_on) <= as_of, not_closed_on(as_of))


def not_closed_on(day: date) -> Any:
    """Deals not closed by the end of ``day``."""
    c = deals_t.c
    return c.closed_on.is_(None) | (c.closed_on > day)


def open_deals(conn: Connection, scope: Scope, as_of: date) -> pd.DataFrame:
    """Deals open on ``as_of`` (created by then, not closed by then), :data:`DEAL_COLUMNS`:
    ``region`` is the customer's; ``stage`` and ``stage_since`` are the last open stage entered
    by ``as_of`` (from the history; else the deal's stage and its creation day)."""
    c = deals_t.c
    query = (
        select(
            c.opportunity_id,
            c.name,
            c.customer_id,
            customers_t.c.name,
            customers_t.c.region_id,
            c.rep_id,
            c.amount_cents,
            c.created_on,
            c.expected_close,
            c.stage,
            c.created_on,
        )  # fmt: skip
        .join(customers_t, customers_t.c.customer_id == c.customer_id)
        .where(open_on(as_of), scope_clause(deals_t, scope))
        .order_by(c.opportunity_id)
    )
    last = _last_stages(conn, scope, as_of)
    deals = []
    for row in conn.execute(query):
        deal = list(row)
        stage = deal[-2] if deal[-2] in STAGES else STAGES[0]
        deal[-2:] = last.get(deal[0], (stage, deal[-1]))
        deals.append(deal)
    return pd.DataFrame(deals, columns=DEAL_COLUMNS)


def _last_stages(conn: Connection, scope: Scope, as_of: date) -> dict[str, tuple[str, date]]:
    """Per open deal, ``(stage, entered_on)`` of its last open-stage history entry on or before
    ``as_of`` (the furthest stage on a day with two entries). Picked in Python from the
    entries: sorting and grouping them in pandas cost more than reading them."""
    h, c = history_t.c, deals_t.c
    query = (
        select(h.opportunity_id, h.stage, h.entered_on)
        .join(deals_t, c.opportunity_id == h.opportunity_id)
        .where(h.entered_on <= as_of, h.stage.in_(STAGES), open_on(as_of))
        .where(scope_clause(deals_t, scope))
    )
    latest: dict[str, tuple[date, int]] = {}
    found: dict[str, tuple[str, date]] = {}
    for deal, stage, entered_on in conn.execute(query):
        when = (entered_on, STAGES.index(stage))
        if deal not in latest or when >= latest[deal]:
            latest[deal], found[deal] = when, (stage, entered_on)
    return found


def conversion_counts(
    conn: Connection, scope: Scope, created: Period, as_of: date
) -> tuple[dict[str, int], dict[str, tuple[int, int]]]:
    """For deals created in ``created`` (the cohort), with history up to ``as_of``: how many
    reached each stage of :data:`PROGRESS` as their furthest (their current stage counts as an
    entry too), and per stage (total days, finished stays) of the stays that ended by
    ``as_of`` (a stay ends at the deal's next history entry).

    Read from the kept ``stage_stays`` (:mod:`db.summaries`) in one grouping: an entry by
    ``as_of`` is its deal's furthest when the deal went no further by then, and its stay is
    finished when the deal left it by then; a window function over the whole history does
    the same work for every entry ever made."""
    c, s = deals_t.c, summaries.stage_stays.c
    cohort = [
        c.created_on.between(created.start, min(created.end, as_of)),
        scope_clause(deals_t, scope),
    ]
    left = s.left_on <= as_of
    furthest_yet = and_(
        s.stage.in_(PROGRESS), or_(s.superseded_on.is_(None), s.superseded_on > as_of)
    )
    query = (
        select(
            s.stage,
            func.sum(case((furthest_yet, 1), else_=0)),
            func.sum(case((left, days_between(s.left_on, s.entered_on)), else_=0)),
            func.sum(case((left, 1), else_=0)),
        )
        .join(deals_t, c.opportunity_id == s.opportunity_id)
        .where(*cohort, s.entered_on <= as_of)
        .group_by(s.stage)
    )
    reached: dict[str, int] = {}
    stays: dict[str, tuple[int, int]] = {}
    for stage, furthest, days, finished in conn.execute(query):
        if furthest:
            reached[stage] = int(furthest)
        if finished and stage in STAGES:
            stays[stage] = (int(days), int(finished))
    # a deal with no entry of the progress yet counts at its first stage
    cohort_size = conn.execute(select(func.count()).where(*cohort)).scalar_one()
    if unplaced := cohort_size - sum(reached.values()):
        reached[PROGRESS[0]] = reached.get(PROGRESS[0], 0) + unplaced
    return {stage: reached[stage] for stage in PROGRESS if stage in reached}, stays


def _closing_sums(scope: Scope, start: date, end: date, *keys: Any) -> Any:
    c = deals_t.c
    won = c.stage == "won"
    return (
        select(
            *keys,
            func.coalesce(func.sum(case((won, 1), else_=0)), 0),
            func.coalesce(func.sum(case((c.stage == "lost", 1), else_=0)), 0),
            func.coalesce(func.sum(case((won, c.amount_cents), else_=0)), 0),
            func.coalesce(
                func.sum(case((won, days_between(c.closed_on, c.created_on)), else_=0)), 0
            ),
        )
        .where(c.closed_on.between(start, end), c.stage.in_(("won", "lost")))
        .where(scope_clause(deals_t, scope))
    )


def closings(conn: Connection, scope: Scope, period: Period) -> Closings:
    """Deals closed (won or lost) in ``period``: counts, won amount, won cycle days."""
    return Closings(
        *(int(v) for v in conn.execute(_closing_sums(scope, period.start, period.end)).one())
    )


def closings_by_month(conn: Connection, scope: Scope, months: Sequence[str]) -> dict[str, Closings]:
    """:func:`closings` of each of ``months``."""
    first, last = month_period(months[0]).start, month_period(months[-1]).end
    month = month_expr(deals_t.c.closed_on)
    query = _closing_sums(scope, first, last, month).group_by(month)
    found = {m: Closings(*(int(v) for v in values)) for m, *values in conn.execute(query).all()}
    return {m: found.get(m, Closings()) for m in months}


def open_counts(conn: Connection, scope: Scope, days: Sequence[date]) -> list[int]:
    """How many deals were open at the end of each of ``days`` (one query over the deals open
    on one of them, found through ix_opportunities_closed_on rather than all deals)."""
    if not days:
        return []
    c = deals_t.c
    counts = [func.sum(case((open_on(day), 1), else_=0)) for day in days]
    # open on one of the days: created by the last, not closed by the first
    some_day = and_(scanned(c.created_on) <= max(days), not_closed_on(min(days)))
    query = select(*counts).where(some_day, scope_clause(deals_t, scope))
    return [int(v or 0) for v in conn.execute(query).one()]


def trend_inputs(
    conn: Connection, scope: Scope, last: date, months: int = 12
) -> tuple[dict[str, Closings], dict[str, int]]:
    """Closings and month-end open counts of the ``months`` months up to ``last``'s month; the
    month in progress counts open deals on ``last``."""
    names = months_between(months_before(last, months - 1), last)
    return month_inputs(conn, scope, names, last)


def month_inputs(
    conn: Connection, scope: Scope, names: Sequence[str], last: date
) -> tuple[dict[str, Closings], dict[str, int]]:
    """Closings of each month of ``names`` and the deals open at its end (on ``last`` for a
    month that ends after it)."""
    ends = [min(month_period(m).end, last) for m in names]
    return closings_by_month(conn, scope, names), dict(
        zip(names, open_counts(conn, scope, ends), strict=True)
    )


def targets_and_actuals(
    conn: Connection, scope: Scope, period: Period, as_of: date, key: str
) -> pd.DataFrame:
    """``key, target, actual``: the revenue target of ``period`` and revenue from its start to
    ``as_of`` (cents), by ``rep`` or ``region``."""
    months = (f"{period.start:%Y-%m}", f"{period.end:%Y-%m}")
    targets = queries.targets_by(conn, scope, *months, [key], ["revenue"])[[key, "target"]]
    until = min(as_of, period.end)
    if until >= period.start:
        actuals = queries.sales_by(conn, scope, period.start, until, [key])[[key, "revenue"]]
    else:
        actuals = pd.DataFrame(columns=[key, "revenue"])
    merged = targets.merge(actuals, on=key, how="outer").rename(columns={"revenue": "actual"})
    merged["target"] = [None if pd.isna(v) else int(v) for v in merged.target]
    merged["actual"] = [0 if pd.isna(v) else int(v) for v in merged.actual]
    return merged.astype(object)


def configured_probabilities() -> dict[str, float]:
    """The stage probabilities of ``CRM_STAGE_PROBABILITIES`` (default 10,20,40,60,90 %)."""
    return probabilities_from(settings.value("CRM_STAGE_PROBABILITIES"))


def configured_stale_limits() -> dict[str, int]:
    """The stale limits of ``CRM_STALE_DAYS`` (default 30 days for every stage)."""
    return stale_limits_from(settings.value("CRM_STALE_DAYS"))


def coverage_table(
    conn: Connection,
    scope: Scope,
    period: Period,
    as_of: date,
    key: str,
    deals: pd.DataFrame | None = None,
    probabilities: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """:func:`crm_core.pipeline.coverage` of ``period`` by ``rep`` or ``region`` with the deals
    open on ``as_of`` (pass ``deals`` when already loaded), weighted with ``probabilities``
    (default :func:`configured_probabilities`)."""
    deals = open_deals(conn, scope, as_of) if deals is None else deals
    chances = configured_probabilities() if probabilities is None else probabilities
    expected = expected_in(deals, period.start, period.end, key, chances)
    return coverage(targets_and_actuals(conn, scope, period, as_of, key), expected, key)
