"""Opportunities with their stage history, and market reports."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import numpy as np

from crm_core.periods import months_between
from db.demo.world import (
    ADVANCE,
    LOST_REASONS,
    MARKET_KINDS,
    MARKET_SUMMARIES,
    MARKET_WEIGHTS,
    PRODUCTS,
    STAGES,
    World,
)

# ---------------------------------------------------------------- opportunities


def _opportunities(world: World) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    rng = world.rng
    months = len(months_between(world.start, world.end))
    window = (world.end - world.start).days
    opportunities: list[dict[str, Any]] = []
    history: list[dict[str, Any]] = []
    for rep, rid in enumerate(world.rep_ids):
        mine = np.flatnonzero(world.cust_rep == rep)
        if len(mine) == 0:
            continue
        for _ in range(int(rng.poisson(4 * months))):
            oid = f"OP{len(opportunities) + 1:07d}"
            created = world.start + timedelta(days=int(rng.integers(0, window + 1)))
            stage, closed, entries = _walk_stages(rng, created, world.end, world.rep_conv[rep])
            history += [{"opportunity_id": oid, "stage": s, "entered_on": d} for s, d in entries]
            opportunities.append(
                {
                    "opportunity_id": oid,
                    "customer_id": world.customer_ids[int(rng.choice(mine))],
                    "rep_id": rid,
                    "name": f"{PRODUCTS[int(rng.integers(0, len(PRODUCTS)))][1]} 采购项目",
                    "amount_cents": int(round(rng.lognormal(np.log(250_000), 0.8), -3)) * 100,
                    "stage": stage,
                    "created_on": created,
                    "expected_close": created + timedelta(days=int(rng.integers(30, 120))),
                    "closed_on": closed,
                    "lost_reason": str(rng.choice(LOST_REASONS)) if stage == "lost" else None,
                }
            )
    return opportunities, history


def _walk_stages(
    rng: np.random.Generator, created: date, end: date, conv: float
) -> tuple[str, date | None, list[tuple[str, date]]]:
    """Walk one deal through the stages until it is won, lost, or the data ends."""
    entries = [("identified", created)]
    index, day = 0, created
    stuck = rng.random() < 0.12
    while True:
        day += timedelta(days=int(rng.exponential(60 if stuck else 12)) + 2)
        if day > end:
            return STAGES[index], None, entries
        if rng.random() > min(0.95, ADVANCE[index] * conv**0.25):
            entries.append(("lost", day))
            return "lost", day, entries
        index += 2 if index < 3 and rng.random() < 0.08 else 1
        if index >= len(STAGES):
            entries.append(("won", day))
            return "won", day, entries
        entries.append((STAGES[index], day))


# ---------------------------------------------------------------- market reports


def _market(world: World) -> list[dict[str, Any]]:
    rng = world.rng
    months = len(months_between(world.start, world.end))
    window = (world.end - world.start).days
    rows: list[dict[str, Any]] = []
    for rep, rid in enumerate(world.rep_ids):
        mine = np.flatnonzero(world.cust_rep == rep)
        for _ in range(int(rng.poisson(1.5 * months))):
            kind = MARKET_KINDS[int(rng.choice(5, p=MARKET_WEIGHTS))]
            day = world.start + timedelta(days=int(rng.integers(0, window + 1)))
            resolved = day + timedelta(days=int(rng.integers(1, 40)))
            with_customer = len(mine) > 0 and kind in ("complaint", "product_feedback", "personnel")
            options = MARKET_SUMMARIES[kind]
            rows.append(
                {
                    "report_id": f"MR{len(rows) + 1:07d}",
                    "date": day,
                    "rep_id": rid,
                    "customer_id": world.customer_ids[int(rng.choice(mine))]
                    if with_customer
                    else None,
                    "kind": kind,
                    "severity": str(rng.choice(["low", "medium", "high"], p=[0.5, 0.35, 0.15])),
                    "summary": options[int(rng.integers(0, len(options)))],
                    "status": "resolved" if resolved <= world.end else "open",
                    "resolved_on": resolved if resolved <= world.end else None,
                }
            )
    return rows


# ---------------------------------------------------------------- deal history

PUSH_DAYS = 30  # a pushed close moves a month


def _deal_history(
    opportunities: list[dict[str, Any]], stages: list[dict[str, Any]], end: date
) -> list[dict[str, Any]]:
    """Each deal's state at the end of each day something of it changed (db.deal_history):
    its stage entries, and for some deals a close pushed out once or twice and an amount
    changed once, so that "what changed" has pushes and amounts to show. Its own generator:
    the rest of the demo is the same with or without it."""
    rng = np.random.default_rng(len(opportunities))
    entries: dict[str, list[tuple[date, str]]] = {}
    for entry in stages:
        entries.setdefault(entry["opportunity_id"], []).append(
            (entry["entered_on"], entry["stage"])
        )
    rows: list[dict[str, Any]] = []
    for deal in opportunities:
        created, closed = deal["created_on"], deal["closed_on"]
        last = closed or end
        span = max((last - created).days, 1)
        still_open = deal["stage"] not in ("won", "lost")
        pushes = int(rng.choice([0, 1, 2], p=[0.7, 0.2, 0.1])) if still_open else 0
        push_days = sorted(created + timedelta(days=int(d))
                           for d in rng.integers(1, span + 1, pushes))  # fmt: skip
        changed_amount = rng.random() < 0.15 and span > 1
        amount_day = created + timedelta(days=int(rng.integers(1, span + 1)))
        first_amount = int(round(deal["amount_cents"] * rng.choice([0.8, 1.25]), -2))
        history = sorted(entries.get(deal["opportunity_id"], [(created, deal["stage"])]))
        days = sorted({created, *(d for d, _ in history), *push_days,
                       *([amount_day] if changed_amount else [])})  # fmt: skip
        for day in days:
            if day > end:
                continue
            stage = (
                [s for d, s in history if d <= day][-1] if history[0][0] <= day else history[0][1]
            )
            done = sum(1 for d in push_days if d <= day)
            rows.append({
                "opportunity_id": deal["opportunity_id"], "day": day, "rep_id": deal["rep_id"],
                "stage": stage,
                "amount_cents": deal["amount_cents"]
                if not changed_amount or day >= amount_day else first_amount,
                "expected_close": deal["expected_close"]
                - timedelta(days=PUSH_DAYS * (pushes - done)),
                "closed_on": closed if closed and day >= closed else None,
            })  # fmt: skip
    return rows
