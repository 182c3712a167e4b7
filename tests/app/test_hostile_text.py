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
