"""Actions with owners (issue 37.2) on SQLite and PostgreSQL: recorded, scoped like what they
are about, audited, closed, and carried into the next week's report."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import Engine, select, update

from crm_core.inputs import InputRefused
from crm_core.periods import iso_week_period
from crm_core.scope import Scope
from db.actions import ActionRefused, action_list, add_action, close_action, report_actions
from db.schema import AuditEntry, Rep
from db.users import account, add_user
from tests.world import load_world

AT = datetime(2026, 11, 23, 9, 30)


@pytest.fixture
def world(engine: Engine) -> Engine:
    load_world(engine)
    with engine.begin() as conn:
        add_user(conn, "boss", "Boss", "director", "pw")
        add_user(conn, "east", "East", "manager", "pw", regions=["R001"])
        add_user(conn, "south", "South", "manager", "pw", regions=["R002"])
        add_user(conn, "zhang", "张伟", "rep", "pw", rep_id="E01")
    return engine


def who(engine: Engine, username: str) -> object:
    with engine.connect() as conn:
        return account(conn, username)


def test_a_manager_records_an_action_and_the_next_report_opens_with_it(world: Engine) -> None:
    east = who(world, "east")
    first = add_action(world, east, "2026-W47", "E01", "zhang", date(2026, 11, 27),
                       "Visit K1 with the manager", at=AT)  # fmt: skip
    second = add_action(world, east, "2026-W47", "R001", "east", date(2026, 11, 25),
                        "Chase the missing daily reports", at=AT)  # fmt: skip
    assert second == first + 1
    with world.connect() as conn:
        listed = action_list(conn, Scope.for_manager(["R001"]), date(2026, 11, 26))
        opens = report_actions(conn, Scope.for_manager(["R001"]), iso_week_period("2026-W48"),
                               date(2026, 11, 26))  # fmt: skip
        same_week = report_actions(conn, Scope.everything(), iso_week_period("2026-W47"),
                                   date(2026, 11, 26))  # fmt: skip
        trail = conn.execute(
            select(AuditEntry.username, AuditEntry.row_key).where(
                AuditEntry.table_name == "actions"
            )
        ).all()
    rows = [(r.id, r.about, r.about_name, r.owner, r.due, r.status) for r in listed.itertuples()]
    assert rows == [
        (first, "E01", "张伟", "zhang", date(2026, 11, 27), "open"),
        (second, "R001", "华东区", "east", date(2026, 11, 25), "overdue"),
    ]  # fmt: skip
    assert [(r.id, r.status) for r in opens.itertuples()] == [(second, "overdue"), (first, "open")]
    assert same_week.empty  # an action belongs to the reports after the one it was decided on
    assert trail == [("east", str(first)), ("east", str(second))]


def test_a_manager_cannot_file_or_see_actions_of_another_region(world: Engine) -> None:
    east, south = who(world, "east"), who(world, "south")
    with pytest.raises(ActionRefused, match="about: no rep or region 'E03' you can see"):
        add_action(world, east, "2026-W47", "E03", "east", date(2026, 11, 27), "x")
    with pytest.raises(ActionRefused, match="about: no rep or region 'R002'"):
        add_action(world, east, "2026-W47", "R002", "east", date(2026, 11, 27), "x")
    with pytest.raises(ActionRefused, match="owner: 'south' is no active user who sees E01"):
        add_action(world, east, "2026-W47", "E01", "south", date(2026, 11, 27), "x")
    theirs = add_action(world, south, "2026-W47", "R002", "south", date(2026, 11, 27), "x")
    with world.connect() as conn:
        assert action_list(conn, east.scope, date(2026, 11, 26)).empty
        assert list(action_list(conn, Scope.everything(), date(2026, 11, 26)).id) == [theirs]
        assert report_actions(conn, east.scope, iso_week_period("2026-W48"), AT.date()).empty
    with pytest.raises(ActionRefused, match=f"no action {theirs} you can see"):
        close_action(world, east, theirs, date(2026, 11, 26))


def test_a_rep_cannot_record_and_closes_only_their_own(world: Engine) -> None:
    zhang, east = who(world, "zhang"), who(world, "east")
    with pytest.raises(ActionRefused, match="only a director or a manager"):
        add_action(world, zhang, "2026-W47", "E01", "zhang", date(2026, 11, 27), "x")
    mine = add_action(world, east, "2026-W47", "E01", "zhang", date(2026, 11, 27), "mine")
    managers = add_action(world, east, "2026-W47", "E01", "east", date(2026, 11, 27), "east's")
    with pytest.raises(ActionRefused, match=f"action {managers} is east's to close"):
        close_action(world, zhang, managers, date(2026, 11, 26))
    assert close_action(world, zhang, mine, date(2026, 11, 26)) == date(2026, 11, 26)
    assert close_action(world, east, mine, date(2026, 11, 28)) == date(2026, 11, 26)  # stays
    with world.connect() as conn:
        statuses = dict(action_list(conn, east.scope, date(2026, 11, 28))[["id", "status"]].values)
    assert statuses == {mine: "done", managers: "overdue"}


def test_bad_input_names_the_field_and_writes_nothing(world: Engine) -> None:
    east = who(world, "east")
    with pytest.raises(ActionRefused, match="week:"):
        add_action(world, east, "2026-W99", "E01", "east", date(2026, 11, 27), "x")
    with pytest.raises(InputRefused, match="due: expected a day from 2026-11-16"):
        add_action(world, east, "2026-W47", "E01", "east", date(2026, 11, 1), "x")
    with pytest.raises(InputRefused, match="text: say what is to be done"):
        add_action(world, east, "2026-W47", "E01", "east", date(2026, 11, 27), "  ")
    with pytest.raises(ActionRefused, match="owner: 'nobody'"):
        add_action(world, east, "2026-W47", "E01", "nobody", date(2026, 11, 27), "x")
    with world.connect() as conn:
        assert action_list(conn, Scope.everything(), date(2026, 11, 26)).empty


def test_an_action_follows_a_rep_who_changes_region(world: Engine) -> None:
    east, south = who(world, "east"), who(world, "south")
    moved = add_action(world, east, "2026-W47", "E02", "boss", date(2026, 11, 27), "coach E02")
    with world.begin() as conn:
        conn.execute(update(Rep).where(Rep.rep_id == "E02").values(region_id="R002"))
    with world.connect() as conn:
        assert action_list(conn, east.scope, date(2026, 11, 26)).empty
        assert list(action_list(conn, south.scope, date(2026, 11, 26)).id) == [moved]
