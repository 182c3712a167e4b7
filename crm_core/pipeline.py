"""Pipeline health (docs/kpis.md#pipeline-health, the source texts' 漏斗管理).

Stages in order: identified → contacted → qualified → developed → committed, then won or lost.
Money is in integer cents; ratios are 0–1 fractions; ``None`` marks an undefined value (an empty
pipeline has no win rate, not a win rate of 0).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

STAGES = ("identified", "contacted", "qualified", "developed", "committed")
PROGRESS = (*STAGES, "won")  # the order a deal moves in; lost is an exit, not progress
DEFAULT_PROBABILITIES: Mapping[str, float] = {
    "identified": 0.10,
    "contacted": 0.20,
    "qualified": 0.40,
    "developed": 0.60,
    "committed": 0.90,
}
DEFAULT_STALE_DAYS = 30
COVERAGE_RULE = 3.0  # the rule of thumb: three times the remaining target in the pipeline


def probabilities_from(text: str | None) -> dict[str, float]:
    """Stage probabilities from ``"10,20,40,60,90"`` (percent, one per open stage in order);
    ``None`` or empty gives the defaults. Anything else is a ``ValueError`` saying what was
    expected."""
    if not text or not text.strip():
        return dict(DEFAULT_PROBABILITIES)
    parts = [part.strip() for part in text.split(",")]
    try:
        numbers = [float(part) for part in parts]
    except ValueError:
        numbers = []
    if len(numbers) != len(STAGES) or not all(0 <= n <= 100 for n in numbers):
        raise ValueError(
            f"stage probabilities: expected {len(STAGES)} percentages 0–100 separated by commas "
            f"(identified…committed, e.g. 10,20,40,60,90), found {text!r}"
        )
    return {stage: n / 100 for stage, n in zip(STAGES, numbers, strict=True)}


def stale_limits_from(text: str | None) -> dict[str, int]:
    """Days without a stage change before a deal is stale: one number for every stage, or one
    per open stage in order (``"30"`` or ``"14,21,30,30,14"``); ``None`` gives 30 days."""
    if not text or not text.strip():
        return dict.fromkeys(STAGES, DEFAULT_STALE_DAYS)
    parts = [part.strip() for part in text.split(",")]
    if not all(part.isdigit() for part in parts) or len(parts) not in (1, len(STAGES)):
        raise ValueError(
            f"stale limits: expected whole days, one or {len(STAGES)} separated by commas, "
            f"found {text!r}"
        )
    days = [int(part) for part in parts] * (len(STAGES) if len(parts) == 1 else 1)
    return dict(zip(STAGES, days, strict=True))


def weighted(amount: int, probability: float) -> int:
    """``amount × probability`` in cents, rounded half up (exact, no binary-float drift)."""
    exact = Decimal(int(amount)) * Decimal(str(probability))
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def open_pipeline(
    deals: pd.DataFrame, probabilities: Mapping[str, float] = DEFAULT_PROBABILITIES
) -> pd.DataFrame:
    """Open pipeline per stage (docs/kpis.md#pipeline-health): ``stage, count, amount, probability,
    weighted``,
    every stage in order even when empty, then a ``total`` row. ``deals``: ``stage, amount``.
    Weighted = stage amount × stage probability."""
    rows = []
    for stage in STAGES:
        mine = deals.amount[deals.stage == stage] if len(deals) else []
        amount = int(sum(int(a) for a in mine))
        p = probabilities[stage]
        rows.append((stage, len(mine), amount, p, weighted(amount, p)))
    table = pd.DataFrame(rows, columns=["stage", "count", "amount", "probability", "weighted"])
    total = ("total", int(table["count"].sum()), int(table.amount.sum()), None)
    table.loc[len(table)] = (*total, int(table.weighted.sum()))
    return table.astype({"probability": object})


def stage_conversion(
    furthest: Mapping[str, int], stays: Mapping[str, tuple[int, int]]
) -> pd.DataFrame:
    """Cohort stage conversion and average days in stage (docs/kpis.md#pipeline-health).

    ``furthest``: how many deals reached each of :data:`PROGRESS` as their furthest stage (a lost
    deal counts at the last stage it entered). A deal that reached a stage passed every earlier
    one, so skipped stages count as passed: ``entered(k)`` = deals whose furthest stage is k or
    later, ``advanced(k)`` = those whose furthest stage is later than k, ``conversion`` =
    advanced / entered (``None`` when none entered). ``stays``: stage → (total days, number of
    finished stays) of the stays that ended by the as-of date; ``avg_days`` = days / stays.
    Columns ``stage, entered, advanced, conversion, avg_days``."""
    reached = [int(furthest.get(stage, 0)) for stage in PROGRESS]
    rows = []
    for index, stage in enumerate(STAGES):
        entered, advanced = sum(reached[index:]), sum(reached[index + 1 :])
        days, count = stays.get(stage, (0, 0))
        rows.append(
            (
                stage,
                entered,
                advanced,
                advanced / entered if entered else None,
                days / count if count else None,
            )
        )
    frame = pd.DataFrame(rows, columns=["stage", "entered", "advanced", "conversion", "avg_days"])
    return frame.astype({"conversion": object, "avg_days": object})


def stale(
    deals: pd.DataFrame, as_of: date, limits: Mapping[str, int] | None = None
) -> pd.DataFrame:
    """Open deals that are rotting (docs/kpis.md#pipeline-health): no stage change for longer than
    the stage's
    limit (default :data:`DEFAULT_STALE_DAYS`; ``days_in_stage > limit``), or the expected close
    passed while open (``expected_close < as_of``). ``deals``: at least ``stage, stage_since,
    expected_close, amount``. Adds ``days_in_stage``, ``days_overdue`` (0 when not overdue) and
    ``reason`` (``no_change``, ``overdue`` or ``both``); sorted by amount, largest first."""
    limits = limits or {}
    if deals.empty:
        return deals.assign(days_in_stage=[], days_overdue=[], reason=[])
    in_stage = [(as_of - since).days for since in deals.stage_since]
    overdue = [max((as_of - close).days, 0) for close in deals.expected_close]
    still = [
        days > limits.get(stage, DEFAULT_STALE_DAYS)
        for days, stage in zip(in_stage, deals.stage, strict=True)
    ]
    reasons = [
        "both" if s and o else "no_change" if s else "overdue" if o else None
        for s, o in zip(still, overdue, strict=True)
    ]
    marked = deals.assign(days_in_stage=in_stage, days_overdue=overdue, reason=reasons)
    rotting = marked[marked.reason.notna()]
    return rotting.sort_values(
        ["amount", "days_in_stage", "opportunity_id"], ascending=[False, False, True]
    ).reset_index(drop=True)


@dataclass(frozen=True)
class Closings:
    """Deals closed in a period: counts, the won amount and the won deals' total cycle days
    (created → won)."""

    won: int = 0
    lost: int = 0
    won_amount: int = 0
    cycle_days: int = 0


def win_rate(closed: Closings) -> float | None:
    """won / (won + lost), of deals closed in the period; ``None`` when none closed."""
    decided = closed.won + closed.lost
    return closed.won / decided if decided else None


def average_deal(closed: Closings) -> float | None:
    """Average won amount (cents); ``None`` when nothing was won."""
    return closed.won_amount / closed.won if closed.won else None


def cycle_length(closed: Closings) -> float | None:
    """Average days from created to won; ``None`` when nothing was won."""
    return closed.cycle_days / closed.won if closed.won else None


def velocity(open_count: int, closed: Closings) -> float | None:
    """Sales velocity (cents per day) = open deals × win rate × average deal / cycle days;
    ``None`` when any factor is undefined or the cycle is 0 days."""
    rate, deal, cycle = win_rate(closed), average_deal(closed), cycle_length(closed)
    if rate is None or deal is None or not cycle:
        return None
    return open_count * rate * deal / cycle


def trend(closings: Mapping[str, Closings], open_counts: Mapping[str, int]) -> pd.DataFrame:
    """Per month (``closings`` keys, in order): ``month, won, lost, win_rate, average_deal,
    cycle_days, open, velocity`` with ``open`` the deals open at the month's end."""
    rows = []
    for month, closed in closings.items():
        count = int(open_counts.get(month, 0))
        rows.append(
            {
                "month": month,
                "won": closed.won,
                "lost": closed.lost,
                "win_rate": win_rate(closed),
                "average_deal": average_deal(closed),
                "cycle_days": cycle_length(closed),
                "open": count,
                "velocity": velocity(count, closed),
            }
        )
    columns = ["month", "won", "lost", "win_rate", "average_deal", "cycle_days", "open"]
    return pd.DataFrame(rows, columns=[*columns, "velocity"], dtype=object)


def expected_in(
    deals: pd.DataFrame,
    start: date,
    end: date,
    key: str,
    probabilities: Mapping[str, float] = DEFAULT_PROBABILITIES,
) -> pd.DataFrame:
    """Open deals expected to close ``start``–``end`` summed by ``key``: ``key, deals,
    pipeline, weighted`` (cents). ``deals``: ``key, stage, amount, expected_close``."""
    inside = (
        deals[(deals.expected_close >= start) & (deals.expected_close <= end)]
        if len(deals)
        else deals
    )
    sums: dict[str, list[int]] = {}
    for who, stage, amount in zip(inside[key], inside.stage, inside.amount, strict=True):
        row = sums.setdefault(who, [0, 0, 0])
        row[0] += 1
        row[1] += int(amount)
        row[2] += weighted(int(amount), probabilities[stage])
    rows = [(who, *values) for who, values in sorted(sums.items())]
    return pd.DataFrame(rows, columns=[key, "deals", "pipeline", "weighted"])


def coverage_status(target: int | None, remaining: int | None, coverage: float | None) -> str:
    """``no_target``, ``met`` (nothing remains), ``short`` (below 1×), ``thin`` (below 3×) or
    ``ok``."""
    if not target:
        return "no_target"
    if remaining == 0:
        return "met"
    if coverage is None or coverage < 1:
        return "short"
    return "thin" if coverage < COVERAGE_RULE else "ok"


def coverage(targets: pd.DataFrame, expected: pd.DataFrame, key: str) -> pd.DataFrame:
    """Coverage and forecast per ``key`` for one period (docs/kpis.md#pipeline-health).

    ``targets``: ``key, target, actual`` (the period's target and the actual to date, cents);
    ``expected``: :func:`expected_in` for the period. Per key: remaining = max(target − actual,
    0); coverage = pipeline / remaining (``None`` when nothing remains or there is no target);
    forecast = actual + weighted; forecast_attainment = forecast / target (``None`` without a
    target); status per :func:`coverage_status`. Keys found in either input; sorted by
    coverage, thinnest first (undefined last)."""
    plan = {k: (t, a) for k, t, a in zip(targets[key], targets.target, targets.actual, strict=True)}
    open_ = {
        k: (p, w)
        for k, p, w in zip(expected[key], expected.pipeline, expected.weighted, strict=True)
    }
    rows = []
    for who in sorted(set(plan) | set(open_)):
        target, actual = (0 if pd.isna(v) else int(v) for v in plan.get(who, (0, 0)))
        pipeline, weight = open_.get(who, (0, 0))
        remaining = max(target - actual, 0) if target else None
        ratio = pipeline / remaining if remaining else None
        forecast = actual + weight
        rows.append(
            {
                key: who,
                "target": target or None,
                "actual": actual,
                "remaining": remaining,
                "pipeline": int(pipeline),
                "coverage": ratio,
                "status": coverage_status(target, remaining, ratio),
                "weighted": int(weight),
                "forecast": forecast,
                "forecast_attainment": forecast / target if target else None,
            }
        )
    columns = [key, "target", "actual", "remaining", "pipeline", "coverage", "status"]
    frame = pd.DataFrame(
        rows, columns=[*columns, "weighted", "forecast", "forecast_attainment"], dtype=object
    )
    order = sorted(
        range(len(frame)),
        key=lambda i: (rows[i]["coverage"] is None, rows[i]["coverage"] or 0, str(rows[i][key])),
    )
    return frame.iloc[order].reset_index(drop=True)
