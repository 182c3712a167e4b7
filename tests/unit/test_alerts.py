"""Alerts of the day (issue 37.3), by hand: a missing daily report once 20:00 has passed,
planned activities left unrecorded, a key customer that became overdue that day."""

from __future__ import annotations

from datetime import date

import pandas as pd

from crm_core.alerts import DayFacts, by_region, day_alerts, for_rep
from crm_core.efficiency import cadence

REPS = pd.DataFrame(
    [("E1", "甲", "R1"), ("E2", "乙", "R1"), ("E3", "丙", "R2")],
    columns=["rep_id", "name", "region_id"],
)
TUESDAY = date(2026, 11, 17)


def key_customers(day: date) -> pd.DataFrame:
    """K1 (E1): last call and visit 17 Oct, 31 days before the 17th of November (over 30:
    overdue that day, not the day before at 30); K2 (E2): last call 1 Oct (overdue since the
    1st of November); K3 (E3): called on the 10th."""
    last = pd.DataFrame(
        [("K1", "鑫达", "E1", "key", date(2026, 10, 17), date(2026, 10, 17)),
         ("K2", "恒通", "E2", "key", date(2026, 10, 1), date(2026, 10, 1)),
         ("K3", "华泰", "E3", "key", date(2026, 11, 10), date(2026, 11, 10))],
        columns=["customer_id", "name", "owner_rep_id", "priority", "last_call", "last_visit"],
    )  # fmt: skip
    return cadence(last, day)


def facts(day: date = TUESDAY, over: bool = True) -> DayFacts:
    planned = pd.DataFrame([("E1", 2), ("E3", 0)], columns=["rep_id", "planned"])
    return DayFacts(day, over, REPS, frozenset({"E1"}), planned, key_customers(day),
                    key_customers(date(2026, 11, 16)))  # fmt: skip


def test_the_three_rules_of_a_working_day_after_20() -> None:
    alerts = day_alerts(facts())
    got = [(a["region"], a["rule"], a["rep"], a["count"], a["customer"], a["contact"], a["days"])
           for a in alerts.to_dict("records")]  # fmt: skip
    assert got == [
        ("R1", "missing_report", "E2", None, None, None, None),  # E1 reported
        ("R1", "unrecorded", "E1", 2, None, None, None),
        ("R1", "key_silent", "E1", None, "K1", "call", 31),  # 17 Nov − 17 Oct
        ("R2", "missing_report", "E3", None, None, None, None),
    ]
    assert list(by_region(alerts)) == ["R1", "R2"]
    assert list(for_rep(alerts, "E1").rule) == ["unrecorded", "key_silent"]


def test_before_20_only_key_customers_and_on_a_sunday_no_report_is_due() -> None:
    assert list(day_alerts(facts(over=False)).rule) == ["key_silent"]
    sunday = date(2026, 11, 15)
    quiet = DayFacts(sunday, True, REPS, frozenset(), pd.DataFrame(columns=["rep_id", "planned"]),
                     key_customers(sunday), key_customers(date(2026, 11, 14)))  # fmt: skip
    assert day_alerts(quiet).empty  # no report due on a Sunday, nobody crossed a limit


def test_a_customer_overdue_already_is_not_said_again() -> None:
    next_day = date(2026, 11, 18)
    nothing = pd.DataFrame(columns=["rep_id", "planned"])
    later = DayFacts(next_day, False, REPS, frozenset(), nothing, key_customers(next_day),
                     key_customers(TUESDAY))  # fmt: skip
    assert day_alerts(later).empty
