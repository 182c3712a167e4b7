"""Meeting mode (issue 15.4): the Monday report as slides, the URL names week and slide, the
arrow buttons move, and the figures are the weekly page's."""

from __future__ import annotations

import pytest

from crm_core import formatting as fmt
from crm_core.periods import iso_week_period
from crm_core.scope import Scope
from db import weekly
from db.engine import make_engine
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
    app = meeting("director", week="2026-W46", slide="2")
    assert app.title[0].value == "Needs a decision"
    assert app.table, "the decisions as a large-type table"
    app.button(key="slide_next").click().run()
    assert app.title[0].value == "Week at a glance"
    assert app.query_params["slide"] == ["3"] or app.query_params["slide"] == "3"
    app.button(key="slide_back").click().run()
    assert app.title[0].value == "Needs a decision"


def test_every_slide_renders_in_both_languages() -> None:
    app = meeting("director", week="2026-W46")
    count = int(app.caption[0].value.split(" of ")[1].split()[0])
    assert count >= 8
    for number in range(1, count + 1):
        for lang in ("en", "zh"):
            shown = meeting("director", week="2026-W46", slide=str(number), lang=lang)
            assert not shown.exception and not shown.error, (number, lang)
