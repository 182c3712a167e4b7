"""Actions in the app (issue 37.2 and 37.4): a manager records one on the Weekly page and in
meeting mode without leaving the slide; the next week's report opens with it, and it is
closed there."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import delete

from crm_core.scope import Scope
from db.actions import action_list
from db.engine import make_engine
from db.schema import Action
from tests.app.conftest import page, page_path, signed_in

pytestmark = pytest.mark.usefixtures("demo_db")


@pytest.fixture
def no_actions() -> Iterator[None]:
    """The session's demo database without actions before and after the test."""
    engine = make_engine()
    with engine.begin() as conn:
        conn.execute(delete(Action))
    yield
    with engine.begin() as conn:
        conn.execute(delete(Action))
    engine.dispose()


def actions() -> list[tuple]:
    with make_engine().connect() as conn:
        frame = action_list(conn, Scope.everything(), date(2026, 11, 18))
    return [(r.week, r.about, r.owner, r.due, r.text, r.status) for r in frame.itertuples()]


def rep_of_r001() -> str:
    from db import queries

    with make_engine().connect() as conn:
        return str(queries.reps(conn, Scope.for_manager(["R001"])).rep_id.iloc[0])


@pytest.mark.usefixtures("no_actions")
def test_recorded_on_the_weekly_page_opens_next_weeks_report_and_is_closed_there() -> None:
    rep = rep_of_r001()
    app = page("weekly", "manager")
    app.selectbox(key="weekly_week").set_value("2026-W45").run()
    app.text_input(key="weekly_record_text").set_value("Ride along with the rep on Thursday")
    app.selectbox(key="weekly_record_about").set_value(rep)
    app.selectbox(key="weekly_record_owner").set_value("manager")
    app.date_input(key="weekly_record_due").set_value(date(2026, 11, 13))
    app.button(key="weekly_record_submit").click().run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    assert app.success[0].value.startswith("Action ")
    assert actions() == [("2026-W45", rep, "manager", date(2026, 11, 13),
                          "Ride along with the rep on Thursday", "overdue")]  # fmt: skip
    app.selectbox(key="weekly_week").set_value("2026-W46").run()
    opening = next(d.value for d in app.dataframe if "Action" in d.value.columns)
    [row] = opening.to_dict("records")
    assert (row["Status"], row["Action"], row["Owner"]) == (
        "overdue", "Ride along with the rep on Thursday", "manager",
    )  # fmt: skip
    [action_id] = actions_ids()
    app.multiselect(key="weekly_close_ids").select(action_id)
    app.button(key="weekly_close_submit").click().run()
    assert not app.exception
    assert [a[-1] for a in actions()] == ["done"]
    opening = next(d.value for d in app.dataframe if "Action" in d.value.columns)
    assert list(opening["Status"]) == ["done"]


def actions_ids() -> list[int]:
    with make_engine().connect() as conn:
        return list(action_list(conn, Scope.everything(), date(2026, 11, 18)).id)


@pytest.mark.usefixtures("no_actions")
def test_an_action_is_recorded_in_meeting_mode_without_leaving_the_slide() -> None:
    from streamlit.testing.v1 import AppTest

    rep = rep_of_r001()
    app = AppTest.from_file(page_path("meeting"), default_timeout=60)
    app.query_params.update(week="2026-W46", slide="3")
    app = signed_in(app, "manager").run()
    title = app.title[0].value
    app.text_input(key="meeting_record_text").set_value("Call the silent key customer")
    app.selectbox(key="meeting_record_about").set_value(rep)
    app.button(key="meeting_record_submit").click().run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    assert app.title[0].value == title  # still on the same slide
    assert app.query_params["slide"] in (["3"], "3")
    [(week, about, owner, due, text, _status)] = actions()
    assert (week, about, owner, text) == ("2026-W46", rep, "manager",
                                          "Call the silent key customer")  # fmt: skip
    assert due == date(2026, 11, 25)  # a week after the as-of day, unless changed


def test_another_regions_rep_is_not_offered_to_a_manager() -> None:
    app = page("weekly", "manager")
    offered = app.selectbox(key="weekly_record_about").options
    with make_engine().connect() as conn:
        from db import queries

        theirs = set(queries.reps(conn, Scope.for_manager(["R001"])).rep_id) | {"R001"}
    assert {o.split(" · ")[0] for o in offered} <= theirs
