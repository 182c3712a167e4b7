"""The daily tier (SPEC §4.2), by hand."""

from __future__ import annotations

from datetime import date, datetime, time

import pandas as pd
import pytest

from crm_core.daily import daily_table, on_time

DAY = date(2026, 11, 18)


@pytest.mark.parametrize(
    ("clock", "expected"),
    [(time(19, 59), True), (time(20, 0), True), (time(20, 1), False), (time(23, 59), False)],
)
def test_a_report_is_on_time_up_to_20_00_the_same_day(clock: time, expected: bool) -> None:
    assert on_time(datetime.combine(DAY, clock), DAY) is expected


def test_a_report_the_next_morning_is_late_and_no_report_is_undefined() -> None:
    assert on_time(datetime(2026, 11, 19, 8, 0), DAY) is False
    assert on_time(None, DAY) is None
    assert on_time(datetime.combine(DAY, time(21, 0)), DAY, cutoff=time(22, 0)) is True


def test_the_daily_table_has_every_rep_with_counts_sales_and_report_status() -> None:
    reps = pd.DataFrame({"rep_id": ["E1", "E2", "E3"], "name": ["张伟", "李娜", "王强"]})
    counts = pd.DataFrame(
        [("E1", 4, 4, 1, 1, 3, 0), ("E2", 2, 0, 0, 0, 0, 2)],
        columns=["rep", "planned", "done", "missed", "unplanned", "effective", "open"],
    )
    sales = pd.DataFrame(
        {"rep": ["E1"], "revenue": [2_500_000], "gross_margin": [1], "orders": [1]}
    )
    collections = pd.DataFrame({"rep": ["E2"], "collections": [800_000]})
    reports = pd.DataFrame(
        {
            "rep": ["E1", "E2"],
            "submitted_at": [datetime(2026, 11, 18, 19, 59), datetime(2026, 11, 18, 20, 1)],
            "status": ["approved", "returned"],
        }
    )
    table = daily_table(reps, counts, sales, collections, reports, DAY)
    assert table.drop(columns="name").to_dict("records") == [
        {"rep": "E1", "planned": 4, "done": 4, "missed": 1, "unplanned": 1, "effective": 3,
         "open": 0, "revenue": 2_500_000, "collections": 0, "report_status": "approved",
         "on_time": True},
        {"rep": "E2", "planned": 2, "done": 0, "missed": 0, "unplanned": 0, "effective": 0,
         "open": 2, "revenue": 0, "collections": 800_000, "report_status": "returned",
         "on_time": False},
        {"rep": "E3", "planned": 0, "done": 0, "missed": 0, "unplanned": 0, "effective": 0,
         "open": 0, "revenue": 0, "collections": 0, "report_status": "missing",
         "on_time": None},
    ]  # fmt: skip
