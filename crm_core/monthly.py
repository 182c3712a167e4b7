"""The monthly tier (docs/kpis.md#tracking-daily-weekly-monthly): attainment with rank,
month-over-month and year-over-year,
and the customer base change of a month."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


def ranked(
    this_month: pd.DataFrame, previous: pd.DataFrame, last_year: pd.DataFrame, key: str
) -> pd.DataFrame:
    """``this_month`` (from the targets table: ``key, target, actual, attainment, …``) with
    ``rank`` (1 = highest attainment; rows without a target last, unranked), ``mom`` =
    actual / previous month's actual − 1 and ``yoy`` = actual / same month last year − 1
    (``None`` when the earlier actual is 0 or absent). ``previous`` and ``last_year``:
    ``key, actual``."""
    frame = this_month.copy()
    before = dict(zip(previous[key], previous.actual, strict=True)) if len(previous) else {}
    year_ago = dict(zip(last_year[key], last_year.actual, strict=True)) if len(last_year) else {}
    frame["mom"] = [
        _growth(a, before.get(k)) for k, a in zip(frame[key], frame.actual, strict=True)
    ]
    frame["yoy"] = [
        _growth(a, year_ago.get(k)) for k, a in zip(frame[key], frame.actual, strict=True)
    ]
    shares, names = frame.attainment.tolist(), frame[key].tolist()
    order = sorted(
        (i for i, share in enumerate(shares) if share is not None and pd.notna(share)),
        key=lambda i: (-float(shares[i]), str(names[i])),
    )
    ranks: list[int | None] = [None] * len(frame)
    for position, index in enumerate(order, start=1):
        ranks[index] = position
    frame["rank"] = ranks
    frame = frame.astype(object)
    return (
        frame.where(frame.notna(), None)
        .sort_values("rank", key=lambda r: r.map(lambda v: 10**9 if v is None else v))
        .reset_index(drop=True)
    )


def _growth(now: int, before: int | None) -> float | None:
    if before is None or not before:
        return None
    return int(now) / int(before) - 1


@dataclass(frozen=True)
class BaseChange:
    """Customer base change of a month (docs/kpis.md#tracking-daily-weekly-monthly, #customers).

    ``active_start`` / ``active_end``: customers with an order in the 12 months before the
    month / up to its last day; ``new``: first order ever in the month; ``lapsed``: active at
    the start, not at the end (their last order just passed 12 months); ``attrition``: of the
    customers active 12 months before the month's end, the share with no order in the 12 months
    since (docs/kpis.md#customers attrition for the year ending with the month)."""

    active_start: int
    active_end: int
    new: int
    lapsed: int
    attrition: float | None


def base_change(
    active_start: set[str],
    active_end: set[str],
    new: set[str],
    active_year_before: set[str],
) -> BaseChange:
    lost_in_year = active_year_before - active_end
    return BaseChange(
        active_start=len(active_start),
        active_end=len(active_end),
        new=len(new),
        lapsed=len(active_start - active_end),
        attrition=len(lost_in_year) / len(active_year_before) if active_year_before else None,
    )
