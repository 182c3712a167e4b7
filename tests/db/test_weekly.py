"""The Monday report's aggregates on both databases (tests/world.py, week 2026-W41)."""

from __future__ import annotations

from sqlalchemy import Engine

from crm_core.periods import iso_week_period
from crm_core.scope import Scope
from db import weekly
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
