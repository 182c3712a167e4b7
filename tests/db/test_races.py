"""Two people writing at once (issue 13.2 and 13.9), on SQLite and PostgreSQL. Both threads are
held at the write statement until both got there (or 2 s passed: on SQLite the second writer
waits for the first to finish, as it should), so each test forces the worst interleaving."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date, datetime

import pytest
from sqlalchemy import Engine, event, func, select

from crm_core.scope import Role
from db import daily, summaries
from db.daily import DailyRefused, ReportText
from db.schema import AuditEntry, DailyReport, Region
from db.transfer import import_rows
from db.users import Account
from tests.world import load_world, rows_of

LINA = Account("lina", "李娜", Role.REP, "E02", (), "")
EAST = Account("east", "East", Role.MANAGER, None, ("R001",), "")
EAST2 = Account("east2", "East 2", Role.MANAGER, None, ("R001",), "")
DAY = date(2026, 10, 7)
NOW = datetime(2026, 10, 7, 19, 0)


@pytest.fixture
def world(engine: Engine) -> Engine:
    load_world(engine)
    return engine


def hold_at(engine: Engine, statement: str, parties: int = 2) -> None:
    """Every execution of a statement starting with ``statement`` waits for the others."""
    barrier = threading.Barrier(parties, timeout=2)

    @event.listens_for(engine, "before_cursor_execute")
    def _wait(_conn, _cursor, sql: str, *_args: object) -> None:  # noqa: ANN001
        if sql.lstrip().upper().startswith(statement):
            try:
                barrier.wait()
            except threading.BrokenBarrierError:
                pass


def at_once(*actions: Callable[[], object]) -> list[object]:
    """Run ``actions`` in parallel threads; each one's result or the exception it raised."""
    results: list[object] = [None] * len(actions)

    def run(i: int, action: Callable[[], object]) -> None:
        try:
            results[i] = action()
        except Exception as problem:  # noqa: BLE001 - the test inspects it
            results[i] = problem

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def reviews(engine: Engine, report_id: str) -> int:
    with engine.connect() as conn:
        return conn.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.row_key == report_id, AuditEntry.username.in_(["east", "east2"]))
        )


def test_two_managers_signing_off_at_once_one_wins_and_the_other_is_told(world: Engine) -> None:
    report_id = daily.submit_report(world, LINA, DAY, ReportText("拜访三家"), NOW)
    hold_at(world, "UPDATE DAILY_REPORTS")
    first, second = at_once(
        lambda: daily.review_report(world, EAST, report_id, True, "", NOW),
        lambda: daily.review_report(world, EAST2, report_id, False, "补充竞品", NOW),
    )
    outcomes = [first, second]
    refused = [o for o in outcomes if isinstance(o, DailyRefused)]
    assert len(refused) == 1 and outcomes.count(None) == 1, outcomes
    with world.connect() as conn:
        row = conn.execute(
            select(DailyReport.status, DailyReport.reviewed_by).where(
                DailyReport.report_id == report_id
            )
        ).one()
    winner = "east" if first is None else "east2"
    assert row.reviewed_by == winner
    assert f"already reviewed by {winner}" in str(refused[0])
    assert reviews(world, report_id) == 1


def test_a_double_submit_gives_a_clear_message_not_an_integrity_error(world: Engine) -> None:
    hold_at(world, "INSERT INTO DAILY_REPORTS")
    outcomes = at_once(
        lambda: daily.submit_report(world, LINA, DAY, ReportText("第一次"), NOW),
        lambda: daily.submit_report(world, LINA, DAY, ReportText("第二次"), NOW),
    )
    refused = [o for o in outcomes if isinstance(o, DailyRefused)]
    assert len(refused) == 1, outcomes
    assert "submitted already" in str(refused[0])
    with world.connect() as conn:
        count = conn.scalar(
            select(func.count()).select_from(DailyReport).where(DailyReport.date == DAY)
        )
    assert count == 1


def test_two_imports_at_once_both_apply_or_one_reports_a_conflict(world: Engine) -> None:
    rows = rows_of("region_id,name\nR101,西南新区\nR102,西北新区\n")
    hold_at(world, "INSERT INTO REGIONS")
    outcomes = at_once(
        lambda: import_rows(world, "regions", rows, "a.csv"),
        lambda: import_rows(world, "regions", rows, "b.csv"),
    )
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert sum(o.inserted for o in outcomes) == 2
    for result in outcomes:
        assert (
            result.ok
            or [str(e) for e in result.errors]
            == [
                "b.csv:1:-: another import or edit wrote the same rows at the same moment; "
                "nothing written, run the import again"
            ]
            or [str(e) for e in result.errors]
            == [
                "a.csv:1:-: another import or edit wrote the same rows at the same moment; "
                "nothing written, run the import again"
            ]
        )
    with world.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Region)) == 4


def test_two_first_writes_of_a_day_at_once_roll_the_trailing_summaries_once_right(
    world: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both writers read the kept day (yesterday) before either has rolled it; the summaries
    end up kept for the new day and equal to the raw rows."""
    day = date(2026, 12, 1)
    monkeypatch.setenv("CRM_AS_OF", "2026-11-30")
    planned = [
        daily.plan_activity(world, LINA, day, customer, "visit", "order", today=date(2026, 11, 30))
        for customer in ("C1", "C2")
    ]
    monkeypatch.setenv("CRM_AS_OF", day.isoformat())
    hold_at(world, "SELECT SUMMARY_DAYS")
    outcomes = at_once(
        *[
            lambda a=activity: daily.complete_activity(world, LINA, a, "sale", 30)
            for activity in planned
        ]
    )
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    with world.connect() as conn:
        assert summaries.kept_days(conn) == {"trailing_orders": day, "trailing_activities": day}
        assert set(summaries.differences(conn).values()) == {0}
        kept_rows = summaries.trailing_activities.c
        kept = dict(conn.execute(select(kept_rows.customer_id, kept_rows.minutes)).all())
    # the world's A1 (C1, 60 min) and A3 (C3, 10 min) of October, and the two visits of 30
    assert kept == {"C1": 60 + 30, "C2": 30, "C3": 10}
