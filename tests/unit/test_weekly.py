"""The Monday report's metrics (SPEC §4.2 weekly), worked out by hand."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from crm_core.periods import iso_week_period
from crm_core.weekly import WeekFacts, sales_drops, week_metrics, weekly_report

# November 2026 has 21 working days, December 23: both targets are 100,000 a working day.
TARGETS = {"2026-11": 2_100_000, "2026-12": 2_300_000}
W49 = iso_week_period("2026-W49")  # Mon 30 Nov - Sun 6 Dec: 1 November + 4 December days
W48 = iso_week_period("2026-W48")  # Mon 23 - Sun 29 Nov


def facts(week, **values) -> WeekFacts:  # noqa: ANN001
    return WeekFacts(week=week, monthly_targets=TARGETS, **values)


THIS = facts(
    W49,
    revenue=450_000,
    mtd_revenue=380_000,
    new_customers=3,
    collections=300_000,
    done=40,
    effective=30,
    sales=4,
    reps=4,
    reports_on_time=17,
    next_week_planned=95,
)
LAST = facts(
    W48,
    revenue=400_000,
    mtd_revenue=1_700_000,
    new_customers=1,
    collections=500_000,
    done=50,
    effective=30,
    sales=3,
    reps=4,
    reports_on_time=18,
    next_week_planned=90,
)


def test_a_week_spanning_two_months_takes_its_target_from_both() -> None:
    metrics = week_metrics(THIS)
    assert metrics["week_target"] == 1 * 100_000 + 4 * 100_000
    assert metrics["week_attainment"] == 450_000 / 500_000
    # Month to date = December 1-6 (the month of the week's Sunday): 4 working days.
    assert metrics["mtd_target"] == 4 * 100_000
    assert metrics["mtd_attainment"] == 380_000 / 400_000
    assert metrics["next_week_target"] == 5 * 100_000  # 7-11 December


def test_the_process_metrics_of_a_week() -> None:
    metrics = week_metrics(THIS)
    assert metrics["effective_visit_rate"] == 30 / 40
    assert metrics["transaction_rate"] == 4 / 40
    assert metrics["sales_per_rep"] == 450_000 / 4
    assert metrics["report_on_time_rate"] == 17 / (4 * 5)
    assert (metrics["new_customers"], metrics["collections"]) == (3, 300_000)
    assert metrics["next_week_planned"] == 95


def test_last_week_and_the_change() -> None:
    report = weekly_report(THIS, LAST).set_index("metric")
    assert report.loc["week_attainment", "last_week"] == 400_000 / 500_000
    assert report.loc["week_attainment", "change"] == pytest.approx(0.9 - 0.8)
    # Last week's month to date is November 1-29: 20 working days.
    assert report.loc["mtd_target", "last_week"] == 20 * 100_000
    assert report.loc["mtd_attainment", "last_week"] == 1_700_000 / 2_000_000
    assert report.loc["collections", "change"] == 300_000 - 500_000
    assert report.loc["effective_visit_rate", "change"] == pytest.approx(30 / 40 - 30 / 50)
    assert report.loc["report_on_time_rate", "change"] == pytest.approx(17 / 20 - 18 / 20)
    assert report.loc["new_customers", "change"] == 2


def test_an_empty_week_gives_undefined_ratios_not_zero() -> None:
    empty = WeekFacts(W49, 0, 0, 0, 0, done=0, effective=0, sales=0, reps=0, reports_on_time=0)
    metrics = week_metrics(empty)
    assert metrics["week_attainment"] is None and metrics["effective_visit_rate"] is None
    assert metrics["sales_per_rep"] is None and metrics["report_on_time_rate"] is None
    assert metrics["week_target"] is None


def test_customers_below_half_their_trailing_8_week_average_are_abnormal() -> None:
    start = date(2026, 11, 30)
    weeks = pd.date_range(end="2026-11-23", periods=8, freq="7D").date  # 5 Oct … 23 Nov
    rows = [("A", w, 100_000) for w in weeks] + [("A", start, 40_000)]
    rows += [("B", w, 100_000) for w in weeks] + [("B", start, 60_000)]
    rows += [("C", w, 5_000) for w in weeks]  # average 5,000: not material
    rows += [("D", date(2026, 9, 28), 900_000)]  # nine weeks back: outside the window
    weekly = pd.DataFrame(rows, columns=["customer_id", "week_start", "revenue"])
    dropped = sales_drops(weekly, start, material=10_000)
    assert dropped.to_dict("records") == [
        {"customer_id": "A", "week_revenue": 40_000, "trailing_average": 100_000.0}
    ]
