"""Target breakdown (目标分解, docs/kpis.md#targets): split a parent amount over children by
weights so the
children sum to the parent exactly, build the month × child grid, rebalance edits, and check
that every level of the target tree reconciles.

Amounts are integers (cents for money, counts for counts). Rounding is to a *unit* (1 = cent;
100 = yuan; 10,000 = hundred yuan; 100,000 = thousand yuan when amounts are cents).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

import pandas as pd

Weight = int | float | Fraction


class BreakdownError(ValueError):
    """An allocation or edit that cannot keep the tree reconciled; the message says why."""


def allocate(total: int, weights: Sequence[Weight], unit: int = 1) -> list[int]:
    """Split ``total`` over children in proportion to ``weights`` (largest-remainder method).

    Each child gets ``floor(quota)`` whole units, where quota = total × weight / Σ weights in
    units; the units left over go one each to the children with the largest fractional parts,
    ties to the earlier child. A part of ``total`` smaller than one unit goes to the child with
    the largest weight (the earliest of equals). The result sums to ``total`` exactly and is
    never negative. ¥1,000,000 over 12 equal months at unit ¥1 → the first four months
    ¥83,334, the other eight ¥83,333.
    """
    if total < 0:
        raise BreakdownError(f"a target cannot be negative, found {total}")
    if unit <= 0:
        raise BreakdownError(f"the rounding unit must be positive, found {unit}")
    if not weights:
        raise BreakdownError("nothing to split the target over")
    exact = [Fraction(w) for w in weights]
    if any(w < 0 for w in exact):
        raise BreakdownError("weights cannot be negative")
    weight_sum = sum(exact)
    if weight_sum == 0:
        raise BreakdownError("all weights are zero: choose another weight source")
    units, below_unit = divmod(total, unit)
    quotas = [units * w / weight_sum for w in exact]
    shares = [int(q) for q in quotas]  # floor: quotas are non-negative
    leftover = units - sum(shares)
    order = sorted(range(len(quotas)), key=lambda i: (-(quotas[i] - shares[i]), i))
    for index in order[:leftover]:
        shares[index] += 1
    amounts = [share * unit for share in shares]
    amounts[max(range(len(exact)), key=lambda i: (exact[i], -i))] += below_unit
    return amounts


def equal_weights(count: int) -> list[int]:
    return [1] * count


def weights_or_equal(weights: Sequence[Weight]) -> tuple[list[Weight], bool]:
    """The weights, or equal weights when they sum to zero (no history); the flag says which."""
    if sum(Fraction(w) for w in weights) > 0:
        return list(weights), False
    equal: list[Weight] = [*equal_weights(len(weights))]
    return equal, True


def grid(
    total: int,
    children: Sequence[str],
    child_weights: Sequence[Weight],
    months: Sequence[str],
    month_weights: Mapping[str, Sequence[Weight]] | Sequence[Weight],
    unit: int = 1,
) -> pd.DataFrame:
    """The month × child grid: ``total`` split over children, then each child's amount over
    the months (one weight list for all children, or one per child). Index: children;
    columns: months; every row sums to its child's share and the grid to ``total``."""
    per_child = allocate(total, child_weights, unit)
    rows = {}
    for child, amount in zip(children, per_child, strict=True):
        weights = month_weights[child] if isinstance(month_weights, Mapping) else month_weights
        rows[child] = allocate(amount, weights, unit)
    return pd.DataFrame.from_dict(rows, orient="index", columns=list(months)).astype("int64")


def set_cell(
    table: pd.DataFrame, child: str, month: str, value: int, unit: int = 1
) -> pd.DataFrame:
    """A new grid with ``table[child, month] = value``; the child's other months are rebalanced
    in proportion to their current amounts so the child's total stays the same. Refused when
    the value is negative or more than the child's total."""
    row_total = int(table.loc[child].sum())
    if value < 0:
        raise BreakdownError(f"{child} {month}: a target cannot be negative")
    if value > row_total:
        raise BreakdownError(
            f"{child} {month}: {value} is more than the total {row_total} it is part of"
        )
    others = [m for m in table.columns if m != month]
    current = [int(table.at[child, m]) for m in others]
    weights, _ = weights_or_equal(current)
    updated = table.copy()
    updated.at[child, month] = value
    for m, amount in zip(others, allocate(row_total - value, weights, unit), strict=True):
        updated.at[child, m] = amount
    return updated


