"""Customer classification (docs/kpis.md#customers, the source texts' 客户分类): ABC by Pareto,
value tiers,
prospect grades, the share-of-wallet × potential matrix, MVC / MGC / BZC, attrition.

Money in integer cents; shares are 0–1 fractions; the class thresholds are compared exactly
(``Fraction``), so a customer whose predecessors hold exactly 80 % is B, not A.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import pandas as pd

from crm_core.settings import ABC_THRESHOLDS

YUAN = 100
TIER_THRESHOLDS: tuple[tuple[str, int], ...] = (
    ("vip", 1_000_000 * YUAN),
    ("large", 500_000 * YUAN),
    ("medium", 100_000 * YUAN),
)
TIERS = ("vip", "large", "medium", "small")
GRADE_BY_STAGE = {"committed": "A", "developed": "B", "qualified": "C"}
STRATEGIES = {"R": "maintain", "D": "develop", "A": "open_up"}
MATRIX_ROWS = ("1", "2", "3")  # potential above 1,000,000 / 500,000–1,000,000 / below
MATRIX_COLUMNS = ("R", "D", "A")  # share of wallet above 30 % / 10–30 % / below 10 %
ATTRITION_BAND = (0.05, 0.25)  # the source texts' usual yearly attrition


def abc_classes(
    revenue: pd.DataFrame, thresholds: tuple[float, float] = ABC_THRESHOLDS
) -> pd.DataFrame:
    """ABC (Pareto) classes on ``revenue`` (``customer_id, revenue``, cents; customers without
    revenue are left out). Ranked by revenue, highest first, ties by customer ID. A customer is
    A while the cumulative share of the customers ranked above it is below ``thresholds[0]``,
    B while below ``thresholds[1]``, else C. Adds ``rank, share, share_before, cumulative,
    abc``."""
    ranked = revenue[revenue.revenue > 0].sort_values(
        ["revenue", "customer_id"], ascending=[False, True]
    )
    amounts = ranked.revenue.astype("int64").to_numpy()
    total = int(amounts.sum())
    before = np.concatenate(([0], np.cumsum(amounts)[:-1])) if len(amounts) else amounts
    a, b = (Fraction(str(x)) for x in thresholds)
    # share_before < a  ⇔  before · a.denominator < a.numerator · total (exact, in integers)
    is_a = before * a.denominator < a.numerator * total
    is_b = before * b.denominator < b.numerator * total
    extra = pd.DataFrame(
        {
            "rank": np.arange(1, len(amounts) + 1),
            "share": amounts / total if total else amounts * 0.0,
            "share_before": before / total if total else before * 0.0,
            "cumulative": (before + amounts) / total if total else amounts * 0.0,
            "abc": np.where(is_a, "A", np.where(is_b, "B", "C")),
        },
        index=ranked.index,
    )
    return pd.concat([ranked, extra], axis=1).reset_index(drop=True)


def tiers_of(
    revenue: np.ndarray, thresholds: Sequence[tuple[str, int]] = TIER_THRESHOLDS
) -> np.ndarray:
    """VIP ≥ ¥1,000,000; large ≥ ¥500,000; medium ≥ ¥100,000; else small (trailing-12-month
    revenue in cents), for each value of ``revenue``. The one tier rule."""
    revenue = np.asarray(revenue)
    return np.select([revenue >= floor for _, floor in thresholds], [t for t, _ in thresholds],
                     "small")  # fmt: skip


def value_tier(revenue: int, thresholds: Sequence[tuple[str, int]] = TIER_THRESHOLDS) -> str:
    """The tier of one customer's revenue (:func:`tiers_of`)."""
    return str(tiers_of(np.array([revenue]), thresholds)[0])


def prospect_grade(given: str | None, furthest_open_stage: str | None) -> str:
    """The given grade, else from the most advanced open opportunity: committed A, developed B,
    qualified C, otherwise D."""
    if given:
        return given
    return GRADE_BY_STAGE.get(furthest_open_stage or "", "D")


@dataclass(frozen=True)
class Cell:
    """A customer's place in the share-of-wallet × potential matrix."""

    share: float  # trailing-12-month revenue / annual potential
    column: str  # R, D or A
    row: str  # 1, 2 or 3

    @property
    def name(self) -> str:
        return f"{self.column}{self.row}"

    @property
    def strategy(self) -> str:
        return STRATEGIES[self.column]


def wallet_columns(revenue: np.ndarray, potential: np.ndarray) -> np.ndarray:
    """R if the share of wallet (revenue / potential) is above 30 %, D from 10 % to 30 % (both
    ends included), A below 10 %; compared in whole cents (10·revenue > 3·potential), so
    exactly. The one column rule of the matrix."""
    revenue, potential = np.asarray(revenue), np.asarray(potential)
    return np.where(10 * revenue > 3 * potential, "R",
                    np.where(10 * revenue >= potential, "D", "A"))  # fmt: skip


