"""A read inside a region or for a rep is keyed on that scope's versions of activities and
daily reports (issue 17.1): a visit or a daily report written elsewhere leaves its cache key,
and its result, as they were; one written inside moves the key. Every cached read is checked,
with the arguments of tests/db/test_read_tables.py, on the XS demo, through the real write
paths, on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date, datetime

import pandas as pd
import pytest
from sqlalchemy import Engine, delete, select

from crm_core.activity_plan import by_shortfall
from crm_core.forecasts import report_rows
from crm_core.periods import iso_week_period, month_of, shift_month, weeks_later
from crm_core.scope import Role, Scope
from crm_core.weekly import (
    meeting_month,
    weekly_report,
    with_activity,
    with_forecast,
    with_plans,
)
from db import daily, demo, schema
from db.daily import DailyRefused, ReportText
from db.transactions import EVERY, Whose, bump_data_version, versions_for
from db.users import Account
from services import reads, weekly
from tests.db.test_read_tables import AS_OF, variants

MANAGER = Scope.for_manager(["R001"])  # R001: reps E0001, E0003, E0004
REP = Scope.for_rep("E0001")  # as the app signs a rep in
REP_IN_REGION = Scope.for_rep("E0001", "R001")
SCOPED = [MANAGER, REP, REP_IN_REGION]
EVENING = datetime(2026, 11, 18, 19, 0)
WEST = Account("west", "West", Role.MANAGER, None, ("R002",), "")


@pytest.fixture
def world(engine: Engine) -> Iterator[Engine]:
    """The XS demo, on SQLite and on PostgreSQL."""
    demo.generate(engine, "XS", 7, AS_OF)
    with engine.begin() as conn:  # so that E0002 (R002) can submit today's report
        conn.execute(
            delete(schema.DailyReport).where(
                schema.DailyReport.rep_id == "E0002", schema.DailyReport.date == AS_OF
            )
        )
    yield engine


def calls(scopes: list[Scope]) -> list[tuple[str, tuple]]:
    # the Monday report of this week as well: today's plans and visits are in it
    this_week = [
        (name, (s, iso_week_period("2026-W47"), "x")[: 2 if name == "plans_ahead" else 3])
        for s in scopes
        for name in ("monday_report", "week_report", "plans_ahead")
    ]
    return [*variants(scopes), *this_week]


def snapshot(engine: Engine, scopes: list[Scope]) -> dict[tuple, tuple]:
    """Each read's cache key (as ui.data computes it) and result, by read and arguments."""
    taken = {}
    for name, args in calls(scopes):
        function = getattr(reads, name)
        scope = args[0] if isinstance(args[0], Scope) else None
        with engine.connect() as conn:
            key = versions_for(conn, function.tables_for(*args), scope, function.until_for(*args))
            taken[(name, args)] = (key, function(conn, *args))
    return taken


def same(a: object, b: object) -> bool:
    if isinstance(a, pd.DataFrame | pd.Series):
        return type(a) is type(b) and a.equals(b)
    if dataclasses.is_dataclass(a):
        return type(a) is type(b) and all(
            same(getattr(a, f.name), getattr(b, f.name)) for f in dataclasses.fields(a)
        )
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple):
        return type(a) is type(b) and len(a) == len(b) and all(map(same, a, b))
    return a == b


def rep(rep_id: str) -> Account:
    return Account(f"u-{rep_id}", rep_id, Role.REP, rep_id, (), "")


def visit(engine: Engine, rep_id: str) -> None:
    """``rep_id`` plans today a call and a visit of one of their customers and makes them."""
    with engine.connect() as conn:
        theirs = conn.scalars(
            select(schema.Customer.customer_id).where(schema.Customer.owner_rep_id == rep_id)
        ).all()
    for kind in ("call", "visit"):
        for customer_id in theirs:
            try:
                planned = daily.plan_activity(
                    engine, rep(rep_id), AS_OF, customer_id, kind, "service", AS_OF
                )
            except DailyRefused:  # on today's plan already
                continue
            daily.complete_activity(engine, rep(rep_id), planned, "sale", 40)
            break
        else:
            raise AssertionError(f"{rep_id} has no customer left to {kind} today")


def report(engine: Engine, rep_id: str) -> str:
    return daily.submit_report(engine, rep(rep_id), AS_OF, ReportText("拜访三家"), EVENING)


def reads_of(key: tuple, tables: set[str]) -> bool:
    name, args = key
    return bool(tables & set(getattr(reads, name).tables_for(*args)))


def test_writes_in_another_region_keep_the_reads_of_this_one(world: Engine) -> None:
    before = snapshot(world, SCOPED)
    visit(world, "E0002")
    daily.review_report(world, WEST, report(world, "E0002"), False, "写清楚竞品", EVENING)
    after = snapshot(world, SCOPED)
    moved = [k for k in before if before[k][0] != after[k][0]]
    changed = [k for k in before if not same(before[k][1], after[k][1])]
    assert (moved, changed) == ([], [])


