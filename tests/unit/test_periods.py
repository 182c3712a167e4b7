from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crm_core.periods import (
    Period,
    iso_week_of,
    iso_week_period,
    monday_of,
    month_period,
    months_between,
    weeks_later,
    working_days,
    working_days_elapsed,
)


@pytest.mark.parametrize(
    ("month", "days"),
    [("2026-02", 20), ("2026-11", 21), ("2024-02", 21), ("2026-08", 21)],
)
def test_working_days_of_a_month_are_mondays_to_fridays(month: str, days: int) -> None:
    assert working_days(month_period(month)) == days


def test_working_days_elapsed_include_the_as_of_day() -> None:
    november = month_period("2026-11")
    assert working_days_elapsed(november, date(2026, 11, 2)) == 1  # Monday the 2nd
    assert working_days_elapsed(november, date(2026, 11, 22)) == 15  # Sunday: 3 full weeks
    assert working_days_elapsed(november, date(2026, 10, 31)) == 0
    assert working_days_elapsed(november, date(2027, 1, 1)) == 21


def test_iso_weeks_run_monday_to_sunday() -> None:
    assert iso_week_period("2026-W47") == Period(date(2026, 11, 16), date(2026, 11, 22))
    assert iso_week_of(date(2026, 1, 1)) == "2026-W01"
    assert iso_week_of(date(2027, 1, 1)) == "2026-W53"


def test_months_between_spans_year_ends() -> None:
    assert months_between(date(2025, 11, 15), date(2026, 2, 1)) == [
        "2025-11", "2025-12", "2026-01", "2026-02"
    ]  # fmt: skip


@given(
    start=st.dates(date(2020, 1, 1), date(2030, 12, 31)),
    length=st.integers(-3, 800),
    workdays=st.frozensets(st.integers(0, 6)),
)
def test_working_days_equal_counting_day_by_day(
    start: date, length: int, workdays: frozenset[int]
) -> None:
    end = start + timedelta(days=length)
    by_hand = sum(1 for n in range(length + 1) if (start + timedelta(days=n)).weekday() in workdays)
    assert working_days(Period(start, end), workdays) == by_hand


def test_a_year_before_29_february_is_28_february() -> None:
    from crm_core.periods import months_before, years_before

    assert years_before(date(2028, 2, 29)) == date(2027, 2, 28)
    assert years_before(date(2028, 2, 29), 4) == date(2024, 2, 29)
    assert years_before(date(2026, 11, 18), 2) == date(2024, 11, 18)
    assert months_before(date(2026, 3, 15), 14) == date(2025, 1, 1)
    assert months_before(date(2026, 1, 31), 0) == date(2026, 1, 1)


def test_the_previous_period_of_a_long_whole_month_range_is_as_long() -> None:
    from crm_core.overview import previous_period

    huge = Period(date(1990, 1, 1), date(2035, 12, 31))  # 552 months
    assert previous_period(huge) == Period(date(1944, 1, 1), date(1989, 12, 31))


def test_a_month_in_progress_is_compared_on_as_many_working_days() -> None:
    """Issue 14.6: on Wednesday 2026-11-04, three of November's working days have passed (the
    1st is a Sunday); October's first three are the 1st (Thu), 2nd (Fri) and 5th (Mon)."""
    from crm_core.periods import elapsed_working_days, first_working_days, month_period

    november, october = month_period("2026-11"), month_period("2026-10")
    assert elapsed_working_days(november, date(2026, 11, 4)) == 3
    assert first_working_days(october, 3) == Period(date(2026, 10, 1), date(2026, 10, 5))
    assert elapsed_working_days(november, date(2026, 11, 30)) is None, "over: whole months"
    assert first_working_days(october, None) == october
    assert elapsed_working_days(november, date(2026, 10, 30)) == 0
    empty = first_working_days(october, 0)
    assert empty.end < empty.start


def test_the_next_year_preset_is_the_whole_plan_year() -> None:
    from crm_core.presets import preset_period

    assert preset_period("next_year", date(2026, 11, 18)) == Period(
        date(2027, 1, 1), date(2027, 12, 31)
    )
    assert preset_period("next_year", date(2026, 12, 31)).start == date(2027, 1, 1)


def test_weeks_later_moves_a_week_across_the_year_end() -> None:
    week = iso_week_period("2026-W53")  # Monday 28 Dec 2026 … Sunday 3 Jan 2027
    assert weeks_later(week, 1) == Period(date(2027, 1, 4), date(2027, 1, 10))
    assert weeks_later(week, -1) == Period(date(2026, 12, 21), date(2026, 12, 27))


def test_the_monday_of_a_day_is_in_its_own_week() -> None:
    assert monday_of(date(2026, 11, 18)) == date(2026, 11, 16)  # a Wednesday
    assert monday_of(date(2026, 11, 16)) == date(2026, 11, 16)  # a Monday is its own
    assert monday_of(date(2027, 1, 3)) == date(2026, 12, 28)  # a Sunday, across the year end
