"""Attainment, variance, pace, projection and run-rate (SPEC §4.1), by hand."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pandas as pd
import pytest

from crm_core.attainment import attainment_by
from crm_core.periods import Period, month_period
from crm_core.targets import (
    attainment,
    pace,
    projection,
    required_run_rate,
    target_for_range,
    time_elapsed,
    variance,
)

NOV = month_period("2026-11")  # 21 working days: Mon 2 … Mon 30


@pytest.mark.parametrize(
    ("actual", "target", "expected"),
    [(200_000, 250_000, 200_000 / 250_000), (0, 100, 0.0), (50, 0, None), (50, None, None)],
)
def test_attainment_is_undefined_for_a_zero_or_missing_target(actual, target, expected) -> None:
    assert attainment(actual, target) == expected


def test_variance_is_actual_minus_target_or_undefined() -> None:
    assert variance(200_000, 250_000) == -50_000
    assert variance(200_000, 0) is None
    assert variance(200_000, None) is None


def test_a_month_in_progress_has_pace_projection_and_run_rate() -> None:
    # As of Wed 18 Nov: working days 2-6, 9-13, 16-18 = 13 of 21.
    elapsed = time_elapsed(NOV, date(2026, 11, 18))
    assert elapsed == 13 / 21
    share = attainment(130_000, 210_000)
    assert pace(share, elapsed) == (130_000 / 210_000) / (13 / 21)
    assert projection(130_000, elapsed) == pytest.approx(130_000 / (13 / 21))
    # 80,000 still to do over the 8 working days left (19, 20, 23-27, 30).
    assert required_run_rate(210_000, 130_000, NOV, date(2026, 11, 18)) == 80_000 / 8


def test_a_finished_month_has_no_run_rate_and_pace_equals_attainment() -> None:
    assert required_run_rate(210_000, 130_000, NOV, date(2026, 12, 3)) is None
    assert pace(0.5, time_elapsed(NOV, date(2026, 12, 3))) == 0.5


def test_a_month_not_started_has_no_pace_or_projection() -> None:
    elapsed = time_elapsed(NOV, date(2026, 10, 20))
    assert elapsed == 0
    assert pace(0.0, elapsed) is None and projection(0, elapsed) is None


def test_a_weekly_target_spanning_two_months_takes_each_months_daily_share() -> None:
    # ISO week 2026-W44: Mon 26 - Fri 30 Oct (22 working days in Oct), Sun 1 Nov.
    # Week 2026-W49 … take W45 2026: Mon 2 Nov - Sun 8 Nov → 5 Nov days only.
    week = Period(date(2026, 10, 26), date(2026, 11, 1))
    assert target_for_range({"2026-10": 220_000, "2026-11": 210_000}, week) == 5 * 220_000 / 22
    spanning = Period(date(2026, 11, 30), date(2026, 12, 6))  # Mon 30 Nov + Tue 1 - Fri 4 Dec
    # November: 210,000 / 21 × 1 day; December 2026 has 23 working days: 230,000 / 23 × 4.
    assert target_for_range({"2026-11": 210_000, "2026-12": 230_000}, spanning) == (
        210_000 / 21 + 4 * 230_000 / 23
    )
    assert target_for_range({}, spanning) is None


def test_a_range_of_whole_months_and_a_part_is_exact() -> None:
    # 15 Sep - 30 Nov 2026: September has 22 working days, 12 of them from Tue 15 on;
    # October and November are whole. A month without a target adds nothing.
    months = {"2026-09": 100_001, "2026-10": 220_000, "2026-11": 210_000}
    target = target_for_range(months, Period(date(2026, 9, 15), date(2026, 11, 30)))
    assert target == Fraction(100_001 * 12, 22) + 220_000 + 210_000
    assert isinstance(target, Fraction)
    whole = target_for_range({"2026-10": 220_000}, Period(date(2026, 9, 1), date(2026, 11, 30)))
    assert whole == 220_000 and isinstance(whole, Fraction)


def test_attainment_by_rep_for_a_rep_who_moved_region_mid_year() -> None:
    # E1 sold in R1 (Jan-Jun) and R2 (Jul-Dec); targets follow the region of each half.
    period = Period(date(2026, 1, 1), date(2026, 12, 31))
    actuals = pd.DataFrame(
        {"region": ["R1", "R2", "R1"], "rep": ["E1", "E1", "E2"], "revenue": [500, 700, 300]}
    )
    targets = pd.DataFrame(
        {
            "region": ["R1", "R2", "R1"],
            "rep": ["E1", "E1", "E2"],
            "month": ["2026-03", "2026-09", "2026-05"],
            "metric": ["revenue"] * 3,
            "target": [1_000, 700, 200],
        }
    )
    table = attainment_by(actuals, targets, ["region", "rep"], "revenue", period, date(2027, 1, 5))
    rows = table[["region", "rep", "target", "actual", "attainment", "variance"]]
    assert [tuple(row) for row in rows.itertuples(index=False)] == [
        ("R1", "E1", 1_000, 500, 500 / 1_000, 500 - 1_000),
        ("R1", "E2", 200, 300, 300 / 200, 300 - 200),
        ("R2", "E1", 700, 700, 700 / 700, 0),
    ]
    by_rep = attainment_by(
        actuals.drop(columns="region"), targets.drop(columns="region"), ["rep"], "revenue",
        period, date(2027, 1, 5),
    )  # fmt: skip
    assert by_rep[["rep", "target", "actual"]].to_dict("records") == [
        {"rep": "E1", "target": 1_700, "actual": 1_200},
        {"rep": "E2", "target": 200, "actual": 300},
    ]


def test_attainment_by_month_cuts_each_month_to_the_period_and_as_of() -> None:
    period = Period(date(2026, 10, 1), date(2026, 11, 30))
    actuals = pd.DataFrame({"month": ["2026-10", "2026-11"], "revenue": [230_000, 130_000]})
    targets = pd.DataFrame(
        {"month": ["2026-10", "2026-11"], "metric": ["revenue"] * 2, "target": [220_000, 210_000]}
    )
    table = attainment_by(actuals, targets, ["month"], "revenue", period, date(2026, 11, 18))
    october, november = table.to_dict("records")
    assert (october["attainment"], october["pace"]) == (230_000 / 220_000, 230_000 / 220_000)
    assert october["required_run_rate"] is None
    assert november["time_elapsed"] == 13 / 21
    assert november["required_run_rate"] == 10_000


def test_no_data_gives_an_empty_table() -> None:
    empty = attainment_by(
        pd.DataFrame(), pd.DataFrame(), ["rep"], "revenue", NOV, date(2026, 11, 18)
    )
    assert empty.empty


# ---------------------------------------------------------------- rolled-up targets (13.10)


def _rows(*rows: tuple) -> pd.DataFrame:
    from crm_core.targets import TARGET_ROW_COLUMNS

    return pd.DataFrame(list(rows), columns=TARGET_ROW_COLUMNS)


ROLL = _rows(
    # month, metric, region, rep, product, target
    ("2026-10", "visits", "R1", "E1", None, 40),
    ("2026-10", "visits", "R1", "E2", None, 25),
    ("2026-10", "visits", "R2", "E3", None, 10),
    ("2026-10", "visits", "R2", None, None, 30),  # R2 has its own total
    ("2026-11", "visits", None, None, None, 200),  # the company's own total for November
    ("2026-11", "visits", "R1", "E1", None, 50),
)


def test_a_region_without_a_total_shows_the_sum_of_its_reps() -> None:
    from crm_core.targets import rolled_up_targets

    table = rolled_up_targets(ROLL, "region", ["region", "month"])
    got = {(r.region, r.month): (r.target, r.rolled_up) for r in table.itertuples()}
    assert got == {
        ("R1", "2026-10"): (40 + 25, True),
        ("R2", "2026-10"): (30, False),  # its own total wins over E3's 10
        ("R1", "2026-11"): (50, True),
    }


def test_the_company_without_a_total_shows_the_sum_of_its_regions() -> None:
    from crm_core.targets import rolled_up_targets

    table = rolled_up_targets(ROLL, "company", ["month"])
    got = {r.month: (r.target, r.rolled_up) for r in table.itertuples()}
    assert got == {"2026-10": (65 + 30, True), "2026-11": (200, False)}


def test_rep_targets_are_never_rolled_up() -> None:
    from crm_core.targets import rolled_up_targets

    table = rolled_up_targets(ROLL, "rep", ["rep"])
    assert {r.rep: (r.target, r.rolled_up) for r in table.itertuples()} == {
        "E1": (90, False), "E2": (25, False), "E3": (10, False)
    }  # fmt: skip


def test_no_targets_give_an_empty_table_with_the_columns() -> None:
    from crm_core.targets import rolled_up_targets

    table = rolled_up_targets(ROLL.head(0), "company", ["month"])
    assert table.empty and list(table.columns) == ["month", "metric", "target", "rolled_up"]