def test_other_reps_writes_keep_a_reps_reads_and_move_their_managers(world: Engine) -> None:
    before = snapshot(world, SCOPED)
    visit(world, "E0004")
    report(world, "E0003")
    after = snapshot(world, SCOPED)
    rep_scoped = [k for k in before if k[1][0] in (REP, REP_IN_REGION)]
    assert [k for k in rep_scoped if before[k][0] != after[k][0]] == []
    assert [k for k in rep_scoped if not same(before[k][1], after[k][1])] == []
    managers = [k for k in before if k[1][0] == MANAGER]
    kept = [k for k in managers if before[k][0] == after[k][0]]
    assert kept == [k for k in managers if not reads_of(k, {"activities", "daily_reports"})]
    assert any(not same(before[k][1], after[k][1]) for k in managers), "the writes are seen"


def test_a_reps_own_writes_move_the_keys_of_their_scopes(world: Engine) -> None:
    before = snapshot(world, SCOPED)
    visit(world, "E0001")
    after_visit = snapshot(world, SCOPED)
    with world.begin() as conn:  # E0001's report of today, to submit it again
        conn.execute(delete(schema.DailyReport).where(schema.DailyReport.rep_id == "E0001"))
    report(world, "E0001")
    after_report = snapshot(world, SCOPED)
    for key in before:
        assert (before[key][0] != after_visit[key][0]) == reads_of(key, {"activities"}), key
        # a direct delete is not a write the app makes: only the report moved the key
        if reads_of(key, {"daily_reports"}):
            assert after_report[key][0] != after_visit[key][0], key


def test_a_write_naming_no_scope_moves_every_scopes_key(world: Engine) -> None:
    """An import, the demo, a summary rebuild: every scope's reads of the table are evicted."""
    before = snapshot(world, [MANAGER, REP])
    with world.begin() as conn:
        bump_data_version(conn, ("daily_reports",))
    after = snapshot(world, [MANAGER, REP])
    for key in before:
        assert (before[key][0] != after[key][0]) == reads_of(key, {"daily_reports"}), key


def test_a_write_whose_region_or_rep_is_unknown_counts_for_every_scope() -> None:
    today = frozenset([AS_OF])
    assert Whose(frozenset([None]), frozenset(["E0001"]), today).marks() == [EVERY]  # type: ignore[list-item]
    assert Whose(frozenset(), frozenset(["E0001"]), today).marks() == [EVERY]
    assert Whose(frozenset(["R001"]), frozenset(["E0001"]), frozenset()).marks() == [EVERY]
    assert Whose(frozenset(["R001"]), frozenset(["E0001"]), today).marks() == [
        ("region", "R001"),
        ("rep", "E0001"),
        ("week", "2026-W47"),
    ]


def test_todays_writes_keep_the_companys_report_of_last_week(world: Engine) -> None:
    """The whole company's report of a past week depends on no row dated after it: today's
    visits and reports keep its key and result; a late report of a day in it moves the key."""
    everything = [Scope.everything()]
    dated = [k for k in calls(everything) if getattr(reads, k[0]).until_for(*k[1])]
    assert {k[0] for k in dated} == {"week_report"}
    before = snapshot(world, everything)
    visit(world, "E0002")
    report(world, "E0003")
    after = snapshot(world, everything)
    last_week = [k for k in dated if k[1][1] == iso_week_period("2026-W46")]
    assert [before[k][0] == after[k][0] and same(before[k][1], after[k][1]) for k in last_week] == [
        True
    ]
    this_week = [k for k in dated if k[1][1] == iso_week_period("2026-W47")]
    assert [before[k][0] != after[k][0] for k in this_week] == [True]
    with world.begin() as conn:  # E0002 files the report of last Friday late
        conn.execute(
            delete(schema.DailyReport).where(
                schema.DailyReport.rep_id == "E0002",
                schema.DailyReport.date == date(2026, 11, 13),
            )
        )
    moved = snapshot(world, everything)
    daily.submit_report(world, rep("E0002"), date(2026, 11, 13), ReportText("补报"), EVENING)
    late = snapshot(world, everything)
    assert [moved[k][0] != late[k][0] for k in last_week] == [True]
    assert not same(moved[last_week[0]][1], late[last_week[0]][1]), "the late report counts"


def test_the_report_without_the_week_after_joined_with_it_is_the_whole_report(
    world: Engine,
) -> None:
    for scope in [Scope.everything(), *SCOPED]:
        for label in ("2026-W46", "2026-W47"):
            week = iso_week_period(label)
            with world.connect() as conn:
                whole = reads.monday_report(conn, scope, week, "x")
                joined = with_plans(
                    reads.week_report(conn, scope, week, "x"), reads.plans_ahead(conn, scope, week)
                )
                # the activity plan reads the plans after the week too: joined like ui.data
                plan = reads.activity_plan(conn, scope, meeting_month(week), week.end)
                joined = with_activity(joined, by_shortfall(plan.table))
                # and the calls of the meeting's month as of the week's end, also like ui.data
                month = month_of(meeting_month(week).start)
                calls = reads.forecasts(conn, scope, month, week.end).reps
                past = reads.forecast_accuracy(conn, scope, shift_month(month, -1)).reps
                joined = with_forecast(joined, report_rows(calls, past))
                # the summary as kpi weekly makes it, plans ahead counted by week_facts
                facts = [weekly.week_facts(conn, scope, w) for w in (week, weeks_later(week, -1))]
            assert same(whole, joined), (scope, label)
            assert repr(whole.summary.to_dict()) == repr(joined.summary.to_dict())
            assert repr(weekly_report(*facts).to_dict()) == repr(joined.summary.to_dict())
