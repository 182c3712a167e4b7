"""Deal history and what moved in the pipeline (issue 38.2) on SQLite and PostgreSQL: every
import that changes a deal keeps its state of the day; two days are compared."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, update

from crm_core.scope import Scope
from db.schema import DealVersion
from db.transfer import import_rows
from services import reads
from tests.conftest import cli
from tests.world import PIPELINE, load_world, rows_of

HEADER = ("opportunity_id,customer_id,rep_id,name,amount,stage,created_on,expected_close,"
          "closed_on,lost_reason\n")  # fmt: skip
CHANGES = HEADER + (
    "D3,C2,E02,清洗剂年度采购,240000.00,developed,2026-09-01,2027-01-15,,\n"  # more, pushed
    "D4,C2,E02,劳保补货,80000.00,won,2026-10-20,2026-12-05,2026-11-20,\n"  # won
    "D5,C1,E02,新品试点,30000.00,qualified,2026-08-01,2026-11-10,,\n"  # advanced
    "D9,C2,E02,滤芯试用,15000.00,identified,2026-11-19,2027-02-28,,\n"  # new
)
STARTED = date(2026, 11, 16)  # the history began here (the migration, in the story)


def started(engine: Engine) -> Engine:
    load_world(engine, PIPELINE)
    with engine.begin() as conn:
        conn.execute(update(DealVersion).values(day=STARTED))
    result = import_rows(engine, "opportunities", rows_of(CHANGES), "o.csv",
                         as_of=date(2026, 11, 20))  # fmt: skip
    assert result.ok, [str(e) for e in result.errors]
    return engine


@pytest.fixture
def history(engine: Engine) -> Engine:
    return started(engine)


def test_an_import_keeps_each_changed_deal_as_it_stands_that_day(history: Engine) -> None:
    with history.connect() as conn:
        days = dict(conn.execute(
            select(DealVersion.day, func.count()).group_by(DealVersion.day)
        ).all())  # fmt: skip
    assert days == {STARTED: 8, date(2026, 11, 20): 4}


def test_what_moved_between_two_days(history: Engine) -> None:
    with history.connect() as conn:
        moves = reads.pipeline_changes(conn, Scope.everything(), STARTED, date(2026, 11, 20))
        moved = moves.changes
        nothing = reads.pipeline_changes(conn, Scope.everything(), date(2026, 11, 20),
                                         date(2026, 11, 21)).changes  # fmt: skip
        south = reads.pipeline_changes(conn, Scope.for_manager(["R002"]), STARTED,
                                       date(2026, 11, 20)).changes  # fmt: skip
    assert [tuple(r) for r in moved.itertuples(index=False)] == [
        ("D3", "E02", "pushed", date(2026, 12, 15), date(2027, 1, 15), 24_000_000, 1),
        ("D3", "E02", "amount_up", 20_000_000, 24_000_000, 4_000_000, 1),
        ("D4", "E02", "won", "committed", "won", 8_000_000, 0),
        ("D5", "E02", "advanced", "contacted", "qualified", 3_000_000, 0),
        ("D9", "E02", "new", None, "identified", 1_500_000, 0),
    ]
    assert nothing.empty
    assert south.empty
    # November's pipeline: D5 (¥30,000, close 10 Nov) and D8 (lost) aside, nothing of the
    # open deals is expected to close in November, before and after: D4 (close 5 Dec), D3 and
    # D9 close later, D6 on 20 Dec. D5 was contacted on the 16th (20 %) and qualified on the
    # 20th (40 %): open ¥30,000 both days, weighted ¥6,000 then ¥12,000
    assert (moves.open_before, moves.open_after) == (3_000_000, 3_000_000)
    assert (moves.weighted_before, moves.weighted_after) == (
        600_000.0,
        1_200_000.0,
    )  # R002's deal (D6) did not move; the others are R001's


def test_before_the_history_began_the_stage_history_tells(history: Engine) -> None:
    with history.connect() as conn:
        moved = reads.pipeline_changes(conn, Scope.everything(), date(2026, 10, 1), STARTED).changes
    changes = {(r.opportunity_id, r.change) for r in moved.itertuples()}
    # D4 and D8 were created after 1 Oct; D7 was won on 5 Nov, D1 on 10 Oct; D6 went from
    # identified to qualified on 20 Oct (D3 reached developed on 1 Oct itself: no move);
    # amounts and closes are taken as the first recorded ones, so nothing else moved
    assert changes == {("D4", "new"), ("D8", "new"), ("D7", "won"), ("D1", "won"),
                       ("D6", "advanced")}  # fmt: skip


def test_the_cli_compares_the_end_of_two_days(world_file: Path, tmp_path: Path) -> None:
    from db.engine import make_engine

    db = tmp_path / "p.sqlite"
    engine = make_engine(f"sqlite:///{db}")
    from db import migrate

    migrate.upgrade(engine)
    started(engine)
    engine.dispose()
    done = cli(db, "kpi", "pipeline_changes", "--from", "2026-11-16", "--to", "2026-11-20")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert rows[1] == {"opportunity_id": "D3", "rep": "E02", "change": "amount_up",
                       "before": 200_000.0, "after": 240_000.0, "amount": 40_000.0,
                       "pushes": 1}  # fmt: skip
    assert rows[0]["before"] == "2026-12-15" and rows[0]["after"] == "2027-01-15"


def test_the_monday_report_lists_what_moved_in_its_week_largest_first(history: Engine) -> None:
    from crm_core.periods import iso_week_period
    from services.weekly import monday_report

    with history.connect() as conn:  # W47: the end of Sun 15 Nov to the end of Sun 22 Nov
        report = monday_report(conn, Scope.everything(), iso_week_period("2026-W47"), "x")
    got = [(r.opportunity_id, r.change, r.amount) for r in report.changes.itertuples()]
    assert got == [
        ("D3", "pushed", 24_000_000),
        ("D4", "won", 8_000_000),
        ("D3", "amount_up", 4_000_000),  # the difference
        ("D5", "advanced", 3_000_000),
        ("D9", "new", 1_500_000),
    ]
