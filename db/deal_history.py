"""The history of every deal (issue 38.2): its state at the end of each day an import created or
changed it (``deal_history``), and the state of every deal in force at the end of any day.

Before a deal's first recorded day its state is told by what was kept before the history
began: created by its ``created_on``, at the stage its stage history reached by then (won or
lost on its closing day), with the amount and expected close of its first recorded state (or
its current ones)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import Connection, and_, delete, select, tuple_

from crm_core.pipeline import PROGRESS
from crm_core.scope import Scope
from db.schema import DealVersion, Opportunity, OpportunityStage
from db.scoping import scope_clause

history_t = DealVersion.__table__
deals_t = Opportunity.__table__
stages_t = OpportunityStage.__table__
STATE = ["rep_id", "stage", "amount_cents", "expected_close", "closed_on"]
STATE_COLUMNS = ["opportunity_id", *STATE]


def record(conn: Connection, day: date, deals: Iterable[dict[str, Any]]) -> None:
    """Keep each of ``deals`` (rows of ``opportunities``) as it stands at the end of ``day``;
    a second write on one day replaces that day's state."""
    rows = [{"opportunity_id": d["opportunity_id"], "day": day, **{k: d[k] for k in STATE}}
            for d in deals]  # fmt: skip
    if not rows:
        return
    keys = [(row["opportunity_id"], day) for row in rows]
    for start in range(0, len(keys), 500):
        conn.execute(
            delete(history_t).where(
                tuple_(history_t.c.opportunity_id, history_t.c.day).in_(keys[start : start + 500])
            )
        )
    conn.execute(history_t.insert(), rows)


def states_on(conn: Connection, scope: Scope, day: date) -> pd.DataFrame:
    """Every deal of ``scope`` that existed at the end of ``day``, as it stood then: columns
    :data:`STATE_COLUMNS` and ``pushes`` (how many times its expected close had been moved
    later by then, in the recorded history)."""
    d, h = deals_t.c, history_t.c
    in_scope = scope_clause(deals_t, scope)
    deals = pd.DataFrame(
        conn.execute(
            select(d.opportunity_id, d.rep_id, d.stage, d.amount_cents, d.expected_close,
                   d.closed_on, d.created_on)
            .where(in_scope, d.created_on <= day)
            .order_by(d.opportunity_id)
        ).all(),
        columns=[*STATE_COLUMNS, "created_on"],
    )  # fmt: skip
    if deals.empty:
        return pd.DataFrame(columns=[*STATE_COLUMNS, "pushes"])
    # plain tuples grouped by deal: tens of thousands of deals with a few versions each
    history: dict[str, list[Any]] = {}
    for version in conn.execute(
        select(h.opportunity_id, h.day, *(h[c] for c in STATE))
        .join(deals_t, d.opportunity_id == h.opportunity_id)
        .where(in_scope, d.created_on <= day)
        .order_by(h.opportunity_id, h.day)
    ):
        history.setdefault(version.opportunity_id, []).append(version)
    stage_on = _stages_on(conn, scope, day)
    rows = []
    for deal in deals.itertuples(index=False):
        versions = history.get(deal.opportunity_id, [])
        known = [v for v in versions if v.day <= day]
        if known:
            values = {c: getattr(known[-1], c) for c in STATE}
        else:
            first = versions[0] if versions else None
            values = {
                "rep_id": deal.rep_id,
                "stage": stage_on.get(deal.opportunity_id, deal.stage),
                "amount_cents": first.amount_cents if first is not None else deal.amount_cents,
                "expected_close": first.expected_close if first is not None
                else deal.expected_close,
                "closed_on": deal.closed_on if deal.closed_on and deal.closed_on <= day else None,
            }  # fmt: skip
        pushes = _pushes([v.expected_close for v in known])
        rows.append({"opportunity_id": deal.opportunity_id, **values, "pushes": pushes})
    frame = pd.DataFrame(rows, columns=[*STATE_COLUMNS, "pushes"]).astype(object)
    return frame.where(frame.notna(), None)


def _pushes(closes: list[date]) -> int:
    """How many times ``closes`` (one deal's expected close, by day) moved later."""
    return sum(1 for before, after in zip(closes, closes[1:], strict=False) if after > before)


def _stages_on(conn: Connection, scope: Scope, day: date) -> dict[str, str]:
    """The stage each deal of ``scope`` had reached by the end of ``day`` in its stage history
    (the furthest of the entries of its last day)."""
    s, d = stages_t.c, deals_t.c
    query = (
        select(s.opportunity_id, s.stage, s.entered_on)
        .join(deals_t, d.opportunity_id == s.opportunity_id)
        .where(and_(scope_clause(deals_t, scope), s.entered_on <= day))
        .order_by(s.opportunity_id, s.entered_on)
    )
    order = {stage: i for i, stage in enumerate((*PROGRESS, "lost"))}  # lost last on a day
    reached: dict[str, tuple[date, int, str]] = {}
    for deal, stage, entered in conn.execute(query):
        key = (entered, order.get(stage, 0), stage)
        if deal not in reached or key > reached[deal]:
            reached[deal] = key
    return {deal: key[2] for deal, key in reached.items()}
