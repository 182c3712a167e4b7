"""The activity a target needs (issue 38.1) on the hand-written world, SQLite and PostgreSQL,
and through ``kpi activity_plan``."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

from crm_core.periods import month_period
from crm_core.scope import Scope
from db.transfer import import_rows
from services import reads
from tests.conftest import cli
from tests.world import LOADED_AS_OF, load_world, rows_of

AS_OF = date(2026, 10, 21)  # a Wednesday: 7 working days of October left (22, 23, 26–30)
PLANNED = (
    "activity_id,date,rep_id,customer_id,kind,purpose,status,planned,outcome,duration_min,"
    "cost,notes\nA20,2026-10-26,E02,C1,visit,order,planned,true,,,,\n"
)


@pytest.fixture
def world(engine: Engine) -> Engine:
    load_world(engine)
    return engine


def test_the_world_in_october(world: Engine) -> None:
    # E02: target ¥60,000; sold ¥25,000 (O1) + ¥5,000.50 (O2) = ¥30,000.50; still ¥29,999.50.
    # In the 90 days to 21 Oct, one done call or visit (A1; A2 was missed) and ¥30,000.50 of
    # revenue: ¥30,000.50 a visit, so ceil(29,999.50 / 30,000.50) = 1 visit, 1/7 a day.
    # E01 has no target of their own; E03 is inactive.
    with world.connect() as conn:
        plan = reads.activity_plan(conn, Scope.for_manager(["R001"]), month_period("2026-10"),
                                   AS_OF)  # fmt: skip
    rows = plan.table.set_index("rep")
    assert list(rows.index) == ["E01", "E02"]
    assert rows.loc["E02"].to_dict() == {
        "name": "李娜", "target": 6_000_000, "actual": 3_000_050, "remaining": 2_999_950,
        "yield": 3_000_050.0, "needed": 1, "per_working_day": 1 / 7, "planned": 0,
        "shortfall": 1,
    }  # fmt: skip
    assert rows.loc["E01", "target"] is None and rows.loc["E01", "needed"] is None
    assert plan.working_days_left == 7 and plan.team_yield == 3_000_050.0
    assert plan.window == (date(2026, 7, 24), AS_OF)


def test_a_planned_visit_after_the_as_of_day_closes_the_shortfall(world: Engine) -> None:
    result = import_rows(world, "activities", rows_of(PLANNED), "a.csv", as_of=LOADED_AS_OF)
    assert result.ok, [str(e) for e in result.errors]
    with world.connect() as conn:
        plan = reads.activity_plan(conn, Scope.everything(), month_period("2026-10"), AS_OF)
    e02 = plan.table.set_index("rep").loc["E02"]
    assert (e02["planned"], e02["shortfall"]) == (1, 0)


def test_a_manager_sees_only_their_reps(world: Engine) -> None:
    with world.connect() as conn:
        south = reads.activity_plan(conn, Scope.for_manager(["R002"]), month_period("2026-10"),
                                    AS_OF)  # fmt: skip
    assert south.table.empty  # R002's only rep, E03, is inactive


def test_the_cli_gives_the_columns_in_yuan(world_file: Path) -> None:
    done = cli(world_file, "kpi", "activity_plan", "--as-of", "2026-10-21", "--as", "east",
               env={"CRM_AS_OF": "2026-10-21"})  # fmt: skip
    assert done.returncode == 0, done.stderr
    e02 = next(r for r in json.loads(done.stdout) if r["rep"] == "E02")
    assert e02 == {
        "rep": "E02", "target": 60_000.0, "actual": 30_000.5, "remaining": 29_999.5,
        "yield": 30_000.5, "needed": 1, "per_working_day": pytest.approx(1 / 7), "planned": 0,
        "shortfall": 1,
    }  # fmt: skip
    refused = cli(world_file, "kpi", "activity_plan", "--by", "region")
    assert refused.returncode == 2 and "per rep only" in refused.stderr
