from datetime import date

import pytest

from crm_core.periods import (
    Period,
    iso_week_of,
    iso_week_period,
    month_period,
    months_between,
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
