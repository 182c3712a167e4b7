"""Pipeline data and formulas on both databases, on the hand-built pipeline of tests/world.py
(as of 2026-11-18). Every expectation is worked out by hand from the deals' written history."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine, insert, select

from crm_core import pipeline as core
from crm_core.periods import Period, month_period
from crm_core.scope import Scope
from db import pipeline
from db.transfer import import_rows
from tests.world import PIPELINE, load_world

AS_OF = date(2026, 11, 18)
ALL = Scope.everything()
SINCE_MAY = Period(date(2026, 5, 1), AS_OF)  # the cohort of every deal of the world
# furthest: D8 identified; D5 contacted; D2 (lost) and D6 qualified; D3 developed;
# D4 committed; D1 and D7 won
FURTHEST_SINCE_MAY = {
    "identified": 1, "contacted": 1, "qualified": 2, "developed": 1, "committed": 1, "won": 2
}  # fmt: skip


@pytest.fixture
def world(engine: Engine) -> Engine:
    load_world(engine, PIPELINE)
    return engine


def test_open_deals_carry_the_stage_and_since_from_history(world: Engine) -> None:
    with world.connect() as conn:
        deals = pipeline.open_deals(conn, ALL, AS_OF)
    assert deals[
        ["opportunity_id", "stage", "stage_since", "region", "amount"]
    ].values.tolist() == [
        ["D3", "developed", date(2026, 10, 1), "R001", 20_000_000],
        ["D4", "committed", date(2026, 11, 10), "R001", 8_000_000],
        ["D5", "contacted", date(2026, 8, 20), "R001", 3_000_000],
        ["D6", "qualified", date(2026, 10, 20), "R002", 4_000_000],
    ]


def test_a_deal_is_seen_as_it_stood_on_an_earlier_day(world: Engine) -> None:
    with world.connect() as conn:  # on 2026-10-05: D1 still committed, D4 not created yet
        deals = pipeline.open_deals(conn, ALL, date(2026, 10, 5))
    assert deals[["opportunity_id", "stage"]].values.tolist() == [
        ["D1", "committed"],
        ["D3", "developed"],
        ["D5", "contacted"],
        ["D6", "identified"],
        ["D7", "contacted"],
    ]


def test_open_pipeline_per_stage_with_weights(world: Engine) -> None:
    with world.connect() as conn:
        table = core.open_pipeline(pipeline.open_deals(conn, ALL, AS_OF))
    assert table[["stage", "count", "amount", "weighted"]].values.tolist() == [
        ["identified", 0, 0, 0],
        ["contacted", 1, 3_000_000, 3_000_000 * 20 // 100],
        ["qualified", 1, 4_000_000, 4_000_000 * 40 // 100],
        ["developed", 1, 20_000_000, 20_000_000 * 60 // 100],
        ["committed", 1, 8_000_000, 8_000_000 * 90 // 100],
        ["total", 4, 35_000_000, 600_000 + 1_600_000 + 12_000_000 + 7_200_000],
    ]


def test_stage_conversion_counts_skipped_stages_as_passed(world: Engine) -> None:
    with world.connect() as conn:
        furthest, stays = pipeline.conversion_counts(conn, ALL, SINCE_MAY, AS_OF)
    assert furthest == FURTHEST_SINCE_MAY
    table = core.stage_conversion(furthest, stays)
    assert table[["stage", "entered", "advanced", "conversion"]].values.tolist() == [
        ["identified", 8, 7, 7 / 8],
        ["contacted", 7, 6, 6 / 7],  # D2 skipped contacted: entered and passed
        ["qualified", 6, 4, 4 / 6],  # D3, D4 and D7 skipped it; D2 lost and D6 waits here
        ["developed", 4, 3, 3 / 4],
        ["committed", 3, 2, 2 / 3],
    ]
    identified = [10, 15, 10, 12, 19, 35, 10, 11]  # D1…D8 to their next entry
    contacted = [20, 20, 9, 178]  # D1, D3, D4, D7 (05-11 → 11-05); D5 is still in it
    assert stays == {
        "identified": (sum(identified), 8),
        "contacted": (sum(contacted), 4),
        "qualified": (20 + 30, 2),  # D1; D2 until it was lost
        "developed": (20, 1),
        "committed": (61, 1),  # D1 08-10 → 10-10
    }
    assert table.avg_days.tolist() == [122 / 8, 227 / 4, 25.0, 20.0, 61.0]


def test_stage_conversion_as_the_history_stood_on_an_earlier_day(world: Engine) -> None:
    """Entries after the as-of day are not read; a deal without any entry yet counts at its
    first stage."""
    as_of = date(2026, 10, 25)
    with world.begin() as conn:
        conn.execute(
            insert(pipeline.deals_t).values(
                opportunity_id="D9", customer_id="C2", rep_id="E02", name="新线索",
                amount_cents=1_000_000, stage="identified", created_on=date(2026, 10, 1),
                expected_close=date(2026, 12, 31),
            )
        )  # fmt: skip
        furthest, stays = pipeline.conversion_counts(
            conn, ALL, Period(date(2026, 8, 1), as_of), as_of
        )
    # the cohort: D5 (08-01), D3 (09-01), D6 (09-15), D9 (10-01, no entry), D4 (10-20);
    # D4 entered contacted only on 11-01
    assert furthest == {"identified": 2, "contacted": 1, "qualified": 1, "developed": 1}
    assert stays == {
        "identified": (19 + 10 + 35, 3),  # D5 08-01 → 08-20, D3 09-01 → 09-11, D6 09-15 → 10-20
        "contacted": (20, 1),  # D3 09-11 → 10-01; D5 is still in it
    }


def test_stage_conversion_after_entries_imported_into_histories(world: Engine) -> None:
    """An entry imported into the middle of a history ends the stay before it; one on the
    same day as another is ordered by the stage (lost last): the kept stays follow."""
    rows = [["opportunity_id", "stage", "entered_on"],
            ["D3", "qualified", "2026-09-20"],  # between contacted (09-11) and developed (10-01)
            ["D5", "lost", "2026-08-20"]]  # the day D5 entered contacted  # fmt: skip
    result = import_rows(world, "opportunity_stages", rows)
    assert result.ok, [str(e) for e in result.errors]
    with world.connect() as conn:
        furthest, stays = pipeline.conversion_counts(conn, ALL, SINCE_MAY, AS_OF)
    # the furthest stages are as before (lost is no progress; D3 still reached developed)
    assert furthest == FURTHEST_SINCE_MAY
    assert stays == {
        "identified": (122, 8),
        "contacted": (20 + 9 + 9 + 178 + 0, 5),  # D3 now 09-11 → 09-20; D5 08-20 → 08-20
        "qualified": (20 + 30 + 11, 3),  # D3 09-20 → 10-01
        "developed": (20, 1),
        "committed": (61, 1),
    }


def test_stale_by_both_rules_sorted_by_amount(world: Engine) -> None:
    with world.connect() as conn:
        rotting = core.stale(pipeline.open_deals(conn, ALL, AS_OF), AS_OF)
    # D3: 48 days in developed; D5: 90 days in contacted and 8 days past 2026-11-10;
    # D6: 29 days in qualified is not stale; D4: 8 days
    assert rotting[
        ["opportunity_id", "days_in_stage", "days_overdue", "reason"]
    ].values.tolist() == [
        ["D3", 48, 0, "no_change"],
        ["D5", 90, 8, "both"],
    ]


def test_closings_and_velocity_by_month(world: Engine) -> None:
    with world.connect() as conn:
        closings, open_counts = pipeline.trend_inputs(conn, ALL, AS_OF)
    assert closings["2026-11"] == core.Closings(won=1, lost=1, won_amount=6_000_000, cycle_days=188)
    assert closings["2026-10"] == core.Closings(
        won=1, lost=0, won_amount=10_000_000, cycle_days=131
    )
    assert closings["2026-08"] == core.Closings(won=0, lost=1)
    assert open_counts["2026-11"] == 4  # on 2026-11-18
    assert open_counts["2026-10"] == 5  # D3, D4, D5, D6, D7 on 10-31
    table = core.trend(closings, open_counts).set_index("month")
    assert table.loc["2026-11", "win_rate"] == 1 / 2
    assert table.loc["2026-11", "velocity"] == 4 * (1 / 2) * 6_000_000 / 188
    assert table.loc["2026-10", "velocity"] == 5 * 1.0 * 10_000_000 / 131
    assert table.loc["2026-08", "win_rate"] == 0.0
    assert table.loc["2026-08", "velocity"] is None  # nothing won: no deal size, no cycle
    assert table.loc["2026-07", "win_rate"] is None  # nothing closed


def coverage_by_rep(world: Engine, month: str) -> list[dict]:
    """The coverage rows by rep of ``month`` on the as-of day, thinnest first."""
    period = month_period(month)
    with world.connect() as conn:
        deals = pipeline.open_deals(conn, ALL, AS_OF)
        plan = pipeline.targets_and_actuals(conn, ALL, period, AS_OF, "rep")
    expected = core.expected_in(deals, period.start, period.end, "rep")
    return core.coverage(plan, expected, "rep").to_dict("records")


def test_coverage_and_forecast_for_next_month_without_actuals(world: Engine) -> None:
    e03, e02 = coverage_by_rep(world, "2026-12")  # thinnest first
    # E03: D6 ¥40,000 (qualified, 40%) against ¥50,000 still to sell
    assert e03 == {
        "rep": "E03", "target": 5_000_000, "actual": 0, "remaining": 5_000_000,
        "pipeline": 4_000_000, "coverage": 4_000_000 / 5_000_000, "status": "short",
        "weighted": 1_600_000, "forecast": 1_600_000, "forecast_attainment": 1_600_000 / 5_000_000,
    }  # fmt: skip
    # E02: D3 ¥200,000 (60%) + D4 ¥80,000 (90%) against ¥100,000
    assert e02 == {
        "rep": "E02", "target": 10_000_000, "actual": 0, "remaining": 10_000_000,
        "pipeline": 28_000_000, "coverage": 2.8, "status": "thin",
        "weighted": 12_000_000 + 7_200_000, "forecast": 19_200_000,
        "forecast_attainment": 19_200_000 / 10_000_000,
    }  # fmt: skip


def test_coverage_of_the_month_in_progress_counts_actuals_to_date_only(world: Engine) -> None:
    (e02,) = coverage_by_rep(world, "2026-11")
    # O4 ¥20,000 on 11-05 counts, O5 on 11-25 is after the as-of day; D5 ¥30,000 (20%) is due
    assert (e02["target"], e02["actual"], e02["remaining"]) == (6_000_000, 2_000_000, 4_000_000)
    assert e02["coverage"] == 3_000_000 / 4_000_000
    assert e02["forecast"] == 2_000_000 + 600_000


def test_a_manager_sees_only_their_regions_pipeline(world: Engine) -> None:
    east = Scope.for_manager(["R001"])
    with world.connect() as conn:
        deals = pipeline.open_deals(conn, east, AS_OF)
        furthest, _ = pipeline.conversion_counts(conn, east, Period(date(2026, 5, 1), AS_OF), AS_OF)
        closings, _ = pipeline.trend_inputs(conn, east, AS_OF)
        plan = pipeline.targets_and_actuals(conn, east, month_period("2026-12"), AS_OF, "region")
    assert set(deals.region) == {"R001"}
    assert sum(furthest.values()) == 6  # D6 and D7 belong to R002
    assert closings["2026-11"] == core.Closings(won=0, lost=1)
    assert plan.values.tolist() == [["R001", 10_000_000, 0]]


def test_an_empty_pipeline_gives_undefined_ratios(engine: Engine) -> None:
    load_world(engine, {k: v for k, v in PIPELINE.items() if not k.startswith("opportunit")})
    with engine.connect() as conn:
        deals = pipeline.open_deals(conn, ALL, AS_OF)
        furthest, stays = pipeline.conversion_counts(conn, ALL, month_period("2026-11"), AS_OF)
        closings, counts = pipeline.trend_inputs(conn, ALL, AS_OF)
    assert deals.empty and furthest == {} and stays == {}
    assert core.stage_conversion(furthest, stays).conversion.tolist() == [None] * 5
    assert core.trend(closings, counts).win_rate.tolist() == [None] * 12
    assert core.open_pipeline(deals).weighted.tolist() == [0] * 6


def test_open_deals_are_found_by_their_closing_day_on_sqlite(world: Engine) -> None:
    """SQLite has no statistics and would read every deal through ix_opportunities_created_on;
    ``+created_on`` leaves it ix_opportunities_closed_on (the few deals not closed yet)."""
    query = select(pipeline.deals_t.c.opportunity_id).where(pipeline.open_on(AS_OF))
    with world.connect() as conn:
        sql = str(query.compile(conn, compile_kwargs={"literal_binds": True}))
        if conn.dialect.name == "postgresql":
            assert "+" not in sql
            return
        plan = " ".join(str(row) for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}"))
    assert "+opportunities.created_on <=" in sql
    assert "ix_opportunities_closed_on" in plan
    assert "ix_opportunities_created_on" not in plan
