"""Target breakdown (SPEC §4.1), every expectation worked out by hand."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crm_core.breakdown import (
    BreakdownError,
    allocate,
    grid,
    mismatches,
    set_cell,
    set_cell_keep_column,
    set_child_total,
    split_columns,
)


def test_one_million_over_twelve_equal_months() -> None:
    # 1,000,000 / 12 = 83,333.33…: 12 × 83,333 = 999,996, the 4 yuan left go to months 1-4.
    months = allocate(1_000_000, [1] * 12)
    assert months == [83_334] * 4 + [83_333] * 8
    assert sum(months) == 1_000_000


def test_largest_remainders_get_the_leftover_units() -> None:
    # quotas 100 × (1, 2, 3, 4)/10 = 10, 20, 30, 40 exactly; 101 adds one unit:
    # quotas 10.1, 20.2, 30.3, 40.4 → floors 100, one left → the largest fraction .4 (last).
    assert allocate(100, [1, 2, 3, 4]) == [10, 20, 30, 40]
    assert allocate(101, [1, 2, 3, 4]) == [10, 20, 30, 41]


def test_seasonality_from_last_years_months() -> None:
    # Last year by quarter month: 200, 100, 300, 400 (sum 1,000). This year 1,200,000 in units
    # of 1,000: quotas 240, 120, 360, 480 units exactly.
    last_year = [200, 100, 300, 400]
    assert allocate(1_200_000, last_year, unit=1_000) == [240_000, 120_000, 360_000, 480_000]


def test_a_unit_keeps_children_whole_and_the_rest_goes_to_the_biggest() -> None:
    # 1,234,567 in thousands: 1,234 units, quotas 925.5 and 308.5, one unit left → the earlier
    # (tie); the 567 below one unit → the child with the largest weight (the first).
    assert allocate(1_234_567, [3, 1], unit=1_000) == [926_567, 308_000]


@pytest.mark.parametrize(
    ("total", "weights", "unit", "message"),
    [
        (-1, [1], 1, "cannot be negative"),
        (10, [0, 0], 1, "all weights are zero"),
        (10, [1, -1], 1, "weights cannot be negative"),
        (10, [], 1, "nothing to split"),
        (10, [1], 0, "unit must be positive"),
    ],
)
def test_impossible_allocations_are_refused(total, weights, unit, message) -> None:
    with pytest.raises(BreakdownError, match=message):
        allocate(total, weights, unit)


@given(
    total=st.integers(min_value=0, max_value=10**12),
    weights=st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=40).filter(
        lambda w: sum(w) > 0
    ),
    unit=st.sampled_from([1, 100, 1_000, 100_000]),
)
def test_any_weights_any_total_give_non_negative_children_summing_to_the_parent(
    total, weights, unit
) -> None:
    children = allocate(total, weights, unit)
    assert sum(children) == total
    assert all(child >= 0 for child in children)
    assert sum(1 for child in children if child % unit) <= 1


def small_grid() -> pd.DataFrame:
    # 1,200 over regions 2:1 → 800, 400; months by 1:1:2 → 200, 200, 400 and 100, 100, 200.
    return grid(1_200, ["R1", "R2"], [2, 1], ["01", "02", "03"], [1, 1, 2])


def test_the_grid_splits_children_then_months() -> None:
    assert small_grid().to_dict("index") == {
        "R1": {"01": 200, "02": 200, "03": 400},
        "R2": {"01": 100, "02": 100, "03": 200},
    }


def test_editing_a_cell_rebalances_the_childs_other_months() -> None:
    # R1 keeps 800: 03 becomes 200, the other 600 over 01:02 = 200:200 → 300, 300.
    edited = set_cell(small_grid(), "R1", "03", 200)
    assert edited.loc["R1"].tolist() == [300, 300, 200]
    assert edited.loc["R2"].tolist() == [100, 100, 200]
    assert int(edited.to_numpy().sum()) == 1_200


def test_an_edit_above_the_childs_total_is_refused_with_the_reason() -> None:
    with pytest.raises(BreakdownError, match="R2 03: 500 is more than the total 400 it is part of"):
        set_cell(small_grid(), "R2", "03", 500)


def test_changing_a_childs_total_takes_it_from_the_others() -> None:
    # R2 600 (was 400): months 1:1:2 → 150, 150, 300; R1 gives 200 → 600 as 1:1:2 → 150, 150, 300.
    edited = set_child_total(small_grid(), "R2", 600)
    assert edited.to_dict("index") == {
        "R1": {"01": 150, "02": 150, "03": 300},
        "R2": {"01": 150, "02": 150, "03": 300},
    }


def targets_frame(amounts: dict[tuple[str | None, str | None], int]) -> pd.DataFrame:
    """Revenue targets of January 2027 by (region, rep): (None, None) is the company."""
    rows = [("2027-01", "revenue", amount, region, rep, None)
            for (region, rep), amount in amounts.items()]  # fmt: skip
    return pd.DataFrame(
        rows, columns=["period", "metric", "amount", "region_id", "rep_id", "product_id"]
    )


# company 100 = R1 60 + R2 40; R1 60 = E1 25 + E2 35
RECONCILED = {(None, None): 100, ("R1", None): 60, ("R2", None): 40, ("R1", "E1"): 25,
              ("R1", "E2"): 35}  # fmt: skip


def test_a_reconciled_tree_has_no_mismatch() -> None:
    assert mismatches(targets_frame(RECONCILED)) == []


def test_reconciliation_names_the_sum_that_breaks() -> None:
    # R2 30 instead of 40: the regions sum to 90; E2 30 instead of 35: R1's reps sum to 55
    broken = RECONCILED | {("R2", None): 30, ("R1", "E2"): 30}
    assert [str(m) for m in mismatches(targets_frame(broken))] == [
        "target mismatch: revenue 2027-01 company is ¥1.00 but its parts sum to ¥0.90",
        "target mismatch: revenue 2027-01 region R1 is ¥0.60 but its parts sum to ¥0.55",
    ]


def test_a_manager_splits_each_month_and_an_edit_keeps_the_month_total() -> None:
    # Region months 900 and 300 over reps weighted 2:1 → 600/300 and 200/100.
    table = split_columns({"01": 900, "02": 300}, ["E1", "E2"], [2, 1])
    assert table.to_dict("index") == {"E1": {"01": 600, "02": 200}, "E2": {"01": 300, "02": 100}}
    edited = set_cell_keep_column(table, "E2", "01", 500)
    assert edited.to_dict("index") == {"E1": {"01": 400, "02": 200}, "E2": {"01": 500, "02": 100}}
    with pytest.raises(BreakdownError, match="is more than the total 900"):
        set_cell_keep_column(table, "E2", "01", 901)


def test_unsplit_months_are_region_targets_no_rep_has_yet() -> None:
    from crm_core.breakdown import unsplit_months

    rows = [
        # 2027-01: the region's revenue is split over reps
        ("2027-01", "revenue", 100, "R1", None, None),
        ("2027-01", "revenue", 60, "R1", "P1", None),
        ("2027-01", "revenue", 40, "R1", "P2", None),
        # 2027-02: revenue set for the region only; visits split
        ("2027-02", "revenue", 100, "R1", None, None),
        ("2027-02", "visits", 10, "R1", None, None),
        ("2027-02", "visits", 10, "R1", "P1", None),
        # 2027-03: another region unsplit, and a product target: not the manager's question
        ("2027-03", "revenue", 100, "R2", None, None),
        ("2027-03", "revenue", 100, "R1", None, "X1"),
    ]
    tree = pd.DataFrame(
        rows, columns=["period", "metric", "amount", "region_id", "rep_id", "product_id"]
    ).astype(object)
    tree = tree.where(tree.notna(), None)
    assert unsplit_months(tree, ["R1"]) == ["2027-02"]
    assert unsplit_months(tree, ["R1", "R2"]) == ["2027-02", "2027-03"]
    assert unsplit_months(tree.iloc[0:0], ["R1"]) == []


def test_a_target_far_from_history_is_flagged_both_ways() -> None:
    from crm_core.breakdown import far_from_history

    history = 121_000_000_000  # ¥1.21 billion in cents
    assert far_from_history(1_200_000_000, history)  # ¥12 million: 1 % of history
    assert far_from_history(history * 3, history)
    assert not far_from_history(history * 2, history)  # exactly twice: a bold plan, allowed
    assert not far_from_history(history // 2, history)
    assert not far_from_history(5, 0)  # no history: nothing to compare with
