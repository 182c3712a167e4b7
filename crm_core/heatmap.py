"""The rep × month attainment heat map for large teams (docs/kpis.md#targets): reps in order of
their attainment over the months shown, a page at a time, and the month in progress judged by
pace rather than by attainment (a month half gone at 50 % is on track, not red)."""

from __future__ import annotations

import math

import pandas as pd

from crm_core import formatting as fmt
from crm_core.periods import shift_month
from crm_core.targets import change as relative_change

PAGE_SIZE = 40  # reps per page: 40 rows of 24 px fit a laptop screen with the axis on top


def rep_order(heat: pd.DataFrame) -> list[str]:
    """Reps of ``heat`` (``rep, month, target, actual``) by attainment over all its months —
    the sum of actuals over the sum of the defined targets — lowest first; reps with no target
    in any month last; ties by ID."""
    sums: dict[str, list[float]] = {}  # rep → [defined targets, their actuals]
    for rep, target, actual in zip(heat.rep, heat.target, heat.actual, strict=True):
        totals = sums.setdefault(str(rep), [0.0, 0.0])
        if not fmt.missing(target) and target > 0:
            totals[0] += float(target)
            totals[1] += 0.0 if fmt.missing(actual) else float(actual)
    ranked = sorted((actual / total if total else math.inf, rep) for rep, (total, actual) in
                    sums.items())  # fmt: skip
    return [rep for _, rep in ranked]


def pages(reps: list[str], size: int = PAGE_SIZE) -> int:
    """How many pages of ``size`` reps ``reps`` fill (at least one)."""
    return max(1, math.ceil(len(reps) / size))


def page_of(reps: list[str], page: int, size: int = PAGE_SIZE) -> list[str]:
    """The reps on ``page`` (1-based; out of range: the last page)."""
    page = min(max(1, page), pages(reps, size))
    return reps[(page - 1) * size : page * size]


def tiles(heat: pd.DataFrame, reps: list[str], month_in_progress: str | None) -> pd.DataFrame:
    """The rows of ``heat`` for ``reps`` in that order, with ``in_progress`` (the month is not
    over: coloured by ``pace``) and ``order`` (the rep's place)."""
    place = {rep: i for i, rep in enumerate(reps)}
    shown = heat[heat.rep.isin(place)].copy()
    shown["order"] = [place[r] for r in shown.rep]
    shown["in_progress"] = [m == month_in_progress for m in shown.month]
    return shown.sort_values(["order", "month"]).reset_index(drop=True)


def with_change(tiles: pd.DataFrame, earlier: pd.DataFrame, step: int) -> pd.DataFrame:
    """``tiles`` with ``compared``: the actual of the same rep ``step`` months before each
    tile's month (``earlier``: ``rep, month, compared``; 0 when nothing was sold then), and
    ``change`` = (actual − compared) ÷ compared, undefined without a compared actual."""
    found = {(r, m): int(v) for r, m, v in earlier[["rep", "month", "compared"]].itertuples(
        index=False)}  # fmt: skip
    compared = [found.get((r, shift_month(m, step)), 0) for r, m in zip(tiles.rep, tiles.month,
                                                                       strict=True)]  # fmt: skip
    change = [relative_change(int(a), b) for a, b in zip(tiles.actual, compared, strict=True)]
    return tiles.assign(compared=compared, change=change)
