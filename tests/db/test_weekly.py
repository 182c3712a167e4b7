"""The Monday report's aggregates on both databases (tests/world.py, week 2026-W41)."""

from __future__ import annotations

from sqlalchemy import Engine

from crm_core.periods import iso_week_period
from crm_core.scope import Scope
from services import weekly
from tests.world import load_world


def test_week_facts_of_the_world(engine: Engine) -> None:
    load_world(engine)
    with engine.connect() as conn:
        facts = weekly.week_facts(conn, Scope.everything(), iso_week_period("2026-W41"))
        east = weekly.week_facts(conn, Scope.for_manager(["R002"]), iso_week_period("2026-W41"))
    assert (facts.revenue, facts.mtd_revenue, facts.new_customers, facts.collections) == (
        2_500_000, 2_500_000, 1, 0
    )  # fmt: skip
    assert (facts.done, facts.effective, facts.sales) == (2, 2, 1)
    assert (facts.reps, facts.reports_on_time) == (2, 1)
    assert facts.monthly_targets == {"2026-10": 10_000_000}
    # R002: no order in W41; A3 (E03, done, contacted); E03 inactive; no report.
    assert (east.revenue, east.done, east.effective, east.sales, east.reps) == (0, 1, 1, 0, 0)
    assert east.monthly_targets == {"2026-10": 4_000_000}


def test_next_weeks_planned_activities_count_what_was_on_the_plan(engine: Engine) -> None:
    """Issue 13.10: W40's 'next week planned' is W41's activities planned = true (A1 done, A2
    missed): two, however long ago W41 was — not the ones still open (none by now)."""
    load_world(engine)
    with engine.connect() as conn:
        facts = weekly.week_facts(conn, Scope.everything(), iso_week_period("2026-W40"))
        report = weekly.monday_report(conn, Scope.everything(), iso_week_period("2026-W40"), "x")
    assert facts.next_week_planned == 2
    assert dict(zip(report.next_week.rep, report.next_week.planned, strict=True))["E02"] == 2


def test_a_month_in_progress_is_compared_with_as_many_working_days(engine: Engine) -> None:
    """Issue 14.6 (monthly, here for the shared world): on 2026-11-04 R001 sold 50,000.00
    (O9 on 11-03); in October's first three working days (1, 2, 5) it sold 25,000.00 (O1 on
    10-05) — not the whole October's 30,000.50. R002 sold nothing in those days: no growth.
    December has not started: no growth either."""
    from datetime import date

    from db.transfer import import_rows
    from services import monthly
    from tests.world import rows_of

    load_world(engine)
    order = "order_id,date,customer_id,rep_id,product_id,quantity,amount,cost\n"
    order += "O9,2026-11-03,C1,E02,P1,1,50000.00,1.00\n"
    assert import_rows(engine, "orders", rows_of(order), "o.csv").ok
    with engine.connect() as conn:
        now = monthly.ranked_attainment(conn, Scope.everything(), "2026-11", date(2026, 11, 4),
                                        "region")  # fmt: skip
        ahead = monthly.ranked_attainment(conn, Scope.everything(), "2026-12", date(2026, 11, 4),
                                          "region")  # fmt: skip
    growth = {row["region"]: row["mom"] for row in now.to_dict("records")}
    assert growth["R001"] == 5_000_000 / 2_500_000 - 1
    assert growth.get("R002") is None
    assert all(v is None for v in ahead["mom"]) and all(v is None for v in ahead["yoy"])
