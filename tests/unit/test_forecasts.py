"""Forecasts reps commit to (issue 38.3), by hand: the pre-fill, the forecast in force, the
roll-up, the movement week by week, accuracy and bias."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from crm_core.forecasts import (
    RECORD_COLUMNS,
    accuracy,
    amount_cents,
    by_error,
    checked_pair,
    checkpoints,
    forecast_table,
    in_force,
    movement,
    note_text,
    region_accuracy,
    rollup,
    tendency,
)
from crm_core.inputs import InputRefused
from crm_core.periods import month_period

D = date


def records(*rows: tuple) -> pd.DataFrame:
    """Rows of ``id, rep, month, kind, commit, best_case, note, day, made_by``."""
    return pd.DataFrame(list(rows), columns=RECORD_COLUMNS).astype(object)


NOVEMBER = records(
    (1, "A", "2026-11", "submitted", 500_000, 800_000, None, D(2026, 11, 2), "a"),
    # the manager lowers A's commit on the 10th
    (2, "A", "2026-11", "adjusted", 400_000, None, "order slips", D(2026, 11, 10), "m"),
    # A submits again on the 16th: the adjustment of the commit stands, the best case is new
    (3, "A", "2026-11", "submitted", 600_000, 900_000, None, D(2026, 11, 16), "a"),
    (4, "B", "2026-11", "submitted", 300_000, 350_000, None, D(2026, 11, 3), "b"),
    # dated after the day asked about: not in force yet
    (5, "B", "2026-11", "adjusted", 320_000, 360_000, "more", D(2026, 11, 20), "m"),
)


def test_the_manager_adjustment_stands_over_a_later_submission() -> None:
    force = in_force(NOVEMBER, D(2026, 11, 18))
    assert force["A"] == {
        "submitted_commit": 600_000, "submitted_best_case": 900_000,
        "submitted_on": D(2026, 11, 16), "commit": 400_000, "best_case": 900_000,
        "adjusted_on": D(2026, 11, 10), "adjusted_by": "m", "note": "order slips",
    }  # fmt: skip
    assert (force["B"]["commit"], force["B"]["best_case"], force["B"]["adjusted_on"]) == (
        300_000, 350_000, None)  # fmt: skip
    assert in_force(NOVEMBER, D(2026, 11, 1)) == {}
    assert in_force(NOVEMBER, D(2026, 11, 20))["B"]["commit"] == 320_000


INPUTS = pd.DataFrame(
    [
        # ¥1,000 sold; committed deals ¥2,000 and developed ¥500 closing in the month
        ("A", "甲", "R1", 1_000_000, 100_000, 200_000, 50_000, 230_000.4),
        ("B", "乙", "R1", None, 0, 0, 0, 0.0),
        ("C", "丙", "R2", 500_000, 250_000, 0, 100_000, 60_000.0),  # no forecast
    ],
    columns=["rep", "name", "region", "target", "actual", "committed", "developed", "weighted"],
).astype(object)


def test_the_table_is_prefilled_from_the_pipeline_beside_the_call_in_force() -> None:
    table = forecast_table(INPUTS, NOVEMBER, D(2026, 11, 18)).set_index("rep")
    # pre-fill: commit = 1,000 + 2,000; best case = 3,000 + 500
    assert (table.loc["A", "pipeline_commit"], table.loc["A", "pipeline_best_case"]) == (
        300_000, 350_000)  # fmt: skip
    assert (table.loc["A", "commit"], table.loc["A", "weighted_pipeline"]) == (400_000, 230_000)
    assert (table.loc["C", "pipeline_commit"], table.loc["C", "pipeline_best_case"]) == (
        250_000, 350_000)  # fmt: skip
    assert table.loc["C", "commit"] is None and table.loc["C", "submitted_on"] is None
    assert table.loc["B", "target"] is None and table.loc["B", "commit"] == 300_000


def test_the_rollup_sums_what_there_is_and_counts_who_submitted() -> None:
    table = forecast_table(INPUTS, NOVEMBER, D(2026, 11, 18))
    regions = rollup(table).set_index("region")
    assert regions.loc["R1"].to_dict() == {
        "reps": 2, "submitted": 2, "target": 1_000_000, "actual": 100_000,
        "submitted_commit": 600_000 + 300_000, "submitted_best_case": 900_000 + 350_000,
        "commit": 400_000 + 300_000, "best_case": 900_000 + 350_000,
        "weighted_pipeline": 230_000,
    }  # fmt: skip
    assert regions.loc["R2", "submitted"] == 0 and regions.loc["R2", "commit"] is None
    assert regions.loc["R2", "target"] == 500_000


def test_the_call_is_followed_at_each_week_end_and_the_day() -> None:
    november = month_period("2026-11")  # 1 November 2026 is a Sunday
    days = checkpoints(november, D(2026, 11, 18))
    assert days == [D(2026, 11, 1), D(2026, 11, 8), D(2026, 11, 15), D(2026, 11, 18)]
    assert checkpoints(november, D(2026, 10, 30)) == []
    assert checkpoints(november, D(2026, 12, 5))[-2:] == [D(2026, 11, 29), D(2026, 11, 30)]
    moved = movement(NOVEMBER, days)
    assert moved.to_dict("records") == [
        {"day": D(2026, 11, 1), "submitted_commit": None, "commit": None, "best_case": None},
        # A 500,000 + B 300,000 submitted
        {"day": D(2026, 11, 8), "submitted_commit": 800_000, "commit": 800_000,
         "best_case": 1_150_000},
        # A adjusted to 400,000 on the 10th
        {"day": D(2026, 11, 15), "submitted_commit": 800_000, "commit": 700_000,
         "best_case": 1_150_000},
        # A submits 600,000 / 900,000 on the 16th; the commit adjustment stands
        {"day": D(2026, 11, 18), "submitted_commit": 900_000, "commit": 700_000,
         "best_case": 1_250_000},
    ]  # fmt: skip


REPS = pd.DataFrame({"rep": ["A", "B", "C"], "name": ["甲", "乙", "丙"],
                     "region": ["R1", "R1", "R2"]})  # fmt: skip
HISTORY = records(
    # A calls 120 each month and sells 100: +20 % every time (optimistic)
    *[(10 + k, "A", f"2026-{m:02d}", "submitted", 12_000, 15_000, None, D(2026, m, 1), "a")
      for k, m in enumerate(range(5, 11))],
    # B calls 80 and sells 100 in Sep and Oct (−20 %); in Oct the manager adjusts to 90 (−10 %)
    (30, "B", "2026-09", "submitted", 8_000, 9_000, None, D(2026, 9, 1), "b"),
    (31, "B", "2026-10", "submitted", 8_000, 9_000, None, D(2026, 10, 1), "b"),
    (32, "B", "2026-10", "adjusted", 9_000, 9_500, "x", D(2026, 10, 20), "m"),
    # made after October ended: not the call in force at its end
    (33, "B", "2026-10", "adjusted", 10_000, None, "late", D(2026, 11, 2), "m"),
    # C called April only: outside the 6 months May–October
    (40, "C", "2026-04", "submitted", 5_000, 6_000, None, D(2026, 4, 1), "c"),
)  # fmt: skip
ACTUALS = pd.DataFrame(
    [*[("A", f"2026-{m:02d}", 10_000) for m in range(5, 11)],
     ("B", "2026-09", 10_000), ("B", "2026-10", 10_000), ("C", "2026-10", 7_000)],
    columns=["rep", "month", "revenue"],
)  # fmt: skip


def test_accuracy_takes_the_call_in_force_at_the_month_end() -> None:
    table = accuracy(REPS, HISTORY, ACTUALS, "2026-10").set_index("rep")
    assert list(table.index) == ["A", "B"]  # C has no call in May–October
    assert table.loc["A"].to_dict() == {
        "name": "甲", "region": "R1", "month": "2026-10", "forecast": 12_000, "actual": 10_000,
        "error": pytest.approx(0.2), "bias": pytest.approx(0.2), "months": 6,
        "tendency": "optimistic",
    }  # fmt: skip
    # October: the adjustment of the 20th, 9,000 against 10,000 = −10 %; September −20 %
    assert table.loc["B", "forecast"] == 9_000
    assert table.loc["B", "error"] == pytest.approx(-0.1)
    assert table.loc["B", "bias"] == pytest.approx((-0.2 + -0.1) / 2)
    assert (table.loc["B", "months"], table.loc["B", "tendency"]) == (2, "sandbagging")
    assert list(by_error(accuracy(REPS, HISTORY, ACTUALS, "2026-10")).rep) == ["A", "B"]


def test_a_region_adds_its_reps_calls_and_the_same_reps_sales() -> None:
    table = region_accuracy(REPS, HISTORY, ACTUALS, "2026-10").set_index("region")
    # October: A 12,000 + B 9,000 = 21,000 against 10,000 + 10,000: +5 %
    assert table.loc["R1", "forecast"] == 21_000 and table.loc["R1", "actual"] == 20_000
    assert table.loc["R1", "error"] == pytest.approx(0.05)
    # bias: May–Aug A alone +20 % (4 months), Sep (12,000 + 8,000 − 20,000) / 20,000 = 0,
    # Oct +5 %: (0.8 + 0 + 0.05) / 6
    assert table.loc["R1", "bias"] == pytest.approx(0.85 / 6)
    assert table.loc["R1", "reps"] == 2 and table.loc["R1", "months"] == 6
    assert "R2" not in table.index  # C's only call is older than the window


def test_no_revenue_leaves_the_error_undefined() -> None:
    table = accuracy(REPS, HISTORY, ACTUALS.iloc[:0], "2026-10")
    assert table.error.isna().all() and table.bias.isna().all()
    assert accuracy(REPS, records(), ACTUALS, "2026-10").empty
    assert tendency(None) is None and tendency(-0.11) == "sandbagging"
    assert tendency(0.1) == "accurate" and tendency(0.1001) == "optimistic"


def test_amounts_and_notes_are_checked_with_what_was_expected() -> None:
    assert amount_cents("1,250,000.50", "commit") == 125_000_050
    assert amount_cents("¥800000", "commit") == 80_000_000 and amount_cents(0.5, "x") == 50
    for wrong in ("-1", "abc", "1.001", "nan", "1e20"):
        with pytest.raises(InputRefused, match="commit"):
            amount_cents(wrong, "commit")
    with pytest.raises(InputRefused, match=r"at least the commit \(¥5,000.00\), found ¥4,000"):
        checked_pair(500_000, 400_000)
    checked_pair(None, 1) and checked_pair(5, 5)  # type: ignore[func-returns-value]
    with pytest.raises(InputRefused, match="say why"):
        note_text("  ", required=True)
    assert note_text(" 大单 ", required=True) == "大单" and note_text(None, required=False) is None
