"""Meeting mode (issue 15.4): the Monday report as slides, the URL names week and slide, the
arrow buttons move, and the figures are the weekly page's."""

from __future__ import annotations

import pytest

from crm_core import formatting as fmt
from crm_core.periods import iso_week_period
from crm_core.scope import Scope
from db.engine import make_engine
from reports import files as report_files
from services import weekly
from tests.app.conftest import page_path, signed_in

pytestmark = pytest.mark.usefixtures("demo_db")


def meeting(username: str, **params: str):  # noqa: ANN201
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_file(page_path("meeting"), default_timeout=60)
    for key, value in params.items():
        app.query_params[key] = value
    return signed_in(app, username).run()


def test_the_first_slide_shows_the_weeks_headline_figures() -> None:
    app = meeting("manager", week="2026-W46")
    assert not app.exception and not app.error
    with make_engine().connect() as conn:
        facts = weekly.week_facts(conn, Scope.for_manager(["R001"]), iso_week_period("2026-W46"))
    assert app.title[0].value.startswith("Monday report · 华东区 · 2026-W46")
    assert app.metric[0].label == "Week revenue"
    assert app.metric[0].value == fmt.money(facts.revenue)
    assert "Slide 1 of" in app.caption[0].value


def test_the_url_opens_a_slide_and_the_arrows_move() -> None:
    app = meeting("director", week="2026-W46", slide="3")
    assert app.title[0].value == "Needs a decision"
    assert app.table, "the decisions as a large-type table"
    app.button(key="slide_next").click().run()
    assert app.title[0].value == "Week at a glance (1/2)"
    assert app.query_params["slide"] == ["4"] or app.query_params["slide"] == "4"
    app.button(key="slide_back").click().run()
    assert app.title[0].value == "Needs a decision"


def test_the_first_slide_carries_the_top_decisions_and_every_slide_a_way_out() -> None:
    """Issue 37.4 (in part): the opening slide is the headline figures and the first three
    decisions; every slide has a button that leaves the meeting."""
    app = meeting("director", week="2026-W46")
    decisions = meeting("director", week="2026-W46", slide="3").table[0].value
    opening = app.table[0].value
    # who and why of the first three decisions (the decisions' slide adds severity and region)
    assert list(opening.index) == list(decisions["About"][:3])
    for column in ("Name", "Why"):
        assert list(opening[column]) == list(decisions[column][:3])
    count = int(app.caption[0].value.split(" of ")[1].split()[0])
    for number in (1, 2, count):
        shown = meeting("director", week="2026-W46", slide=str(number))
        assert shown.button(key="leave_meeting").label == "Leave the meeting"


def test_a_long_section_runs_over_slides_of_at_most_eight_rows() -> None:
    from ui.meeting_view import SLIDE_ROWS, WRAPPED_ROWS

    assert (SLIDE_ROWS, WRAPPED_ROWS) == (8, 5)
    app = meeting("director", week="2026-W46")
    count = int(app.caption[0].value.split(" of ")[1].split()[0])
    rows: dict[str, int] = {}
    for number in range(2, count + 1):
        shown = meeting("director", week="2026-W46", slide=str(number))
        section = shown.title[0].value.split(" (")[0]
        for table in shown.table:
            limit = 5 if section in ("Needs a decision", "Competitor dynamics",
                                     "Open complaints") else 8  # fmt: skip
            assert len(table.value) <= limit, (number, section)
            rows[section] = rows.get(section, 0) + len(table.value)
    with make_engine().connect() as conn:
        report = weekly.monday_report(
            conn, Scope.everything(), iso_week_period("2026-W46"), "华东区、华南区、华北区"
        )
    assert rows["Needs a decision"] == len(report_files.section_rows(report, "decisions",
                                                                     "en")[1])  # fmt: skip
    reps = len(report_files.section_rows(report, "reps", "en")[1])
    assert rows["Reps"] == min(reps, 7), "at most the seven largest gaps"


def test_every_slide_renders_in_both_languages() -> None:
    app = meeting("director", week="2026-W46")
    count = int(app.caption[0].value.split(" of ")[1].split()[0])
    assert count >= 8
    for number in range(1, count + 1):
        for lang in ("en", "zh"):
            shown = meeting("director", week="2026-W46", slide=str(number), lang=lang)
            assert not shown.exception and not shown.error, (number, lang)
