"""Target arithmetic of docs/kpis.md#targets: attainment, variance, time elapsed, pace, projection,
required daily run-rate, and the target of any date range from monthly targets.

Ratios are 0–1 fractions (1.0 = 100 %). Every function returns ``None`` where docs/kpis.md calls
the value undefined (a target of 0 or none; no working days), never 0 or infinity.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from fractions import Fraction

from crm_core.periods import (
    WORKDAYS,
    Period,
    month_period,
    months_between,
    working_days,
    working_days_elapsed,
)


def attainment(actual: int | float, target: int | float | None) -> float | None:
    """actual / target; undefined when the target is 0 or missing."""
    if not target:
        return None
    return float(actual / target)


def variance(actual: int | float, target: int | float | None) -> int | float | None:
    """actual − target; undefined when the target is 0 or missing."""
    if not target:
        return None
    return actual - target


def time_elapsed(period: Period, as_of: date, workdays: frozenset[int] = WORKDAYS) -> float | None:
    """Working days elapsed (as-of day included) / working days in the period."""
    total = working_days(period, workdays)
    if total == 0:
        return None
    return working_days_elapsed(period, as_of, workdays) / total


def pace(attainment_value: float | None, elapsed: float | None) -> float | None:
    """attainment / time elapsed: 1.0 means on track to hit the target exactly."""
    if attainment_value is None or not elapsed:
        return None
    return attainment_value / elapsed


def projection(actual: int | float, elapsed: float | None) -> float | None:
    """actual / time elapsed: the period's result if the rate so far continues."""
    if not elapsed:
        return None
    return float(actual / elapsed)


def required_run_rate(
    target: int | float | None,
    actual: int | float,
    period: Period,
    as_of: date,
    workdays: frozenset[int] = WORKDAYS,
) -> float | None:
    """(target − actual) / remaining working days after ``as_of``; undefined without a target
    or when no working day remains."""
    if not target:
        return None
    remaining = working_days(period, workdays) - working_days_elapsed(period, as_of, workdays)
    if remaining <= 0:
        return None
    return (target - actual) / remaining


def target_for_range(
    monthly: Mapping[str, int], period: Period, workdays: frozenset[int] = WORKDAYS
) -> Fraction | None:
    """The target of ``period`` from monthly targets: Σ over the period's working days of
    (monthly target / working days of that month) — docs/kpis.md#targets weekly rule, for any range.
    Exact (a Fraction); ``None`` when no month of the range has a target."""
    months = months_between(period.start, period.end)
    if not any(month in monthly for month in months):
        return None
    total = Fraction(0)
    for month in months:
        if month not in monthly:
            continue
        whole = month_period(month)
        days = working_days(whole, workdays)
        inside = Period(max(whole.start, period.start), min(whole.end, period.end))
        if days:
            total += Fraction(monthly[month]) * working_days(inside, workdays) / days
    return total
