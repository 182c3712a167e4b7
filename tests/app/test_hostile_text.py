"""Names, summaries and comments typed by someone are shown as text (issue 13.6): the sign-off
card and the customer card put no image, link or bold of theirs on the screen."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import update
from streamlit.testing.v1 import AppTest

from crm_core.formatting import plain
from crm_core.scope import Role
from db import daily, users
from db.daily import ReportText
from db.schema import Customer, Rep
from db.users import Account
from tests.app.conftest import page_as

IMAGE = "![x](http://attacker.example/p.png)"
BOLD = "**URGENT** [click](http://attacker.example)"


@pytest.fixture
def hostile(world_app, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN001, ANN201
    engine = world_app
    with engine.begin() as conn:
        conn.execute(update(Rep).where(Rep.rep_id == "E02").values(name=BOLD))
        conn.execute(update(Customer).where(Customer.customer_id == "C1").values(name=IMAGE))
        users.add_user(conn, "east", "East", "manager", "pw", regions=["R001"])
        users.add_user(conn, "boss", "Boss", "director", "pw")
    lina = Account("lina", "李娜", Role.REP, "E02", (), "")
    daily.submit_report(
        engine, lina, date(2026, 11, 17), ReportText(IMAGE, BOLD, "www.attacker.example"),
        datetime(2026, 11, 17, 19, 0),
    )  # fmt: skip
    monkeypatch.setenv("CRM_AS_OF", "2026-11-18")
    return engine


page = page_as


def markdown_of(app: AppTest) -> list[str]:
    kinds = ("markdown", "caption", "subheader", "warning", "info")
    return [str(e.value) for kind in kinds for e in getattr(app, kind)] + [
        e.label for e in app.expander
    ]


def test_the_sign_off_card_shows_the_reps_text_as_typed(hostile) -> None:
    app = page("daily", "east", "manager")
    assert not app.exception
    shown = markdown_of(app)
    assert any(plain(BOLD) in label for label in shown), shown
    assert plain(IMAGE) in shown
    assert f"Competitor information: {plain(BOLD)}" in shown
    assert all("](http" not in text and "**URGENT" not in text for text in shown)


def test_the_customer_card_heading_shows_the_name_as_typed(hostile) -> None:
    app = page("customers", "boss", "director")
    app.text_input(key="card_q").set_value("C1").run()
    assert not app.exception
    headings = [str(m.value) for m in app.markdown if str(m.value).startswith("###")]
    assert headings == [f"### {plain(IMAGE)} (C1)"]


@pytest.fixture
def hostile_meeting(world_app, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN001, ANN201
    """A rep name, a region name and a market report of week 2026-W41 carrying Markdown."""
    from db.schema import MarketReport, Region

    engine = world_app
    with engine.begin() as conn:
        conn.execute(update(Rep).where(Rep.rep_id.in_(["E01", "E03"])).values(name=BOLD))
        conn.execute(update(Region).where(Region.region_id == "R001").values(name=IMAGE))
        conn.execute(update(MarketReport).values(summary=IMAGE))
        users.add_user(conn, "boss", "Boss", "director", "pw")
    monkeypatch.setenv("CRM_AS_OF", "2026-10-20")
    return engine


def _meeting_slide(number: int) -> AppTest:
    from tests.app.conftest import page_path, signed_in_as

    app = AppTest.from_file(page_path("meeting"), default_timeout=60)
    app.query_params["week"] = "2026-W41"
    app.query_params["slide"] = str(number)
    return signed_in_as(app, "boss", "director").run()


def _shown_texts(app: AppTest) -> list[str]:
    cells = [
        str(v)
        for table in app.table
        for frame in [table.value]
        for v in [*frame.index, *frame.columns, *frame.to_numpy().ravel()]
    ]
    return markdown_of(app) + [e.value for e in app.title] + cells


def test_every_meeting_slide_shows_names_and_reports_as_typed(hostile_meeting) -> None:
    """Issue 39.2: st.table renders Markdown in cells; the slides put no image, link or bold
    of a rep name, region name or market report on the meeting screen."""
    first = _meeting_slide(1)
    count = int(first.caption[0].value.split(" of ")[1].split()[0])
    seen: list[str] = []
    for number in range(1, count + 1):
        app = _meeting_slide(number)
        assert not app.exception, number
        shown = _shown_texts(app)
        assert all("](http" not in text and "**URGENT" not in text for text in shown), shown
        seen += shown
    joined = "\n".join(seen)
    assert plain(IMAGE) in joined, "the market report is on a slide, escaped"
    assert plain(BOLD) in joined, "the rep name is on a slide, escaped"


@pytest.mark.parametrize("page_id", ["targets", "monthly", "pipeline"])
def test_a_drill_down_caption_shows_the_rep_name_as_typed(hostile, page_id: str) -> None:
    from tests.app.conftest import page_path, signed_in_as

    app = AppTest.from_file(page_path(page_id), default_timeout=60)
    app.query_params["period"] = "last_month"
    app.query_params["month"] = "2026-10"
    app.query_params["region_detail"] = "R001"
    app.query_params["rep_detail"] = "E02"
    app = signed_in_as(app, "boss", "director").run()
    assert not app.exception
    captions = [str(c.value) for c in app.caption]
    assert any(plain(BOLD) in c for c in captions), captions
    assert all("**URGENT" not in c for c in captions)
