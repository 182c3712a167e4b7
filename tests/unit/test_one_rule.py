"""One rule, one place (issue 16.3): working days, month arithmetic and cents-to-yuan each
have one definition that every layer uses; the definitions by hand."""

from __future__ import annotations

import re
from datetime import date

import pytest

from crm_core import formatting as fmt
from crm_core.efficiency import effective_visit_rate, transaction_rate
from crm_core.periods import months_before, next_working_day, shift_month, trailing_months
from tests.unit.test_dependency_rule import ROOT, source_files

SOURCES = ["cli.py", "crm_core", "db", "services", "ui", "pages"]
# a rule written out again: the pattern and the one module allowed to hold it
RULES = {
    "is a working day": (re.compile(r"weekday\(\)\s*(<|>=|in)\s"), "crm_core/periods.py"),
    "month index arithmetic": (re.compile(r"\* 12 \+"), "crm_core/periods.py"),
    "effective = outcome beyond no contact": (re.compile(r'outcome\s*!=\s*"no_contact"'),
                                              "db/summaries.py"),
    "a table as the app shows it (no index, a missing value as —)": (
        re.compile(r"\.dataframe\("), "ui/tables.py"),
}  # fmt: skip


@pytest.mark.parametrize("rule", sorted(RULES))
def test_the_rule_is_written_in_one_module(rule: str) -> None:
    pattern, home = RULES[rule]
    holders = sorted(
        str(f.relative_to(ROOT))
        for f in source_files(SOURCES)
        if pattern.search(f.read_text(encoding="utf-8"))
    )
    assert holders == [home]


def test_month_arithmetic_by_hand() -> None:
    assert shift_month("2026-01", -1) == "2025-12"
    assert shift_month("2025-12", 1) == "2026-01"
    assert shift_month("2026-11", -23) == "2024-12"
    assert months_before(date(2026, 3, 31), 1) == date(2026, 2, 1)
    assert trailing_months("2026-10").start == date(2025, 11, 1)


def test_the_next_working_day_skips_the_weekend() -> None:
    assert next_working_day(date(2026, 11, 20)) == date(2026, 11, 23)  # Friday → Monday
    assert next_working_day(date(2026, 11, 18)) == date(2026, 11, 19)


def test_rates_and_yuan_by_hand() -> None:
    assert effective_visit_rate(3, 4) == 0.75 and effective_visit_rate(0, 0) is None
    assert transaction_rate(1, 4) == 0.25 and transaction_rate(0, 0) is None
    assert fmt.yuan(123_456) == 1234.56 and fmt.yuan(None) is None
    assert fmt.yuan(100_001, 2) == 1000.01 and fmt.yuan(float("nan")) is None