def set_child_total(table: pd.DataFrame, child: str, value: int, unit: int = 1) -> pd.DataFrame:
    """A new grid where ``child`` totals ``value``: its months scale with their current shares;
    the other children give or take the difference in proportion to their totals so the grid
    total stays the same. Refused when that is impossible."""
    grand = int(table.to_numpy().sum())
    if value < 0 or value > grand:
        raise BreakdownError(f"{child}: the total must lie between 0 and {grand}")
    others = [c for c in table.index if c != child]
    if not others and value != grand:
        raise BreakdownError(f"{child} is the only child: its total must stay {grand}")
    updated = table.copy()
    updated.loc[child] = _scaled(table.loc[child], value, unit)
    other_totals = [int(table.loc[c].sum()) for c in others]
    weights, _ = weights_or_equal(other_totals)
    for other, amount in zip(
        others, allocate(grand - value, weights, unit) if others else [], strict=True
    ):
        updated.loc[other] = _scaled(table.loc[other], amount, unit)
    return updated


def _scaled(row: pd.Series, total: int, unit: int) -> list[int]:
    weights, _ = weights_or_equal([int(v) for v in row])
    return allocate(total, weights, unit)


MONEY_METRICS = frozenset({"revenue", "gross_margin", "collections"})


@dataclass(frozen=True)
class Mismatch:
    """One sum of the target tree that does not hold."""

    metric: str
    period: str
    parent: str
    parent_amount: int
    children_sum: int

    def __str__(self) -> str:
        return (
            f"target mismatch: {self.metric} {self.period} {self.parent} is "
            f"{self._shown(self.parent_amount)} but its parts sum to "
            f"{self._shown(self.children_sum)}"
        )

    def _shown(self, amount: int) -> str:
        """Money metrics (stored in fen) in yuan, counts as counts."""
        if self.metric in MONEY_METRICS:
            return f"¥{amount / 100:,.2f}"
        return f"{amount:,}"


def mismatches(targets: pd.DataFrame) -> list[Mismatch]:
    """Every broken sum of the tree company → region → rep, per metric, month and product.

    ``targets`` has columns ``period, metric, amount, region_id, rep_id, product_id`` (None
    for the empty levels). A level is only checked when both the parent row and at least one
    child row exist. Year and quarter totals are sums of months, so they cannot break."""
    frame = targets.astype(object).where(targets.notna(), None)
    found: list[Mismatch] = []
    keys = ["metric", "period", "product_id"]
    for (metric, period, product), group in frame.groupby(keys, dropna=False, sort=True):
        company = group[group.region_id.isna() & group.rep_id.isna()]
        regions = group[group.region_id.notna() & group.rep_id.isna()]
        reps = group[group.rep_id.notna()]
        label = f"{period}" + (f" {product}" if isinstance(product, str) else "")
        if len(company) and len(regions):
            found += _check(metric, label, "company", int(company.amount.sum()), regions.amount)
        for region, region_rows in regions.groupby("region_id"):
            mine = reps[reps.region_id == region]
            if len(mine):
                parent = f"region {region}"
                found += _check(metric, label, parent, int(region_rows.amount.sum()), mine.amount)
    return found


def _check(metric: str, period: str, parent: str, amount: int, parts: pd.Series) -> list[Mismatch]:
    total = int(parts.sum())
    return [] if total == amount else [Mismatch(metric, period, parent, amount, total)]


def split_columns(
    column_totals: Mapping[str, int],
    children: Sequence[str],
    weights: Sequence[Weight],
    unit: int = 1,
) -> pd.DataFrame:
    """Each column total (a region's month target) split over ``children`` (its reps) by the
    same weights. Index: children; columns: the months; every column sums to its total."""
    table = {month: allocate(total, weights, unit) for month, total in column_totals.items()}
    return pd.DataFrame(table, index=list(children)).astype("int64")


def set_cell_keep_column(
    table: pd.DataFrame, child: str, month: str, value: int, unit: int = 1
) -> pd.DataFrame:
    """Like :func:`set_cell`, but the *month's* total stays the same: the other children of
    that month are rebalanced (a manager cannot change the region total)."""
    return set_cell(table.T, month, child, value, unit).T


def unsplit_months(tree: pd.DataFrame, region_ids: Sequence[str]) -> list[str]:
    """Months where one of ``region_ids`` has a region target (no rep, no product) of some
    metric but no rep has a target of that metric yet: the manager still has to split them.
    ``tree``: target rows (``period, metric, region_id, rep_id, product_id``)."""
    if tree.empty:
        return []
    mine = tree[tree.region_id.isin(list(region_ids)) & tree.product_id.isna()]
    keys = list(zip(mine.period, mine.metric, mine.region_id, strict=True))
    split = {key for key, rep in zip(keys, mine.rep_id, strict=True) if rep is not None}
    return sorted(
        {key[0] for key, rep in zip(keys, mine.rep_id, strict=True)
         if rep is None and key not in split}
    )  # fmt: skip


def far_from_history(target: int, history: int, factor: float = 2.0) -> bool:
    """True when an annual ``target`` is more than ``factor`` times above or below what the
    last 12 months did (``history`` > 0): ¥12M for a company doing ¥1.21B is a slip of the
    pen, not a plan."""
    if history <= 0:
        return False
    return not history / factor <= target <= history * factor
