"""The owner's view (docs/kpis.md#tracking-daily-weekly-monthly): revenue, gross margin,
collections and new customers against
target for a period, with attainment, variance, pace and the change on the previous period."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

import pandas as pd

from crm_core.periods import Period, month_period, months_before, months_between
from crm_core.targets import attainment, pace, target_for_range, time_elapsed, variance
from crm_core.vocabulary import MONEY_METRICS

OWNER_METRICS = ("revenue", "gross_margin", "collections", "new_customers")
MONEY = MONEY_METRICS


@dataclass(frozen=True)
class Result:
    """One metric of the owner's view. Money in cents; ratios as fractions; None = undefined."""

    metric: str
    actual: int
    target: int | None
    attainment: float | None
    variance: int | None
    time_elapsed: float | None
    pace: float | None
    previous: int
    change: float | None


def previous_period(period: Period) -> Period:
    """The period just before: the same number of whole months when ``period`` is whole
    months, else the same number of days."""
    months = months_between(period.start, period.end)
    whole = period.start.day == 1 and period.end == month_period(months[-1]).end
    if whole:
        last = period.start - timedelta(days=1)
        return Period(months_before(last, len(months) - 1), last)
    length = period.end - period.start + timedelta(days=1)
    return Period(period.start - length, period.start - timedelta(days=1))


def comparable_previous(period: Period, as_of: date) -> Period:
    """The previous period, cut to the same number of days as have elapsed when ``period`` is
    in progress (1–22 November is compared with 1–22 October, not all of October)."""
    previous = previous_period(period)
    if not period.contains(as_of) or as_of == period.end:
        return previous
    return Period(previous.start, min(previous.end, previous.start + (as_of - period.start)))


def owner_results(
    actual: Mapping[str, int],
    previous: Mapping[str, int],
    monthly_targets: Mapping[str, Mapping[str, int]],
    period: Period,
    as_of: date,
) -> list[Result]:
    """One :class:`Result` per owner metric. ``monthly_targets[metric][YYYY-MM]`` are the
    targets of the scope; a range that cuts months gets the working-day share of them."""
    elapsed = time_elapsed(period, as_of)
    results = []
    for metric in OWNER_METRICS:
        exact = target_for_range(monthly_targets.get(metric, {}), period)
        target = _rounded(exact)
        now, before = int(actual.get(metric, 0)), int(previous.get(metric, 0))
        share = attainment(now, exact)
        results.append(
            Result(
                metric=metric,
                actual=now,
                target=target,
                attainment=share,
                variance=_rounded(variance(now, exact)),
                time_elapsed=elapsed,
                pace=pace(share, elapsed),
                previous=before,
                change=(now - before) / before if before else None,
            )
        )
    return results


def _rounded(value: Fraction | int | float | None) -> int | None:
    return None if value is None else round(value)


def actual_vs_target_by_month(
    actuals: pd.DataFrame, targets: pd.DataFrame, metric: str, months: list[str]
) -> pd.DataFrame:
    """Columns ``month, actual, target, attainment`` for ``metric`` over ``months``;
    ``actuals`` has ``month`` and metric columns, ``targets`` has ``month, metric, target``."""
    actual = actuals.set_index("month")[metric] if len(actuals) else pd.Series(dtype="int64")
    chosen = targets[targets.metric == metric].set_index("month")["target"]
    frame = pd.DataFrame({"month": months})
    frame["actual"] = [int(actual.get(m, 0)) for m in months]
    frame["target"] = [int(chosen[m]) if m in chosen.index else None for m in months]
    frame["attainment"] = [
        attainment(a, t) for a, t in zip(frame.actual, frame.target, strict=True)
    ]
    return frame
