"""What a period is compared with (issue 40.3), worked out on the calendar by hand (working
days Monday to Friday)."""

from __future__ import annotations

from datetime import date

import pytest

from crm_core.overview import comparison_period, owner_results, same_period_last_year
from crm_core.periods import Period

D = date
NOVEMBER = Period(D(2026, 11, 1), D(2026, 11, 30))


def test_a_month_in_progress_is_set_against_as_many_working_days_of_the_earlier_one() -> None:
    # 1–18 Nov 2026 (1 Nov a Sunday): 2–6, 9–13, 16–18 = 13 working days.
    # October 2026 (1 Oct a Thursday): 1–2, 5–9, 12–16 = 12, the 13th is Monday 19 October.
    assert comparison_period("previous", NOVEMBER, D(2026, 11, 18)) == Period(
        D(2026, 10, 1), D(2026, 10, 19)
    )
    # November 2025 (1 Nov a Saturday): 3–7, 10–14 = 10, then 17, 18, 19: the 13th is the 19th.
    assert comparison_period("last_year", NOVEMBER, D(2026, 11, 18)) == Period(
        D(2025, 11, 1), D(2025, 11, 19)
    )
    assert comparison_period("target", NOVEMBER, D(2026, 11, 18)) is None


def test_a_period_that_is_over_is_set_against_the_whole_earlier_one() -> None:
    assert comparison_period("previous", NOVEMBER, D(2026, 12, 6)) == Period(
        D(2026, 10, 1), D(2026, 10, 31)
    )
    assert comparison_period("last_year", NOVEMBER, D(2026, 12, 6)) == Period(
        D(2025, 11, 1), D(2025, 11, 30)
    )


def test_a_period_not_started_has_nothing_to_compare_and_a_leap_february_stays_whole() -> None:
    before = comparison_period("last_year", NOVEMBER, D(2026, 10, 20))
    assert before is not None and before.start > before.end  # empty: no day has elapsed
    assert same_period_last_year(Period(D(2025, 2, 1), D(2025, 2, 28))) == Period(
        D(2024, 2, 1), D(2024, 2, 29)
    )
    assert same_period_last_year(Period(D(2026, 3, 10), D(2026, 3, 20))) == Period(
        D(2025, 3, 10), D(2025, 3, 20)
    )


def test_against_the_target_the_change_is_how_far_ahead_of_it_for_the_time_elapsed() -> None:
    # ¥800 sold against a ¥1,000 target: −20 % once November is over; against ¥500 sold
    # before: +60 %. On 18 November, 13 of its 21 working days (2–6, 9–13, 16–20, 23–27, 30)
    # are gone: the target for that time is ¥1,000 × 13/21, and ¥800 is 16.8/13 of it.
    targets = {"revenue": {"2026-11": 100_000}}
    actual, before = {"revenue": 80_000}, {"revenue": 50_000}
    vs_target = owner_results(actual, before, targets, NOVEMBER, D(2026, 12, 6), "target")[0]
    assert vs_target.previous == 100_000 and vs_target.change == pytest.approx(-0.2)
    vs_before = owner_results(actual, before, targets, NOVEMBER, D(2026, 12, 6), "previous")[0]
    assert (vs_before.previous, vs_before.change) == (50_000, 0.6)
    running = owner_results(actual, before, targets, NOVEMBER, D(2026, 11, 18), "target")[0]
    assert running.change == pytest.approx(16.8 / 13 - 1)


def test_the_trend_sets_each_month_against_its_target_the_month_before_or_a_year_before() -> None:
    import pandas as pd

    from crm_core.overview import trend_compared

    # sold: Oct 2025 ¥300, Sep 2026 ¥500, Oct 2026 ¥600; October's target ¥800
    actuals = pd.DataFrame({"month": ["2025-10", "2026-09", "2026-10"],
                            "revenue": [30_000, 50_000, 60_000]})  # fmt: skip
    targets = pd.DataFrame({"month": ["2026-10"], "metric": ["revenue"], "target": [80_000]})
    months = ["2026-09", "2026-10"]

    def values(column: pd.Series) -> list:
        return [None if pd.isna(v) else v for v in column]

    vs_target = trend_compared(actuals, targets, "revenue", months, "target")
    assert values(vs_target.target) == [None, 80_000]
    assert values(vs_target.change) == [None, -0.25]  # 600 on 800
    before = trend_compared(actuals, targets, "revenue", months, "previous")
    assert values(before.target) == [0, 50_000]  # August 2026 sold nothing
    assert values(before.change) == [None, 0.2]  # 600 on 500
    last_year = trend_compared(actuals, targets, "revenue", months, "last_year")
    assert values(last_year.target) == [0, 30_000]
    assert values(last_year.change) == [None, 1.0]  # 600 on 300
