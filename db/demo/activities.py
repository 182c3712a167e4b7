"""Calls and visits (with tomorrow's plan) and the daily reports."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any

import numpy as np

from crm_core.periods import is_working_day, next_working_day
from db.demo.world import (
    COMPETITOR_INFO,
    DAILY_SUMMARIES,
    FEEDBACK,
    OUTCOMES,
    PURPOSE_WEIGHTS,
    PURPOSES,
    World,
)

# ---------------------------------------------------------------- activities


def _activities(world: World) -> Iterable[dict[str, Any]]:
    """Per rep and working day a Poisson number of calls and visits; tomorrow's plan too."""
    rng = world.rng
    plan_day = next_working_day(world.end)
    workdays = [d for d in world.days if is_working_day(d)] + [plan_day]
    weights = np.select(
        [world.cust_priority == "key", world.cust_priority == "normal"], [4.0, 2.0], 1.0
    )
    # Reps neglect some customers (about one in five normal or low-priority ones, one key
    # customer in two hundred gets almost no attention), so contact cadence has customers to
    # flag and a few reps stand out; the others get more or less attention at random.
    neglect = np.where(world.cust_priority == "key", 0.005, 0.2)
    neglected = rng.random(len(weights)) < neglect
    weights = weights * np.where(neglected, 0.003, rng.lognormal(0, 0.5, len(weights)))
    serial = itertools.count(1)
    for rep in range(len(world.rep_ids)):
        mine = np.flatnonzero(world.cust_rep == rep)
        if len(mine) == 0:
            continue
        counts = rng.poisson(world.rep_rate[rep], len(workdays))
        day_of = np.repeat(np.arange(len(workdays)), counts)
        yield from _rep_activities(
            world, rep, mine, weights[mine], day_of, workdays, plan_day, serial
        )


def _rep_activities(
    world: World,
    rep: int,
    mine: np.ndarray,
    weights: np.ndarray,
    day_of: np.ndarray,
    workdays: list[date],
    plan_day: date,
    serial: Iterable[int],
) -> Iterable[dict[str, Any]]:
    rng, n = world.rng, len(day_of)
    customers = rng.choice(mine, n, p=weights / weights.sum())
    is_call = rng.random(n) < 0.55
    purpose = rng.choice(len(PURPOSES), n, p=PURPOSE_WEIGHTS)
    planned = rng.random(n) < 0.8
    done = ~planned | (rng.random(n) < world.rep_discipline[rep])
    outcome = _outcomes(rng, is_call, world.rep_conv[rep])
    duration = np.where(is_call, rng.integers(3, 21, n), rng.integers(30, 151, n))
    cost = np.where(is_call, rng.integers(200, 501, n), rng.integers(3_000, 30_001, n))
    today_open = rng.random(n) < 0.5
    counter = iter(serial)
    for i in range(n):
        day = workdays[day_of[i]]
        future = day == plan_day or (day == world.end and planned[i] and today_open[i])
        if future and not planned[i]:
            continue
        status = "planned" if future else ("done" if done[i] else "missed")
        yield {
            "activity_id": f"A{next(counter):09d}",
            "date": day,
            "rep_id": world.rep_ids[rep],
            "customer_id": world.customer_ids[customers[i]],
            "kind": "call" if is_call[i] else "visit",
            "purpose": PURPOSES[purpose[i]],
            "status": status,
            "planned": bool(planned[i]),
            "outcome": outcome[i] if status == "done" else None,
            "duration_min": int(duration[i]) if status == "done" else None,
            "cost_cents": int(cost[i]) if status == "done" else None,
            "notes": None,
        }


def _outcomes(rng: np.random.Generator, is_call: np.ndarray, conv: float) -> np.ndarray:
    """Furthest funnel step: calls ≈ 100 → 50 → 13 → 12 → 5; visits reach people more often."""
    n = len(is_call)
    boost = np.sqrt(conv)
    p_contact = np.where(is_call, 0.50, 0.85)
    p_appointment = np.where(is_call, 0.26, 0.45) * boost
    p_presentation = np.where(is_call, 0.95, 0.90)
    p_sale = np.clip(np.where(is_call, 0.38, 0.30) * boost, 0, 0.9)
    steps = np.stack([p_contact, p_appointment, p_presentation, p_sale])
    passed = np.cumprod(rng.random((4, n)) < steps, axis=0)
    return OUTCOMES[passed.sum(axis=0)]


# ---------------------------------------------------------------- daily reports


def _daily_reports(world: World) -> Iterable[dict[str, Any]]:
    rng = world.rng
    workdays = [d for d in world.days if is_working_day(d)]
    serial = itertools.count(1)
    for rep, rid in enumerate(world.rep_ids):
        lead = world.rep_ids[world.rep_region[rep]]
        punctual = world.rep_punctuality[rep]
        missing = rng.random(len(workdays)) < (1 - punctual) * 0.3
        on_time = rng.random(len(workdays)) < punctual
        minutes = np.where(
            on_time,
            rng.integers(17 * 60, 20 * 60, len(workdays)),
            rng.integers(20 * 60 + 1, 24 * 60 + 9 * 60, len(workdays)),
        )
        verdict = rng.choice(2, len(workdays), p=[0.94, 0.06])
        texts = rng.integers(0, 4, (3, len(workdays)))
        for i, day in enumerate(workdays):
            if missing[i] or (day == world.end and not on_time[i]):
                continue
            submitted = datetime.combine(day, time()) + timedelta(minutes=int(minutes[i]))
            reviewed = (world.end - day).days > 2
            status = ("approved" if verdict[i] == 0 else "returned") if reviewed else "submitted"
            yield {
                "report_id": f"DR{next(serial):08d}",
                "rep_id": rid,
                "date": day,
                "submitted_at": submitted,
                "summary": DAILY_SUMMARIES[texts[0, i]],
                "competitor_info": COMPETITOR_INFO[texts[1, i]] or None,
                "customer_feedback": FEEDBACK[texts[2, i]] or None,
                "status": status,
                "reviewed_by": lead if reviewed else None,
                "reviewed_at": submitted + timedelta(hours=14) if reviewed else None,
                "review_comment": "请补充客户反馈细节" if status == "returned" else None,
            }
