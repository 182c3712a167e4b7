"""The monthly summaries (db/summaries.py, issue 17.2) stay equal to the raw aggregation after
any mix of writes through the real write paths: imports of new and changed orders, payments,
activities and stage history entries, customers moving region or tier, a rep planning and
completing visits. And
every measure reads the same figures with them as from the raw rows alone."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Connection, Engine, delete, select

from crm_core.scope import FactFilter, Role, Scope
from db import customers, daily, efficiency, queries, summaries
from db.engine import make_engine
from db.schema import Activity
from db.transfer import import_rows
from db.users import Account
from tests.conftest import cli
from tests.world import LOADED_AS_OF, load_world

FIRST_DAY = date(2026, 8, 1)
DAYS = 150  # August – December 2026: whole months and edges
CUSTOMERS = {"C1": ("R001", "E02"), "C2": ("R001", "E02"), "C3": ("R002", "E03")}
HEADERS = {
    "orders": "order_id,date,customer_id,rep_id,product_id,quantity,amount,cost",
    "payments": "payment_id,date,customer_id,rep_id,amount",
    "activities": "activity_id,date,rep_id,customer_id,kind,purpose,status,planned,outcome,"
    "duration_min,cost,notes",
    "opportunity_stages": "opportunity_id,stage,entered_on",
}
STAGES = ["identified", "contacted", "qualified", "developed", "committed", "won", "lost"]
REP = Account("li", "李娜", Role.REP, "E02", ("R001",), "")

days = st.integers(0, DAYS - 1).map(lambda n: FIRST_DAY + timedelta(days=n))
customer = st.sampled_from(sorted(CUSTOMERS))
rep = st.sampled_from(["E01", "E02", "E03"])
money = st.integers(1, 5_000_000).map(lambda cents: f"{cents / 100:.2f}")


@st.composite
def fact_row(draw: st.DrawFn, table: str) -> str:
    """One row of an import file; an ID from a small pool, so that later rows change
    earlier ones (another date, rep, amount or status: the old slice must be summed again)."""
    day, who, cust = draw(days), draw(rep), draw(customer)
    if table == "opportunity_stages":  # an entry added to or moved in a deal's history
        return f"{draw(st.sampled_from(['OP1', 'OP2']))},{draw(st.sampled_from(STAGES))},{day}"
    key = f"{table[0].upper()}H{draw(st.integers(10, 25))}"
    if table == "orders":
        amount = draw(money)
        return f"{key},{day},{cust},{who},{draw(st.sampled_from(['P1', 'P2']))},1,{amount},0.50"
    if table == "payments":
        return f"{key},{day},{cust},{who},{draw(money)}"
    status = draw(st.sampled_from(["done", "missed", "planned"]))
    outcome = draw(st.sampled_from(["sale", "no_contact", "contacted"])) if status == "done" else ""
    return f"{key},{day},{who},{cust},visit,order,{status},true,{outcome},30,10.00,"


@st.composite
def an_import(draw: st.DrawFn) -> tuple[str, list[str]]:
    table = draw(st.sampled_from(sorted(HEADERS)))
    width = 2 if table == "opportunity_stages" else 1  # the key: (deal, stage), or the ID
    rows = draw(
        st.lists(
            fact_row(table), min_size=1, max_size=6, unique_by=lambda r: tuple(r.split(",")[:width])
        )
    )
    return table, rows


@st.composite
def a_customer_move(draw: st.DrawFn) -> tuple[str, str, str]:
    return (
        draw(customer),
        draw(st.sampled_from(["R001", "R002"])),
        draw(st.sampled_from(["key", "normal", "low", ""])),
    )


@st.composite
def a_visit(draw: st.DrawFn) -> tuple[date, str, str | None]:
    """A visit planned by rep E02 for a day and then done with an outcome (or missed)."""
    return (
        draw(days),
        draw(st.sampled_from(["C1", "C2"])),
        draw(st.sampled_from(["sale", "no_contact", None])),
    )


writes = st.lists(
    st.one_of(
        an_import().map(lambda w: ("import", w)),
        a_customer_move().map(lambda w: ("move", w)),
        a_visit().map(lambda w: ("visit", w)),
    ),
    min_size=1,
    max_size=6,
)


def apply(engine: Engine, write: tuple[str, object]) -> None:
    kind, what = write
    if kind == "import":
        table, rows = what  # type: ignore[misc]
        lines = [line.split(",") for line in [HEADERS[table], *rows]]
        result = import_rows(engine, table, lines, as_of=LOADED_AS_OF)
        assert result.ok, [str(e) for e in result.errors]
    elif kind == "move":
        cust, region, priority = what  # type: ignore[misc]
        with engine.connect() as conn:
            line = conn.execute(
                select(*queries.customers.c).where(queries.customers.c.customer_id == cust)
            ).one()
        row = dict(line._mapping)
        header = ["customer_id", "name", "region_id", "owner_rep_id", "status", "created_on",
                  "priority"]  # fmt: skip
        values = [cust, row["name"], region, row["owner_rep_id"], row["status"],
                  str(row["created_on"]), priority]  # fmt: skip
        result = import_rows(engine, "customers", [header, values])
        assert result.ok, [str(e) for e in result.errors]
    else:
        day, cust, outcome = what  # type: ignore[misc]
        try:
            activity = daily.plan_activity(engine, REP, day, cust, "visit", "order", today=day)
            daily.complete_activity(engine, REP, activity, outcome, 30)
        except daily.DailyRefused:
            pass  # the same visit planned twice that day: refused, nothing written


def raw_twin(measure: queries.Measure) -> queries.Measure:
    return queries.Measure(measure.fact, measure.values, *measure.where)


WINDOWS = [
    (date(2026, 8, 1), date(2026, 12, 31)),
    (date(2026, 8, 17), date(2026, 11, 3)),
    (date(2026, 9, 1), date(2026, 9, 30)),
    (date(2026, 10, 5), date(2026, 10, 25)),
]
ASKS = [((), FactFilter(), Scope.everything()),
        (("month", "rep"), FactFilter(), Scope.everything()),
        (("region",), FactFilter(tiers=frozenset({"key", "low"})), Scope.everything()),
        (("month",), FactFilter(product_ids=frozenset({"P1"})), Scope.for_manager(["R001"])),
        (("rep", "product"), FactFilter(), Scope.for_rep("E02", "R001"))]  # fmt: skip


def assert_measures_agree(engine: Engine) -> None:
    with engine.connect() as conn:
        for measure in (queries.sales_by, queries.collections_by, queries.visits_by):
            for (start, end), (by, flt, scope) in itertools.product(WINDOWS, ASKS):
                if "product" in by and measure is not queries.sales_by:
                    continue
                kept = measure(conn, scope, start, end, by, flt)
                raw = raw_twin(measure)(conn, scope, start, end, by, flt)
                if by:
                    kept, raw = (
                        f.sort_values(list(by)).reset_index(drop=True) for f in (kept, raw)
                    )
                pd.testing.assert_frame_equal(kept, raw, check_dtype=False)
        # last contacts: kept, with the days after as_of looked up, against the activities
        for as_of in (date(2026, 9, 15), date(2026, 10, 31), date(2027, 1, 1)):
            kept = efficiency.last_contacts(conn, Scope.everything(), as_of)
            raw = efficiency._last_contacts_until(conn, list(kept.customer_id), as_of)
            assert {r.customer_id: (r.last_call, r.last_visit) for r in kept.itertuples()} == raw
        # new customers: the kept first order days against the first orders of every rep
        every_rep = replace(Scope.everything(), rep_ids=frozenset({"E01", "E02", "E03"}))
        for (start, end), by in itertools.product(WINDOWS, [(), ("month", "region", "rep")]):
            kept = queries.new_customers_by(conn, Scope.everything(), start, end, by)
            raw = queries.new_customers_by(conn, every_rep, start, end, by)
            if by:
                kept, raw = (f.sort_values(list(by)).reset_index(drop=True) for f in (kept, raw))
            pd.testing.assert_frame_equal(kept, raw, check_dtype=False)


@pytest.fixture
def world(engine: Engine) -> Engine:
    load_world(engine)
    return engine


def test_summaries_equal_the_raw_rows_after_any_writes(
    world: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the trailing summaries' day inside the writes' days: some rows fall after their window
    monkeypatch.setenv("CRM_AS_OF", "2026-11-15")

    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
    @given(writes)
    def check(sequence: list[tuple[str, object]]) -> None:
        for write in sequence:
            apply(world, write)
        with world.connect() as conn:
            assert set(summaries.differences(conn).values()) == {0}
        assert_measures_agree(world)

    check()
    with world.connect() as conn:  # the writes did land (not all refused)
        assert conn.scalar(select(queries.func.count()).select_from(Activity.__table__)) > 3


def test_whole_months_of_a_window() -> None:
    assert queries.whole_months(date(2026, 8, 17), date(2026, 11, 3)) == (
        date(2026, 9, 1),
        date(2026, 10, 31),
    )
    assert queries.whole_months(date(2026, 9, 1), date(2026, 9, 30)) == (
        date(2026, 9, 1),
        date(2026, 9, 30),
    )
    assert queries.whole_months(date(2026, 2, 1), date(2026, 2, 28)) == (
        date(2026, 2, 1),
        date(2026, 2, 28),
    )
    assert queries.whole_months(date(2026, 10, 5), date(2026, 10, 25)) is None
    assert queries.whole_months(date(2026, 10, 31), date(2026, 11, 29)) is None


def test_the_world_summed_by_hand_and_kept_by_a_rebuild(
    world: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CRM_AS_OF", "2026-11-30")  # the trailing summaries' day
    # October 2026: O1 ¥25,000 (cost ¥15,000) of P1 and O2 ¥5,000.50 (cost ¥3,000.25) of P2,
    # both E02 with C1 (R001, key); O3 ¥20,000 (cost ¥12,000) of P1, E03 with C3 (R002, low).
    # PM1 ¥25,000 from C1 by E02. Done: A1 (E02, C1, a sale), A3 (E03, C3, contacted); A2 missed.
    expected = {
        "orders": [
            ("2026-10", "E02", "R001", "key", "P1", 2_500_000, 1_500_000, 1),
            ("2026-10", "E02", "R001", "key", "P2", 500_050, 300_025, 1),
            ("2026-10", "E03", "R002", "low", "P1", 2_000_000, 1_200_000, 1),
        ],
        "payments": [("2026-10", "E02", "R001", "key", 2_500_000, 1)],
        "activities": [
            ("2026-10", "E02", "R001", "key", 1, 1, 1),
            ("2026-10", "E03", "R002", "low", 1, 1, 0),
        ],
    }

    def kept(conn: Connection) -> dict[str, list[tuple]]:
        return {
            name: sorted(tuple(row) for row in conn.execute(select(s.table)))
            for name, s in summaries.SUMMARIES.items()
        }

    with world.connect() as conn:
        assert kept(conn) == expected  # kept by the imports that loaded the world
    with world.begin() as conn:
        # first orders, last contacts and order years: C1 and C3 (2026); C2 has no order and
        # only a missed call
        counts = {"orders": 3, "payments": 1, "activities": 2, "first_orders": 2,
                  "last_contacts": 2, "order_years": 2, "trailing_orders": 2,
                  "trailing_activities": 2, "stage_stays": 5}  # fmt: skip
        assert summaries.rebuild(conn) == counts
        assert kept(conn) == expected
        years = sorted(tuple(row) for row in conn.execute(select(summaries.order_years)))
        # OP1: identified 09-01, contacted 09-10, qualified 10-01 (the file has contacted
        # first); OP2: identified 08-01, lost 09-20. (deal, stage, entered, left, went further)
        stays = sorted(tuple(row) for row in conn.execute(select(summaries.stage_stays)))
        assert stays == [
            ("OP1", "contacted", date(2026, 9, 10), date(2026, 10, 1), date(2026, 10, 1)),
            ("OP1", "identified", date(2026, 9, 1), date(2026, 9, 10), date(2026, 9, 10)),
            ("OP1", "qualified", date(2026, 10, 1), None, None),
            ("OP2", "identified", date(2026, 8, 1), date(2026, 9, 20), None),  # lost: no further
            ("OP2", "lost", date(2026, 9, 20), None, None),
        ]
        october = 1 << 9  # the months with an order: bit m - 1 for month m
        assert years == [
            ("C1", "2026", date(2026, 10, 5), october),
            ("C3", "2026", date(2026, 10, 12), october),
        ]
        assert trailing(conn) == (
            kept_for(date(2026, 11, 30)),
            # C1: O1 + O2 = 2,500,000 + 500,050; margin 1,000,000 + 200,025. C3: O3.
            [("C1", 3_000_050, 1_200_025), ("C3", 2_000_000, 800_000)],
            # done: A1 (C1, ¥150, 60 min) and A3 (C3, ¥2, 10 min); A2 was missed
            [("C1", 15_000, 60), ("C3", 200, 10)],
        )


def trailing(conn: Connection) -> tuple[dict[str, date], list[tuple], list[tuple]]:
    """The days the trailing summaries are kept for and their rows."""
    return (
        summaries.kept_days(conn),
        sorted(tuple(row) for row in conn.execute(select(summaries.trailing_orders))),
        sorted(tuple(row) for row in conn.execute(select(summaries.trailing_activities))),
    )


def kept_for(day: date) -> dict[str, date]:
    return {"trailing_orders": day, "trailing_activities": day}


def test_the_first_write_of_a_day_rolls_the_trailing_summaries(
    world: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CRM_AS_OF", "2026-11-30")
    with world.begin() as conn:
        summaries.rebuild(conn)
    # 2027-10-06: the 365 days from 2026-10-07. O1 (10-05), A1 (10-05) and A3 (10-06) are
    # out; O2 (10-20) and O3 (10-12) are in.
    monkeypatch.setenv("CRM_AS_OF", "2027-10-06")
    with world.connect() as conn:
        assert trailing(conn)[0] == kept_for(date(2026, 11, 30))  # a read does not roll them
    payment = [HEADERS["payments"].split(","), ["PM9", "2027-10-06", "C2", "E02", "100.00"]]
    assert import_rows(world, "payments", payment).ok  # a write of neither orders nor visits
    with world.connect() as conn:
        assert trailing(conn) == (
            kept_for(date(2027, 10, 6)),
            [("C1", 500_050, 200_025), ("C3", 2_000_000, 800_000)],
            [],
        )
        assert set(summaries.differences(conn).values()) == {0}
    # later that day an order of C2 inside the window and one of C1 outside it
    order = [HEADERS["orders"].split(","), ["O8", "2027-01-04", "C2", "E02", "P1", "1", "10.00",
             "4.00"], ["O9", "2026-10-06", "C1", "E02", "P1", "1", "7.00", "1.00"]]  # fmt: skip
    assert import_rows(world, "orders", order).ok
    with world.connect() as conn:
        assert trailing(conn)[1] == [
            ("C1", 500_050, 200_025),
            ("C2", 1_000, 600),
            ("C3", 2_000_000, 800_000),
        ]


def test_reads_of_the_trailing_summaries_equal_the_raw_rows(
    world: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    day = date(2026, 10, 15)  # inside the world's October: O2 (10-20) is after it
    monkeypatch.setenv("CRM_AS_OF", day.isoformat())
    with world.begin() as conn:
        summaries.rebuild(conn)
    manager, rep = Scope.for_manager(["R001"]), Scope.for_rep("E02", "R001")
    kept = reads_at(world, day, [Scope.everything(), manager, rep])
    values = kept[0][0].set_index("customer_id")
    assert values.revenue.to_dict() == {"C1": 2_500_000, "C2": 0, "C3": 2_000_000}
    assert values.cost_to_serve.to_dict() == {"C1": 15_000, "C2": 0, "C3": 200}
    assert kept[1][1] == ({"C1": 2_500_000}, {"C1": 60})  # R001's customers
    with world.begin() as conn:
        conn.execute(delete(summaries.summary_days))  # not kept: the raw rows are read
        assert summaries.kept_days(conn) == {}
    raw = reads_at(world, day, [Scope.everything(), manager, rep])
    for (kept_values, kept_rm), (raw_values, raw_rm) in zip(kept, raw, strict=True):
        pd.testing.assert_frame_equal(kept_values, raw_values)
        assert kept_rm == raw_rm


def reads_at(engine: Engine, day: date, scopes: list[Scope]) -> list[tuple[pd.DataFrame, tuple]]:
    with engine.connect() as conn:
        return [
            (
                customers.customer_values(conn, scope, day),
                efficiency.revenue_and_minutes(conn, scope, day),
            )
            for scope in scopes
        ]


def test_the_cli_checks_and_rebuilds_the_summaries(world_file: Path) -> None:
    checked = cli(world_file, "db", "summaries")
    assert checked.returncode == 0, checked.stderr
    assert "orders: 0 rows differ" in checked.stdout
    engine = make_engine(f"sqlite:///{world_file}")
    with engine.begin() as conn:  # a write that went around the write paths
        conn.execute(delete(summaries.SUMMARIES["payments"].table))
    engine.dispose()
    stale = cli(world_file, "db", "summaries")
    assert stale.returncode == 1 and "payments: 1 row differs" in stale.stdout
    rebuilt = cli(world_file, "db", "summaries", "--rebuild")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "activities 2 rows, first_orders 2 rows, last_contacts 2 rows" in (rebuilt.stdout)
    assert "payments: 0 rows differ" in rebuilt.stdout
    # a nightly job keeps the trailing 12 months for the day; 2027-10-06 drops O1, A1 and A3
    rolled = cli(world_file, "db", "summaries", "--roll", env={"CRM_AS_OF": "2027-10-06"})
    assert rolled.returncode == 0, rolled.stderr
    assert "kept for 2027-10-06" in rolled.stdout
    assert "trailing_orders 2 rows, trailing_activities 0 rows" in rolled.stdout
    checked = cli(world_file, "db", "summaries")
    assert checked.returncode == 0 and "trailing_activities: 0 rows differ" in checked.stdout
