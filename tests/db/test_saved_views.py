"""Saved views (issue 40.1) on SQLite and PostgreSQL: each user's own, shared by name or with
everyone; only the owner renames, shares or deletes; every change audited."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Engine, select

from db.saved_views import (
    ViewRefused,
    delete_view,
    rename_view,
    save_view,
    share_view,
    views_for,
)
from db.schema import AuditEntry, SavedViewShare
from db.users import add_user
from tests.world import load_world

EAST = {"period": "this_quarter", "region": "R001", "lang": "zh"}


@pytest.fixture
def people(engine: Engine) -> Engine:
    load_world(engine)
    with engine.begin() as conn:
        add_user(conn, "boss", "Boss", "director", "pw")
        add_user(conn, "east", "East", "manager", "pw", regions=["R001"])
        add_user(conn, "west", "West", "manager", "pw", regions=["R002"])
    return engine


def test_a_view_is_saved_listed_renamed_and_deleted_by_its_owner(people: Engine) -> None:
    view_id = save_view(people, "boss", " 华东  Q4 新客户 ", "targets", EAST)
    with people.connect() as conn:
        (view,) = views_for(conn, "boss")
        assert (view.name, view.page, view.owner_name) == ("华东 Q4 新客户", "targets", "Boss")
        assert view.params == {"period": "this_quarter", "region": "R001"}  # not the language
        assert views_for(conn, "east") == []  # not shared: nobody else sees it
    rename_view(people, "boss", view_id, "East Q4")
    with pytest.raises(ViewRefused, match="you have a view named 'East Q4' already"):
        save_view(people, "boss", "East Q4", "overview", {})
    delete_view(people, "boss", view_id)
    with people.connect() as conn:
        assert views_for(conn, "boss") == []
        trail = conn.execute(select(AuditEntry.table_name, AuditEntry.username,
                                    AuditEntry.old_value, AuditEntry.new_value)
                             .order_by(AuditEntry.id)).all()  # fmt: skip
    mine = [row for row in trail if row.table_name == "saved_views"]
    assert [(json.loads(r.old_value or "null"), json.loads(r.new_value or "null"))
            for r in mine] == [
        (None, {"name": "华东 Q4 新客户", "page": "targets",
                "params": {"period": "this_quarter", "region": "R001"}}),
        ({"name": "华东 Q4 新客户"}, {"name": "East Q4"}),
        ({"name": "East Q4", "page": "targets",
          "params": {"period": "this_quarter", "region": "R001"}}, None),
    ]  # fmt: skip
    assert {r.username for r in mine} == {"boss"}


def test_shared_by_name_or_with_everyone_and_only_the_owner_changes_it(people: Engine) -> None:
    view_id = save_view(people, "boss", "East Q4", "targets", EAST)
    save_view(people, "west", "Mine", "overview", {"period": "this_month"})
    share_view(people, "boss", view_id, ["east", "boss"])  # the owner is never a share
    with people.connect() as conn:
        assert [v.name for v in views_for(conn, "east")] == ["East Q4"]
        assert [v.name for v in views_for(conn, "west")] == ["Mine"]
        assert views_for(conn, "boss")[0].shared_with == ("east",)
    for refused in (lambda: rename_view(people, "east", view_id, "Taken"),
                    lambda: delete_view(people, "east", view_id),
                    lambda: share_view(people, "east", view_id, ["west"])):  # fmt: skip
        with pytest.raises(ViewRefused, match=f"no view {view_id} of yours"):
            refused()
    with pytest.raises(ViewRefused, match="share: no user nobody"):
        share_view(people, "boss", view_id, ["east", "nobody"])
    share_view(people, "boss", view_id, [], everyone=True)
    with people.connect() as conn:
        assert [(v.owner, v.name) for v in views_for(conn, "west")] == [
            ("west", "Mine"), ("boss", "East Q4")  # their own first
        ]  # fmt: skip
        assert views_for(conn, "boss")[0].shared_with == ("*",)
    share_view(people, "boss", view_id, [])  # private again
    delete_view(people, "boss", view_id)
    with people.connect() as conn:
        assert views_for(conn, "east") == []
        assert conn.execute(select(SavedViewShare)).all() == []


@pytest.mark.parametrize(
    ("name", "page", "params", "said"),
    [("", "targets", {}, "name: give the view a name"),
     ("x", "../etc", {}, "page: '../etc' is no page"),
     ("x", "targets", {"bad key": "1"}, "params: 'bad key' is no parameter of a page")],
)  # fmt: skip
def test_a_crafted_view_is_refused_and_nothing_written(
    people: Engine, name: str, page: str, params: dict[str, str], said: str
) -> None:
    with pytest.raises(ViewRefused, match=said.replace("(", r"\(")):
        save_view(people, "boss", name, page, params)
    with people.connect() as conn:
        assert views_for(conn, "boss") == []
