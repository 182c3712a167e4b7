"""Visit efficiency (SPEC §4.3), every expectation by hand."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest

from crm_core.efficiency import (
    ActivityTotals,
    cadence,
    call_funnel,
    compliance,
    efficiency,
    league,
    time_allocation,
)

AS_OF = date(2026, 11, 18)


def test_the_source_texts_call_table() -> None:
    # 100 dialed; 50 reached nobody; 13 got an appointment and all 13 a presentation; 5 sold.
    outcomes = {"no_contact": 50, "contacted": 37, "presentation": 8, "sale": 5}
    funnel = call_funnel(outcomes, revenue=200_000 * 100)
    assert funnel.steps[["step", "count"]].values.tolist() == [
        ["dialed", 100], ["completed", 50], ["appointment", 13], ["presentation", 13], ["sale", 5]
    ]  # fmt: skip
    assert funnel.steps.conversion.tolist() == [None, 50 / 100, 13 / 50, 13 / 13, 5 / 13]
    assert funnel.revenue_per_call == 2_000 * 100  # ¥2,000 (the source prints ¥200)
    assert funnel.commission_per_call == 100 * 100  # ¥100 at 5 % (source: ¥10)


def test_no_calls_give_undefined_conversions_and_per_call_values() -> None:
    funnel = call_funnel({}, revenue=0)
    assert funnel.steps["count"].tolist() == [0, 0, 0, 0, 0]
    assert funnel.steps.conversion.tolist() == [None] * 5
    assert (funnel.revenue_per_call, funnel.commission_per_call) == (None, None)


def test_rates_of_a_rep() -> None:
    # 40 done: 30 beyond no contact, 4 sales; plan: 32 done + 8 missed; 1,800 minutes;
    # cost ¥2,000; revenue ¥120,000; over 20 working days.
    totals = ActivityTotals(done=40, effective=30, sales=4, planned_done=32, planned_missed=8,
                            minutes=1_800, cost=200_000, revenue=12_000_000, reps=1,
                            working_days=20)  # fmt: skip
    assert efficiency(totals) == {
        "effective_visit_rate": 30 / 40,
        "transaction_rate": 4 / 40,
        "plan_adherence": 32 / (32 + 8),
        "activities_per_rep_day": 40 / 20,
        "sales_per_activity": 12_000_000 / 40,
        "cost_per_activity": 200_000 / 40,
        "revenue_to_cost": 12_000_000 / 200_000,
        "roi_per_hour": 12_000_000 / (1_800 / 60),
    }


def test_no_activities_mean_undefined_rates_not_zero() -> None:
    rates = efficiency(ActivityTotals(0, 0, 0, 0, 0, 0, 0, 0, reps=0, working_days=0))
    assert set(rates.values()) == {None}


def ago(days: int | None) -> date | None:
    return None if days is None else AS_OF - timedelta(days=days)


@pytest.mark.parametrize(
    ("priority", "call_days", "visit_days", "call_overdue", "visit_overdue"),
    [
        ("key", 29, 90, False, False),
        ("key", 32, 92, True, True),  # a key customer: call monthly, visit quarterly
        ("normal", 91, 182, False, False),
        ("normal", 92, 183, True, True),
        ("low", 182, 365, False, False),
        ("low", 183, 366, True, True),
        ("key", None, None, True, True),  # never contacted
    ],
)
def test_contact_cadence_boundaries(
    priority, call_days, visit_days, call_overdue, visit_overdue
) -> None:
    table = cadence(
        pd.DataFrame([{"customer_id": "C1", "owner_rep_id": "E1", "priority": priority,
                       "last_call": ago(call_days), "last_visit": ago(visit_days)}]),
        AS_OF,
    )  # fmt: skip
    row = table.iloc[0]
    assert (row.call_overdue, row.visit_overdue) == (call_overdue, visit_overdue)
    known = [d for d in (call_days, visit_days) if d is not None]
    assert row.days_since_contact == (min(known) if known else None)


def test_compliance_per_rep() -> None:
    customers = pd.DataFrame(
        [("C1", "E1", "key", ago(10), ago(20)), ("C2", "E1", "key", ago(40), ago(20)),
         ("C3", "E1", "low", ago(100), ago(200)), ("C4", "E2", "normal", ago(5), None)],
        columns=["customer_id", "owner_rep_id", "priority", "last_call", "last_visit"],
    )  # fmt: skip
    table = compliance(cadence(customers, AS_OF))
    assert table.values.tolist() == [["E1", 3, 1, 2 / 3], ["E2", 1, 1, 0.0]]


def test_time_allocation_against_the_60_30_10_guideline() -> None:
    # 10 customers C01..C10 with revenue 10..1: top 10 % = C01, next 30 % = C02-C04, rest C05-C10.
    revenue = {f"C{i:02d}": (11 - i) * 1_000 for i in range(1, 11)}
    minutes = {"C01": 300, "C02": 100, "C03": 100, "C05": 400, "C10": 100}
    table = time_allocation(revenue, minutes)
    assert table.values.tolist() == [
        ["top_10", 1, 300, 300 / 1_000, 0.6],
        ["next_30", 3, 200, 200 / 1_000, 0.3],
        ["rest_60", 6, 500, 500 / 1_000, 0.1],
    ]
    assert time_allocation({}, {}).share.tolist() == [None, None, None]


def test_time_allocation_ranks_ties_by_id_and_time_without_revenue_last() -> None:
    # A and B tie at 100 (A first, by ID), C and D at 50; Z spent time but bought nothing, so
    # it ranks last. 10 customers: top 10 % = A; next 30 % = B, C, D; the rest E–I and Z.
    revenue = {"B": 100, "A": 100, "D": 50, "C": 50, "E": 10, "F": 10, "G": 10, "H": 5, "I": 5}
    minutes = {"A": 10, "B": 20, "C": 40, "D": 80, "Z": 1_000}
    table = time_allocation(revenue, minutes)
    assert table[["group", "customers", "minutes"]].values.tolist() == [
        ["top_10", 1, 10], ["next_30", 3, 20 + 40 + 80], ["rest_60", 6, 1_000]
    ]  # fmt: skip
    assert table.share.tolist() == [10 / 1_150, 140 / 1_150, 1_000 / 1_150]


def test_cadence_of_no_customers_keeps_its_columns() -> None:
    """Issue 13.7: a rep without customers (the page filtered on owner_rep_id and crashed)."""
    none = pd.DataFrame(columns=["customer_id", "owner_rep_id", "priority", "last_call",
                                 "last_visit"])  # fmt: skip
    table = cadence(none, date(2026, 11, 18))
    assert table.empty and {"owner_rep_id", "overdue", "call_overdue"} <= set(table.columns)
    assert compliance(table).empty


def test_the_league_has_a_row_per_rep_and_the_team_median_beside_it() -> None:
    # E1: 10 done, 6 effective, 2 sales; E2: 4 done, 1 effective, 0 sales; E3: nothing done
    totals = {
        "E2": ActivityTotals(4, 1, 0, 4, 0, 120, 2_000, 0),
        "E1": ActivityTotals(10, 6, 2, 8, 2, 600, 10_000, 500_000),
        "E3": ActivityTotals(0, 0, 0, 0, 3, 0, 0, 0),
    }
    table = league(totals, {"E1": 1.2, "E2": 0.5})
    assert list(table.reps.rep) == ["E1", "E2", "E3"]
    assert list(table.reps.transaction_rate) == [2 / 10, 0 / 4, None]
    assert list(table.reps.attainment) == [1.2, 0.5, None]
    # medians leave undefined values out: transaction rate of E1 and E2, done of all three
    assert table.median["transaction_rate"] == (0.2 + 0.0) / 2
    assert table.median["done"] == 4
    assert table.median["plan_adherence"] == 8 / 10  # E1 0.8, E2 1.0, E3 0.0 → 0.8
    assert league({}, {}).median == {}
    # six days into a month: 20 % of the target at 25 % of the working days is pace 0.8
    paced = league(totals, {"E1": 0.2, "E2": 0.3}, {"E1": 0.2 / 0.25, "E2": 0.3 / 0.25})
    assert list(paced.reps.pace) == [0.8, 1.2, None] and paced.median["pace"] == 1.0
