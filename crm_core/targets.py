"""Target arithmetic of docs/kpis.md#targets: attainment, variance, time elapsed, pace, projection,
required daily run-rate, and the target of any date range from monthly targets.

Ratios are 0–1 fractions (1.0 = 100 %). Every function returns ``None`` where docs/kpis.md calls
the value undefined (a target of 0 or none; no working days), never 0 or infinity.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from datetime import date
from fractions import Fraction

import pandas as pd

from crm_core.periods import (
    WORKDAYS,
    Period,
    month_period,
    months_between,
    working_days,
    working_days_elapsed,
)

# a sum of money or a count: exact (a Fraction of a month's target) or measured
Amount = int | float | Fraction


def attainment(actual: Amount, target: Amount | None) -> float | None:
    """actual / target; undefined when the target is 0 or missing."""
    if not target:
        return None
    return float(actual / target)


def variance(actual: Amount, target: Amount | None) -> Amount | None:
    """actual − target; undefined when the target is 0 or missing."""
    if not target:
        return None
    return actual - target


@functools.lru_cache(maxsize=4096)  # the same few periods for every rep of a table
def time_elapsed(period: Period, as_of: date, workdays: frozenset[int] = WORKDAYS) -> float | None:
    """Working days elapsed (as-of day included) / working days in the period."""
    total = working_days(period, workdays)
    if total == 0:
        return None
    return working_days_elapsed(period, as_of, workdays) / total


def change(now: Amount, before: Amount | None) -> float | None:
    """(now − before) ÷ before: the change on what ``now`` is compared with; ``None`` when
    there is nothing to compare with (0 or absent)."""
    if not before:
        return None
    return float((now - before) / before)


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
    target: Amount | None,
    actual: Amount,
    period: Period,
    as_of: date,
    workdays: frozenset[int] = WORKDAYS,
) -> Amount | None:
    """(target − actual) / remaining working days after ``as_of``; undefined without a target
    or when no working day remains."""
    if not target:
        return None
    remaining = remaining_working_days(period, as_of, workdays)
    if remaining <= 0:
        return None
    return (target - actual) / remaining


@functools.lru_cache(maxsize=4096)
def remaining_working_days(period: Period, as_of: date, workdays: frozenset[int] = WORKDAYS) -> int:
    """Working days of ``period`` after ``as_of``."""
    return working_days(period, workdays) - working_days_elapsed(period, as_of, workdays)


def target_for_range(
    monthly: Mapping[str, int], period: Period, workdays: frozenset[int] = WORKDAYS
) -> Fraction | None:
    """The target of ``period`` from monthly targets: Σ over the period's working days of
    (monthly target / working days of that month) — docs/kpis.md#targets weekly rule, for any range.
    Exact (a Fraction); ``None`` when no month of the range has a target."""
    shares = _month_shares(period, workdays)
    if not any(month in monthly for month, _ in shares):
        return None
    whole = 0  # the months wholly inside, summed as integers (a Fraction sum is slow)
    parts = Fraction(0)
    for month, share in shares:
        if month not in monthly or share is None:
            continue
        value = monthly[month]
        if share == 1 and isinstance(value, int):
            whole += value
        else:
            parts += Fraction(value) * share
    return parts + whole


@functools.lru_cache(maxsize=4096)  # the same few periods for every rep of a table
def _month_shares(
    period: Period, workdays: frozenset[int]
) -> tuple[tuple[str, Fraction | None], ...]:
    """Each month of ``period`` with the share of its working days inside ``period`` (None for a
    month without working days)."""
    shares = []
    for month in months_between(period.start, period.end):
        whole = month_period(month)
        days = working_days(whole, workdays)
        inside = Period(max(whole.start, period.start), min(whole.end, period.end))
        shares.append((month, Fraction(working_days(inside, workdays), days) if days else None))
    return tuple(shares)


TARGET_ROW_COLUMNS = ["month", "metric", "region", "rep", "product", "target"]


def rolled_up_targets(rows: pd.DataFrame, level: str, by: Sequence[str]) -> pd.DataFrame:
    """Targets at ``level`` (``company``, ``region`` or ``rep``) summed by ``by`` (any of
    ``month, region, rep, product``) with ``metric``, filling a missing total from the level
    below: a region without its own target for a month and metric gets the sum of its reps'
    targets, the company without one the sum of the regions' (own or rolled up).

    ``rows``: one target row each, columns ``month, metric, region, rep, product, target``
    (``region`` and ``rep`` None above their level). Returns ``*by, metric, target,
    rolled_up`` — ``rolled_up`` is True when any part of the row's target is such a sum."""
    keys = ["month", "metric", "product"]
    rows = rows.astype(object).where(rows.notna(), None)
    reps = rows[rows.rep.notna()].assign(rolled_up=False)
    regions = rows[rows.region.notna() & rows.rep.isna()].assign(rolled_up=False)
    company = rows[rows.region.isna() & rows.rep.isna()].assign(rolled_up=False)
    if level != "rep":  # the levels above are filled only when asked for
        regions = _fill(regions, reps, [*keys, "region"])
    if level == "company":
        company = _fill(company, regions, keys)
    chosen = {"rep": reps, "region": regions, "company": company}[level]
    columns = [*by, "metric"]
    if chosen.empty:
        return pd.DataFrame(columns=[*columns, "target", "rolled_up"])
    grouped = chosen.assign(target=chosen.target.astype("int64")).groupby(
        columns, dropna=False, sort=True
    )
    table = grouped.agg(target=("target", "sum"), rolled_up=("rolled_up", "any")).reset_index()
    table[columns] = table[columns].astype(object).where(table[columns].notna(), None)
    return table


def _fill(totals: pd.DataFrame, parts: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """``totals`` plus, for each ``keys`` group of ``parts`` without a total, the parts' sum."""
    if parts.empty:
        return totals
    have = {tuple(k) for k in totals[keys].itertuples(index=False)} if len(totals) else set()
    summed = (
        parts.assign(target=parts.target.astype("int64"))
        .groupby(keys, dropna=False)
        .target.sum()
        .reset_index()
    )
    summed[keys] = summed[keys].astype(object).where(summed[keys].notna(), None)
    missing = summed[[tuple(k) not in have for k in summed[keys].itertuples(index=False)]]
    if missing.empty:
        return totals
    filled = missing.assign(rolled_up=True)
    for column in ("region", "rep"):
        if column not in filled:
            filled[column] = None
    return pd.concat([totals, filled], ignore_index=True)
