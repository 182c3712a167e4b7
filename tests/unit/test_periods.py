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
    parse_day,
    parse_week,
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


# ---------------------------------------------------------------- 39.3 the calendar's edge


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1990-01-01", date(1990, 1, 1)),
        ("2100-12-31", date(2100, 12, 31)),
        (" 2026-11-18 ", date(2026, 11, 18)),
    ],
)
def test_a_typed_day_within_1990_to_2100_is_read(typed: str, expected: date) -> None:
    assert parse_day(typed) == expected


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("0001-01-01", "as-of: expected a date from 1990-01-01 to 2100-12-31, found 0001-01-01"),
        ("9999-12-31", "as-of: expected a date from 1990-01-01 to 2100-12-31, found 9999-12-31"),
        ("1989-12-31", "as-of: expected a date from 1990-01-01 to 2100-12-31, found 1989-12-31"),
        ("2101-01-01", "as-of: expected a date from 1990-01-01 to 2100-12-31, found 2101-01-01"),
        ("2026-02-30", "as-of: expected a date YYYY-MM-DD, found '2026-02-30'"),
        ("tomorrow", "as-of: expected a date YYYY-MM-DD, found 'tomorrow'"),
    ],
)
def test_a_typed_day_outside_the_range_or_no_day_says_what_was_expected(
    typed: str, message: str
) -> None:
    with pytest.raises(ValueError) as refused:
        parse_day(typed, "as-of")
    assert str(refused.value) == message


def test_a_typed_week_is_read_within_the_range() -> None:
    assert parse_week("2026-W48") == Period(date(2026, 11, 23), date(2026, 11, 29))
    assert parse_week("2100-W51") == Period(date(2100, 12, 20), date(2100, 12, 26))
    assert parse_week("1990-w01") == Period(date(1990, 1, 1), date(1990, 1, 7))


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("9999-W52", "week: expected a date from 1990-01-01 to 2100-12-31, found 9999-12-27"),
        ("2100-W52", "week: expected a date from 1990-01-01 to 2100-12-31, found 2101-01-02"),
        ("0001-W01", "week: expected a date from 1990-01-01 to 2100-12-31, found 0001-01-01"),
        ("2026-W54", "week: '2026-W54' does not exist"),
        ("2026-48", "week: expected an ISO week YYYY-Www, found '2026-48'"),
        ("2026-W4", "week: expected an ISO week YYYY-Www, found '2026-W4'"),
    ],
)
def test_a_typed_week_outside_the_range_or_no_week_says_so(typed: str, message: str) -> None:
    with pytest.raises(ValueError) as refused:
        parse_week(typed)
    assert str(refused.value) == message


def test_the_last_iso_week_of_the_calendar_ends_on_its_last_day() -> None:
    assert iso_week_period("9999-W52").end == date(9999, 12, 31)


def test_a_day_off_opens_on_the_working_day_before_or_after() -> None:
    from crm_core.periods import working_day_on_or_after, working_day_on_or_before

    sunday, wednesday = date(2026, 11, 22), date(2026, 11, 18)
    assert working_day_on_or_before(sunday) == date(2026, 11, 20)  # the Friday
    assert working_day_on_or_after(sunday) == date(2026, 11, 23)  # the Monday
    assert working_day_on_or_before(wednesday) == wednesday == working_day_on_or_after(wednesday)
