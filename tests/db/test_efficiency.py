"""Efficiency aggregates on both databases (tests/world.py, October 2026)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine

from crm_core.periods import month_period
from crm_core.scope import Scope
from db import efficiency
from tests.world import LOADED_AS_OF, load_world

OCTOBER = month_period("2026-10")


def test_totals_outcomes_and_last_contacts(engine: Engine) -> None:
    load_world(engine)
    with engine.connect() as conn:
        totals = efficiency.totals_by_rep(conn, Scope.everything(), OCTOBER)
        calls = efficiency.call_outcomes(conn, Scope.everything(), OCTOBER)
        contacts = efficiency.last_contacts(conn, Scope.for_manager(["R001"]), date(2026, 11, 5))
        revenue, minutes = efficiency.revenue_and_minutes(
            conn, Scope.everything(), date(2026, 11, 5)
        )
    e02 = totals["E02"]  # A1 done planned visit sale 60 min ¥150; A2 planned call missed
    assert (e02.done, e02.effective, e02.sales, e02.planned_done, e02.planned_missed) == (
        1,
        1,
        1,
        1,
        1,
    )
    assert (e02.minutes, e02.cost, e02.revenue) == (60, 15_000, 3_000_050)
    assert calls == {"contacted": 1}  # A3; A2 was a missed call
    assert contacts[["customer_id", "last_call", "last_visit"]].values.tolist() == [
        ["C1", None, date(2026, 10, 5)],
        ["C2", None, None],
    ]
    assert revenue == {"C1": 3_000_050, "C3": 2_000_000}
    assert minutes == {"C1": 60, "C3": 10}


def test_activities_per_working_day_of_a_period_in_progress_use_the_days_elapsed(
    engine: Engine,
) -> None:
    """Issue 13.10: on Wednesday 2026-10-14 ten of October's 22 working days have passed; E02
    did one activity (A1), so 1 / 10 a day, not 1 / 22."""
    from datetime import date

    from crm_core.efficiency import efficiency as rates

    load_world(engine)
    with engine.connect() as conn:
        in_progress = efficiency.totals_by_rep(
            conn, Scope.everything(), OCTOBER, date(2026, 10, 14)
        )
        whole = efficiency.totals_by_rep(conn, Scope.everything(), OCTOBER)
        future = efficiency.totals_by_rep(conn, Scope.everything(), OCTOBER, date(2026, 9, 30))
    assert rates(in_progress["E02"])["activities_per_rep_day"] == 1 / 10
    assert rates(whole["E02"])["activities_per_rep_day"] == 1 / 22
    assert rates(future["E02"])["activities_per_rep_day"] is None, "not started: undefined"


def test_only_customers_that_may_be_overdue_are_read_for_the_overdue_list(engine: Engine) -> None:
    """On Wed 2026-11-18 (limits: key call 30 / visit 91 days, normal 91 / 182, low 182 / 365):
    C1 (key) was called on 2026-10-19, 30 days before, and visited on 2026-10-05 (A1), 44
    days: on cadence, so it is not read. C2 (normal) was called on 2026-08-18, 92 days, one
    past its limit: overdue. C3 (low) was called on 2026-10-06 (A3) and visited only on
    2026-11-20, after the day: looked up, never visited by then, overdue."""
    from crm_core.efficiency import cadence, overdue_list

    load_world(engine)
    header = "activity_id,date,rep_id,customer_id,kind,purpose,status,planned,outcome,duration_min,cost,notes"  # noqa: E501
    rows = [
        "A4,2026-10-19,E02,C1,call,service,done,false,contacted,5,1.00,",
        "A5,2026-08-18,E02,C2,call,service,done,false,contacted,5,1.00,",
        "A6,2026-11-20,E03,C3,visit,service,done,false,,30,10.00,",
    ]
    from db.transfer import import_rows

    lines = [line.split(",") for line in [header, *rows]]
    result = import_rows(engine, "activities", lines, as_of=LOADED_AS_OF)
    assert result.ok, [str(e) for e in result.errors]
    day = date(2026, 11, 18)
    with engine.connect() as conn:
        every = efficiency.last_contacts(conn, Scope.everything(), day)
        few = efficiency.last_contacts(conn, Scope.everything(), day, overdue_only=True)
    assert every[["customer_id", "last_call", "last_visit"]].values.tolist() == [
        ["C1", date(2026, 10, 19), date(2026, 10, 5)],
        ["C2", date(2026, 8, 18), None],
        ["C3", date(2026, 10, 6), None],
    ]
    assert few[["customer_id", "last_call", "last_visit"]].values.tolist() == [
        ["C2", date(2026, 8, 18), None],
        ["C3", date(2026, 10, 6), None],
    ]
    due = overdue_list(cadence(few, day))
    assert due.equals(overdue_list(cadence(every, day)))
    assert list(due.customer_id) == ["C2", "C3"]  # normal before low
