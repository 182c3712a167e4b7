"""The monthly tier (SPEC §4.2): rank, month-over-month, year-over-year, base change."""

from __future__ import annotations

import pandas as pd

from crm_core.monthly import base_change, ranked


def test_rank_by_attainment_with_growth_on_last_month_and_last_year() -> None:
    now = pd.DataFrame(
        {"rep": ["E1", "E2", "E3", "E4"], "target": [100, 200, None, 100],
         "actual": [90, 240, 50, 120], "attainment": [0.9, 1.2, None, 1.2]}
    )  # fmt: skip
    previous = pd.DataFrame({"rep": ["E1", "E2", "E3"], "actual": [60, 240, 0]})
    last_year = pd.DataFrame({"rep": ["E2"], "actual": [300]})
    table = ranked(now, previous, last_year, "rep")
    assert table[["rep", "rank", "mom", "yoy"]].values.tolist() == [
        ["E2", 1, 240 / 240 - 1, 240 / 300 - 1],  # ties on 120 % ranked by ID
        ["E4", 2, None, None],  # no earlier actual: undefined, not +∞
        ["E1", 3, 90 / 60 - 1, None],
        ["E3", None, None, None],  # no target: not ranked; last month 0: undefined
    ]


def test_customer_base_change_of_a_month() -> None:
    change = base_change(
        active_start={"A", "B", "C", "D"},  # ordered in the 12 months before the month
        active_end={"A", "B", "E"},  # ordered in the 12 months up to its last day
        new={"E"},
        active_year_before={"A", "B", "C", "F", "G"},  # 12-24 months back
    )
    assert (change.active_start, change.active_end, change.new) == (4, 3, 1)
    assert change.lapsed == 2  # C and D
    assert change.attrition == 3 / 5  # C, F, G of A, B, C, F, G ordered nothing since


def test_no_history_means_undefined_attrition() -> None:
    assert base_change(set(), set(), set(), set()).attrition is None