def potential_rows(potential: np.ndarray) -> np.ndarray:
    """Row 1 above ¥1,000,000 of annual potential, 2 from ¥500,000 to ¥1,000,000, 3 below."""
    potential = np.asarray(potential)
    return np.where(potential > 1_000_000 * YUAN, "1",
                    np.where(potential >= 500_000 * YUAN, "2", "3"))  # fmt: skip


def matrix_cell(revenue: int, potential: int | None) -> Cell | None:
    """One customer's cell (:func:`wallet_columns`, :func:`potential_rows`); ``None`` without
    a (positive) potential: the customer has no cell."""
    if not potential or potential <= 0:
        return None
    column = str(wallet_columns(np.array([revenue]), np.array([potential]))[0])
    row = str(potential_rows(np.array([potential]))[0])
    return Cell(float(Fraction(int(revenue), int(potential))), column, row)


def classify(customers: pd.DataFrame, abc: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every classification per customer. ``customers``: ``customer_id, status, revenue,
    gross_margin, potential, prospect_grade, furthest_open_stage`` (cents; trailing 12 months).
    Adds ``abc`` (None without revenue), ``value_tier`` (active customers only), ``grade``
    (prospects only), ``cell``, ``strategy`` and ``share`` (None without potential). ``abc``:
    :func:`abc_classes` of these customers when the caller has it already."""
    if abc is None:
        abc = abc_classes(customers[["customer_id", "revenue"]])
    # lists first: zip over two string Series steps through Arrow a value at a time
    classes = dict(zip(abc.customer_id.tolist(), abc.abc.tolist(), strict=True))
    revenue = customers.revenue.astype("int64").to_numpy()
    potential = pd.to_numeric(customers.potential, errors="coerce").to_numpy(dtype="float64")
    has_cell = ~np.isnan(potential) & (potential > 0)
    column_letter = wallet_columns(revenue, potential)
    cells = np.char.add(column_letter, potential_rows(potential))
    active, prospect = customers.status == "active", customers.status == "prospect"
    tiers = tiers_of(revenue)
    given = customers.prospect_grade.where(customers.prospect_grade.notna(), None)
    from_stage = customers.furthest_open_stage.map(GRADE_BY_STAGE).fillna("D")

    def column(values: object, keep: object = None) -> pd.Series:
        series = pd.Series(values, index=customers.index, dtype=object)
        return series if keep is None else series.where(np.asarray(keep, dtype=bool), None)

    return customers.assign(
        abc=column([classes.get(c) for c in customers.customer_id.tolist()]),
        value_tier=column(tiers, active),
        grade=column(np.where(given.notna(), given, from_stage), prospect),
        cell=column(cells, has_cell),
        strategy=column([STRATEGIES[c] for c in column_letter], has_cell),
        share=column(np.divide(revenue, potential, where=has_cell, out=np.zeros(len(revenue))),
                     has_cell),
    )  # fmt: skip


def matrix(classified: pd.DataFrame) -> pd.DataFrame:
    """The 3×3 matrix: ``row, column, cell, strategy, customers, revenue`` for every cell
    (empty cells with 0), from :func:`classify`'s output."""
    per_cell = classified.groupby("cell").revenue  # customers without a cell are left out
    counts, sums = per_cell.size(), per_cell.sum()
    rows = [
        (row, column, cell, STRATEGIES[column], int(counts.get(cell, 0)), int(sums.get(cell, 0)))
        for row in MATRIX_ROWS
        for column in MATRIX_COLUMNS
        for cell in [f"{column}{row}"]
    ]
    columns = ["row", "column", "cell", "strategy", "customers", "revenue"]
    return pd.DataFrame(rows, columns=columns)


def key_lists(customers: pd.DataFrame, share: float = 0.20) -> dict[str, pd.DataFrame]:
    """MVC, MGC and BZC (docs/kpis.md#customers). ``customers``: ``customer_id, revenue,
    gross_margin,
    potential, cost_to_serve`` (cents).

    - ``mvc`` most valuable: the top ``share`` (rounded up) of the customers with revenue, by
      gross margin, ties by ID;
    - ``mgc`` most growable: as many again among the rest, by headroom = potential − revenue
      (customers with a potential and positive headroom only);
    - ``bzc`` below zero: gross margin − cost-to-serve < 0, most negative first.
    Each list adds ``headroom`` and ``net`` (gross margin − cost-to-serve)."""
    revenue = customers.revenue.astype("int64").to_numpy()
    has_potential = customers.potential.notna().to_numpy()
    headroom = customers.potential.where(has_potential, 0).astype("int64").to_numpy() - revenue
    margin = customers.gross_margin.astype("int64").to_numpy()
    net = margin - customers.cost_to_serve.astype("int64").to_numpy()
    order = _id_order(customers.customer_id.to_numpy(dtype=object))
    buying = np.flatnonzero(revenue > 0)
    size = math.ceil(len(buying) * share)
    mvc = _first(buying, margin[buying], order[buying], size, descending=True)
    growable = has_potential & (headroom > 0)
    growable[mvc] = False  # the most growable are among the rest
    rest = np.flatnonzero(growable)
    mgc = _first(rest, headroom[rest], order[rest], size, descending=True)
    below = np.flatnonzero(net < 0)
    bzc = _first(below, net[below], order[below], len(below), descending=False)

    def listed(rows: np.ndarray) -> pd.DataFrame:
        pairs = zip(headroom[rows].tolist(), has_potential[rows].tolist(), strict=True)
        gaps = pd.Series([h if known else None for h, known in pairs], dtype=object)
        return customers.take(rows).reset_index(drop=True).assign(headroom=gaps, net=net[rows])

    return {name: listed(rows) for name, rows in (("mvc", mvc), ("mgc", mgc), ("bzc", bzc))}


def _id_order(ids: np.ndarray) -> np.ndarray:
    """Each row's place when the rows are sorted by ID (IDs are unique): the ties' order,
    worked out once for every list."""
    order = np.empty(len(ids), dtype=np.int64)
    order[np.argsort(ids, kind="stable")] = np.arange(len(ids))
    return order


def _first(
    rows: np.ndarray, keys: np.ndarray, id_order: np.ndarray, size: int, descending: bool
) -> np.ndarray:
    """The first ``size`` of ``rows`` (positions) ordered by ``keys`` (int64), ties by ID
    ascending (``id_order``: each row's place by ID); the table's rows are taken once, by the
    caller, only for the rows listed."""
    ordered = np.lexsort((id_order, -keys if descending else keys))
    return rows[ordered[:size]]


@dataclass(frozen=True)
class YearBase:
    """A year's customer base (docs/kpis.md#customers): active at its start = an order in the 12
    months
    before; lost = active at the start with no order during the year; new = first order ever
    during the year."""

    active_start: int
    lost: int
    new: int

    @property
    def attrition(self) -> float | None:
        return self.lost / self.active_start if self.active_start else None

    @property
    def new_rate(self) -> float | None:
        return self.new / self.active_start if self.active_start else None


def attrition_table(
    years: Mapping[tuple[str, int], YearBase], complete: Mapping[int, bool]
) -> pd.DataFrame:
    """``key, year, active_start, lost, new, attrition, new_rate, in_band, complete`` per
    (key, year); ``in_band``: attrition within the source texts' 5–25 % (None when undefined);
    ``complete`` False for the year in progress (its attrition can still fall)."""
    low, high = ATTRITION_BAND
    rows = []
    for (key, year), base in sorted(years.items()):
        rate = base.attrition
        rows.append(
            {"key": key, "year": year, "active_start": base.active_start, "lost": base.lost,
             "new": base.new, "attrition": rate, "new_rate": base.new_rate,
             "in_band": None if rate is None else low <= rate <= high,
             "complete": complete.get(year, True)}
        )  # fmt: skip
    columns = ["key", "year", "active_start", "lost", "new", "attrition", "new_rate"]
    return pd.DataFrame(rows, columns=[*columns, "in_band", "complete"], dtype=object)


def summed(years: Mapping[tuple[str, int], YearBase]) -> dict[tuple[str, int], YearBase]:
    """Per-region year bases added up per year (key ``all``): a customer has one region, so the
    counts add."""
    totals: dict[tuple[str, int], YearBase] = {}
    for (_, year), base in years.items():
        old = totals.get(("all", year), YearBase(0, 0, 0))
        totals[("all", year)] = YearBase(
            old.active_start + base.active_start, old.lost + base.lost, old.new + base.new
        )
    return totals


def classes_by(abc: pd.DataFrame, classified: pd.DataFrame, field: str) -> pd.DataFrame:
    """``<field>, abc, customers``: how many buying customers of each ABC class (``abc``, one
    row per customer with its ``region``) each region has, or each rep (``field="rep"``: the
    customer's ``owner`` in ``classified``); the one with the most A customers first (ties by
    ID), classes A, B, C within it."""
    owners = dict(zip(classified.customer_id, classified.owner, strict=True))
    keyed = abc.assign(rep=[owners.get(c) for c in abc.customer_id])
    keyed = keyed[keyed[field].notna()]
    counts = keyed.groupby([field, "abc"]).size().rename("customers").reset_index()
    a_count = {k: int(n) for k, c, n in counts[[field, "abc", "customers"]].itertuples(index=False)
               if c == "A"}  # fmt: skip
    order = sorted(set(counts[field]), key=lambda k: (-a_count.get(k, 0), k))
    rank = {k: i for i, k in enumerate(order)}
    ranked = counts.assign(_rank=counts[field].map(rank)).sort_values(["_rank", "abc"])
    return ranked.drop(columns="_rank").reset_index(drop=True)
