"""Attainment by any key (rep, region, month, product) for a period (docs/kpis.md#targets).

For each key: target (the period's share of the monthly targets by working days), actual,
attainment, variance, time elapsed, pace, projection and required daily run-rate, each exactly
as :mod:`crm_core.targets` defines them. Money stays in cents; ratios are fractions; ``None``
marks an undefined value.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import pandas as pd

from crm_core import targets as rules
from crm_core.periods import Period, month_period

COLUMNS = [
    "target",
    "actual",
    "attainment",
    "variance",
    "time_elapsed",
    "pace",
    "projection",
    "required_run_rate",
]


def attainment_by(
    actuals: pd.DataFrame,
    targets: pd.DataFrame,
    keys: Sequence[str],
    metric: str,
    period: Period,
    as_of: date,
) -> pd.DataFrame:
    """One row per key combination found in ``actuals`` or ``targets``.

    ``actuals``: columns ``*keys`` and ``metric`` (the period's actuals). ``targets``: columns
    ``*keys, month, metric, target`` (monthly targets). With ``month`` among ``keys`` each row is
    a month cut to the period, so the time elapsed is the month's own. Sorted by keys."""
    keys = list(keys)
    actual = _actual_series(actuals, keys, metric).to_dict()  # a dict: one lookup per cell
    monthly = targets[targets.metric == metric] if len(targets) else targets
    by_key = _targets_by_key(monthly, keys)
    rows = []
    for key in sorted(set(actual) | set(_target_keys(monthly, keys)), key=_sortable):
        key_tuple = key if isinstance(key, tuple) else (key,)
        own = Period(period.start, period.end)
        if "month" in keys:
            month = key_tuple[keys.index("month")]
            whole = month_period(month)
            own = Period(max(whole.start, period.start), min(whole.end, period.end))
        months = by_key.get(tuple(_none_if_missing(v) for v in key_tuple), {})
        exact = rules.target_for_range(months, own)
        target: rules.Amount | None = exact
        if exact is not None and exact.denominator == 1:
            target = exact.numerator  # the same figures, in integer arithmetic
        rows.append((*key_tuple, *_measures(int(actual.get(key, 0)), target, own, as_of)))
    frame = pd.DataFrame(rows, columns=[*keys, *COLUMNS]).astype(object)
    return frame.where(frame.notna(), None)


def _sortable(key: object) -> tuple[Any, ...]:
    parts = key if isinstance(key, tuple) else (key,)
    return tuple("" if part is None else str(part) for part in parts)


def _actual_series(actuals: pd.DataFrame, keys: list[str], metric: str) -> pd.Series:
    if actuals.empty or metric not in actuals:
        return pd.Series(dtype="int64")
    grouped = actuals.groupby(keys, dropna=False)[metric].sum()
    return grouped


def _target_keys(monthly: pd.DataFrame, keys: list[str]) -> list[Any]:
    if monthly.empty:
        return []
    if keys == ["month"]:
        return list(monthly["month"].unique())
    return [
        tuple(row) if len(keys) > 1 else row[0]
        for row in monthly[keys].drop_duplicates().itertuples(index=False)
    ]


def _none_if_missing(value: object) -> object:
    return None if value is None or (isinstance(value, float) and value != value) else value


Key = tuple[Any, ...]  # the values of the keys of one row


def _targets_by_key(monthly: pd.DataFrame, keys: list[str]) -> dict[Key, dict[str, int]]:
    """Monthly targets per key combination (missing key values as ``None``), grouped once."""
    if monthly.empty:
        return {}
    columns = keys if "month" in keys else [*keys, "month"]
    grouped = monthly.groupby(columns, dropna=False)["target"].sum()
    found: dict[Key, dict[str, int]] = {}
    for index, total in grouped.items():
        values = dict(zip(columns, index if isinstance(index, tuple) else (index,), strict=True))
        key = tuple(_none_if_missing(values[name]) for name in keys)
        months = found.setdefault(key, {})
        months[str(values["month"])] = months.get(str(values["month"]), 0) + int(total)
    return found


def _measures(
    actual: int, target: rules.Amount | None, period: Period, as_of: date
) -> tuple[Any, ...]:
    """The values of :data:`COLUMNS`, in order."""
    elapsed = rules.time_elapsed(period, as_of)
    share = rules.attainment(actual, target)
    rate = rules.required_run_rate(target, actual, period, as_of)
    gap = rules.variance(actual, target)
    return (
        None if target is None else round(target),  # target
        actual,
        share,  # attainment
        None if gap is None else round(gap),  # variance
        elapsed,  # time elapsed
        rules.pace(share, elapsed),
        # a projection and a run-rate keep their fractions: 0.3 new customers a day is not 0
        # (money is cents, so a fraction of a cent; shown rounded to the yuan)
        rules.projection(actual, elapsed),
        None if rate is None else float(rate),  # required run-rate
    )
