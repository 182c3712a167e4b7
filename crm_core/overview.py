"""The owner's view (docs/kpis.md#tracking-daily-weekly-monthly): revenue, gross margin,
collections and new customers against
target for a period, with attainment, variance, pace and the change on what it is compared
with: the target, the period before or the same period last year."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

import pandas as pd

from crm_core.periods import (
    Period,
    elapsed_working_days,
    first_working_days,
    month_period,
    months_before,
    months_between,
    shift_month,
    years_before,
)
from crm_core.targets import attainment, pace, target_for_range, time_elapsed, variance
from crm_core.targets import change as relative_change
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


# what the figures of Overview, Targets and Monthly are set against (issue 40.3)
COMPARISONS = ("target", "previous", "last_year")
# months back from a month to the one it is compared with (not the target)
MONTHS_BACK = {"previous": -1, "last_year": -12}


def same_period_last_year(period: Period) -> Period:
    """``period`` a year earlier: whole months stay whole (February 2025 for February 2026,
    29 February included in a leap year), other ranges move day by day."""
    months = months_between(period.start, period.end)
    if period.start.day == 1 and period.end == month_period(months[-1]).end:
        return Period(month_period(shift_month(months[0], -12)).start,
                      month_period(shift_month(months[-1], -12)).end)  # fmt: skip
    return Period(years_before(period.start), years_before(period.end))


def comparison_period(kind: str, period: Period, as_of: date) -> Period | None:
    """The period ``period`` is compared with (``None`` for the target): the period before or
    the same period last year, cut to as many working days as have elapsed when ``period`` is
    in progress (1–18 November 2026, 13 working days, against 1–19 October, its first 13),
    as the Monthly page does."""
    if kind == "target":
        return None
    earlier = previous_period(period) if kind == "previous" else same_period_last_year(period)
    return first_working_days(earlier, elapsed_working_days(period, as_of))


def comparable_previous(period: Period, as_of: date) -> Period:
    """The period before ``period``, cut to the same elapsed working days
    (:func:`comparison_period`)."""
    return first_working_days(previous_period(period), elapsed_working_days(period, as_of))


def owner_results(
    actual: Mapping[str, int],
    previous: Mapping[str, int],
    monthly_targets: Mapping[str, Mapping[str, int]],
    period: Period,
    as_of: date,
    compare: str = "previous",
) -> list[Result]:
    """One :class:`Result` per owner metric. ``monthly_targets[metric][YYYY-MM]`` are the
    targets of the scope; a range that cuts months gets the working-day share of them.
    ``previous`` holds the actuals of the comparison period; with ``compare="target"`` the
    result's ``previous`` is the target instead and ``change`` how far ahead of or behind it
    the period is for the time elapsed (pace − 1: the variance on the target once the period
    is over, and no red for a month barely begun)."""
    elapsed = time_elapsed(period, as_of)
    results = []
    for metric in OWNER_METRICS:
        exact = target_for_range(monthly_targets.get(metric, {}), period)
        target = _rounded(exact)
        now, before = int(actual.get(metric, 0)), int(previous.get(metric, 0))
        share = attainment(now, exact)
        on_pace = pace(share, elapsed)
        change = relative_change(now, before)
        if compare == "target":  # ahead of or behind the target for the time elapsed
            before, change = target or 0, None if on_pace is None else float(on_pace) - 1
        results.append(
            Result(
                metric=metric,
                actual=now,
                target=target,
                attainment=share,
                variance=_rounded(variance(now, exact)),
                time_elapsed=elapsed,
                pace=on_pace,
                previous=before,
                change=change,
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


def trend_compared(
    actuals: pd.DataFrame, targets: pd.DataFrame, metric: str, months: list[str], compare: str
) -> pd.DataFrame:
    """:func:`actual_vs_target_by_month` with ``target`` holding what each month is compared
    with: its target, the actual of the month before, or of the same month a year before
    (``actuals`` then reach that far back; a month without sales is 0), and ``change`` on it."""
    frame = actual_vs_target_by_month(actuals, targets, metric, months)
    if compare != "target":
        sold = actuals.set_index("month")[metric] if len(actuals) else pd.Series(dtype="int64")
        back = MONTHS_BACK[compare]
        frame["target"] = [int(sold.get(shift_month(m, back), 0)) for m in months]
    frame["change"] = [
        relative_change(a, b) for a, b in zip(frame.actual, frame.target, strict=True)
    ]
    return frame
