"""Period presets of the shared filter: this month, last month, last week, this quarter,
year to date, next year (docs/roles.md), computed from an explicit as-of date."""

from __future__ import annotations

from datetime import date, timedelta

from crm_core.periods import Period, monday_of, month_period

PRESETS = (
    "this_month", "last_month", "last_week", "this_quarter", "year_to_date", "next_year",
    "custom",
)  # fmt: skip


def preset_period(preset: str, as_of: date) -> Period:
    match preset:
        case "this_month":
            return month_period(f"{as_of:%Y-%m}")
        case "last_month":
            return month_period(f"{as_of.replace(day=1) - timedelta(days=1):%Y-%m}")
        case "last_week":
            monday = monday_of(as_of) - timedelta(days=7)
            return Period(monday, monday + timedelta(days=6))
        case "this_quarter":
            first = (as_of.month - 1) // 3 * 3 + 1
            return Period(
                date(as_of.year, first, 1), month_period(f"{as_of.year}-{first + 2:02d}").end
            )
        case "year_to_date":
            return Period(date(as_of.year, 1, 1), as_of)
        case "next_year":  # the year being planned: its targets before any sale
            return Period(date(as_of.year + 1, 1, 1), date(as_of.year + 1, 12, 31))
    raise ValueError(f"unknown period preset {preset!r}")
