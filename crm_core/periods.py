"""Periods and working days (docs/kpis.md): months ``YYYY-MM``, ISO weeks, Monday–Friday."""

from __future__ import annotations

import calendar
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

WORKDAYS: frozenset[int] = frozenset(range(5))  # Monday=0 … Friday=4
# The days the product accepts from a link, the CLI, an import or CRM_AS_OF: a sales history
# and plan fit easily, and every period, week and trailing window around them stays a date.
EARLIEST_DAY = date(1990, 1, 1)
LATEST_DAY = date(2100, 12, 31)
ISO_WEEK = re.compile(r"(\d{4})-W(\d{2})")


class DateOutOfRange(ValueError):
    pass


def checked_day(day: date, what: str = "date") -> date:
    """``day`` when it lies from :data:`EARLIEST_DAY` to :data:`LATEST_DAY`, else
    :class:`DateOutOfRange` saying so."""
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        raise DateOutOfRange(
            f"{what}: expected a date from {EARLIEST_DAY} to {LATEST_DAY}, found {day}"
        )
    return day


def parse_day(text: str, what: str = "date") -> date:
    """``YYYY-MM-DD`` within the accepted range, or a :class:`ValueError` saying what was
    expected (the one reading of a typed day: links, the CLI, ``CRM_AS_OF``)."""
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{what}: expected a date YYYY-MM-DD, found {text!r}") from None
    return checked_day(day, what)


@dataclass(frozen=True, order=True)
class Period:
    """A closed date range ``start``–``end`` (both included)."""

    start: date
    end: date

    def days(self) -> Iterator[date]:
        for n in range((self.end - self.start).days + 1):
            yield self.start + timedelta(days=n)

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


@functools.lru_cache(maxsize=1024)
def month_period(month: str) -> Period:
    """``"2026-02"`` → 2026-02-01 … 2026-02-28."""
    year, mon = (int(part) for part in month.split("-"))
    return Period(date(year, mon, 1), date(year, mon, calendar.monthrange(year, mon)[1]))


def shift_month(month: str, count: int) -> str:
    """The month ``count`` months after ``month`` (before, when negative): ``"2026-01"``, -1 →
    ``"2025-12"``. The one piece of month arithmetic."""
    year, mon = (int(part) for part in month.split("-"))
    index = year * 12 + mon - 1 + count
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def months_before(day: date, count: int) -> date:
    """The first day of the month ``count`` months before the month of ``day``."""
    return month_period(shift_month(month_of(day), -count)).start


def years_before(day: date, count: int = 1) -> date:
    """The same day ``count`` years earlier; 29 February becomes 28 February."""
    year = day.year - count
    return date(year, day.month, min(day.day, calendar.monthrange(year, day.month)[1]))


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def months_between(start: date, end: date) -> list[str]:
    """Every ``YYYY-MM`` from the month of ``start`` to the month of ``end``, in order."""
    months: list[str] = []
    year, mon = start.year, start.month
    while (year, mon) <= (end.year, end.month):
        months.append(f"{year:04d}-{mon:02d}")
        year, mon = (year + 1, 1) if mon == 12 else (year, mon + 1)
    return months


def parse_week(text: str) -> Period:
    """A typed ISO week ``YYYY-Www`` (a link, the CLI) within the accepted range, or a
    :class:`ValueError` saying what was expected."""
    week = iso_week_period(text)
    checked_day(week.start, "week")
    checked_day(week.end, "week")
    return week


def iso_week_period(week: str) -> Period:
    """``"2026-W47"`` → its Monday … Sunday; a :class:`ValueError` for anything else or a week
    that does not exist."""
    match = ISO_WEEK.fullmatch(week.strip().upper())
    if match is None:
        raise ValueError(f"week: expected an ISO week YYYY-Www, found {week!r}")
    try:
        monday = date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError:
        raise ValueError(f"week: {week!r} does not exist") from None
    sunday = monday + timedelta(days=6) if monday <= date.max - timedelta(days=6) else date.max
    return Period(monday, sunday)


def iso_week_of(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def monday_of(day: date) -> date:
    """The Monday of ``day``'s week (weeks run Monday to Sunday, as ISO weeks do)."""
    return day - timedelta(days=day.weekday())


def monday_before(day: date) -> date:
    """The Monday before ``day`` (a week before, when ``day`` is a Monday): where "since last
    Monday" starts."""
    return day - timedelta(days=day.weekday() or 7)


def weeks_later(period: Period, count: int) -> Period:
    """``period`` moved ``count`` weeks later (earlier when negative): the week after or
    before a week."""
    shift = timedelta(weeks=count)
    return Period(period.start + shift, period.end + shift)


def is_working_day(day: date, workdays: frozenset[int] = WORKDAYS) -> bool:
    return day.weekday() in workdays


def next_working_day(day: date, workdays: frozenset[int] = WORKDAYS) -> date:
    """The first working day after ``day``."""
    following = day + timedelta(days=1)
    while not is_working_day(following, workdays):
        following += timedelta(days=1)
    return following


def working_day_on_or_before(day: date, workdays: frozenset[int] = WORKDAYS) -> date:
    """``day`` when it is a working day, else the last working day before it."""
    while not is_working_day(day, workdays):
        day -= timedelta(days=1)
    return day


def working_day_on_or_after(day: date, workdays: frozenset[int] = WORKDAYS) -> date:
    """``day`` when it is a working day, else the first working day after it."""
    return day if is_working_day(day, workdays) else next_working_day(day, workdays)


@functools.lru_cache(maxsize=65536)
def working_days(period: Period, workdays: frozenset[int] = WORKDAYS) -> int:
    """Working days of ``period`` in O(1): whole weeks, then the days left over."""
    if period.end < period.start:
        return 0
    days = (period.end - period.start).days + 1
    weeks, rest = divmod(days, 7)
    first = period.start.weekday()
    return weeks * len(workdays) + sum(1 for n in range(rest) if (first + n) % 7 in workdays)


def working_days_elapsed(period: Period, as_of: date, workdays: frozenset[int] = WORKDAYS) -> int:
    """Working days of ``period`` up to and including ``as_of``."""
    if as_of < period.start:
        return 0
    return working_days(Period(period.start, min(as_of, period.end)), workdays)


def trailing_months(month: str, count: int = 12) -> Period:
    """The ``count`` whole months ending with ``month`` (``"2026-10"`` → Nov 2025 – Oct 2026)."""
    return Period(month_period(shift_month(month, 1 - count)).start, month_period(month).end)


def trailing_year(as_of: date) -> Period:
    """The 365 days ending with ``as_of`` (the trailing 12 months of docs/kpis.md#visit-efficiency
    and #customers)."""
    return Period(as_of - timedelta(days=364), as_of)


def elapsed_working_days(period: Period, as_of: date) -> int | None:
    """Working days of ``period`` elapsed by ``as_of`` (that day included) while the period
    is in progress; ``None`` once it is over (compare whole periods); 0 before it starts."""
    if as_of >= period.end:
        return None
    return working_days_elapsed(period, as_of)


def first_working_days(period: Period, count: int | None) -> Period:
    """``period`` up to and including its ``count``-th working day (the whole period for
    ``None``; an empty period for 0), to compare a period in progress with the same number of
    working days of an earlier one."""
    if count is None:
        return period
    if count <= 0:
        return Period(period.start, period.start - timedelta(days=1))
    seen, day = 0, period.start
    while day <= period.end:
        if is_working_day(day):
            seen += 1
            if seen == count:
                return Period(period.start, day)
        day += timedelta(days=1)
    return period
