"""Sign-in and sessions through the app (issue 13.4, 13.5), on a database of their own so that
sign-outs and lockouts do not touch the shared demo users."""

from __future__ import annotations

import os

import pytest
from streamlit.testing.v1 import AppTest

from db import users
from tests.conftest import ROOT


@pytest.fixture
def own_db(world_app):  # noqa: ANN001, ANN201
    return world_app


def app() -> AppTest:
    return AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=30)


def sign_in(entry: AppTest, username: str, password: str) -> AppTest:
    entry.run()
    entry.text_input[0].input(username)
    entry.text_input[1].input(password)
    entry.button[0].click().run()
    return entry


def test_a_user_added_on_the_cli_signs_in_at_once(own_db) -> None:
    first = app().run()  # the login page has been shown (and anything cached) before the add
    assert first.text_input
    with own_db.begin() as conn:
        users.add_user(conn, "wang", "王经理", "manager", "pw", regions=["R001"])
    signed = sign_in(app(), "wang", "pw")
    assert not signed.exception and not signed.error
    assert signed.metric, "the overview opens"


def test_a_disabled_users_session_ends_on_the_next_rerun(own_db) -> None:
    with own_db.begin() as conn:
        users.add_user(conn, "wang", "王经理", "manager", "pw", regions=["R001"])
    signed = sign_in(app(), "wang", "pw")
    assert signed.metric
    users.set_disabled(own_db, "wang", True, by="boss")
    signed.run()
    assert not signed.metric
    assert [box.label for box in signed.text_input] == ["Username", "Password"]


def test_the_sixth_try_shows_the_wait(own_db) -> None:
    with own_db.begin() as conn:
        users.add_user(conn, "wang", "王经理", "manager", "pw", regions=["R001"])
    entry = app()
    for _ in range(5):
        sign_in(entry, "wang", "wrong")
    assert [e.value for e in entry.error] == [
        "Too many failed sign-ins for this user or from this computer: try again in 30 s."
    ]
    sign_in(entry, "wang", "pw")
    assert entry.error and "try again in" in entry.error[0].value
    assert not entry.metric


def test_a_short_cookie_key_is_refused_at_start(own_db, monkeypatch) -> None:
    monkeypatch.setenv("CRM_COOKIE_KEY", "short")
    shown = app().run()
    assert not shown.exception
    assert not shown.text_input
    assert "at least 32" in shown.error[0].value
    assert os.environ["CRM_COOKIE_KEY"] == "short"


@pytest.mark.parametrize("password", ["x" * 73, "密码" * 13])
def test_a_password_over_72_bytes_is_refused_without_a_crash(own_db, password: str) -> None:
    """Issue 39.1: anyone could crash the sign-in page with a long password."""
    signed = sign_in(app(), "nobody", password)
    assert not signed.exception
    assert [e.value for e in signed.error] == ["Username or password is incorrect."]


def test_a_username_signs_in_however_it_is_typed(own_db) -> None:
    """Issue 39.5: usernames are stored NFKC-normalised and lower-case."""
    with own_db.begin() as conn:
        users.add_user(conn, "Wang", "王经理", "manager", "pw", regions=["R001"])
    signed = sign_in(app(), "ＷＡＮＧ", "pw")
    assert not signed.exception and not signed.error
    assert signed.metric


def test_a_weak_password_of_before_is_accepted_and_its_owner_asked_to_change_it(own_db) -> None:
    with own_db.begin() as conn:  # set before the rules, as an old database holds it
        users.add_user(conn, "wang", "王经理", "manager", "pw", regions=["R001"])
    signed = sign_in(app(), "wang", "pw").run()  # a run on the page itself: the widget IDs
    assert signed.metric, "the weak password still signs in"  # settle after the sign-in
    notice = "Your password is weaker than the rules now ask for: please choose a new one."
    assert notice in [w.value for w in signed.warning]
    signed.text_input(key="pw_old").input("pw")
    signed.text_input(key="pw_new").input("Cedar-Lamp-Harbor-42")
    signed.text_input(key="pw_again").input("Cedar-Lamp-Harbor-41")
    signed.button(key="pw_change").click().run()
    assert "The two new passwords differ." in [e.value for e in signed.error]
    signed.text_input(key="pw_old").input("pw")
    signed.text_input(key="pw_new").input("password1234")
    signed.text_input(key="pw_again").input("password1234")
    signed.button(key="pw_change").click().run()
    assert any("too easy to guess" in e.value for e in signed.error)
    signed.text_input(key="pw_old").input("pw")
    signed.text_input(key="pw_new").input("Cedar-Lamp-Harbor-42")
    signed.text_input(key="pw_again").input("Cedar-Lamp-Harbor-42")
    signed.button(key="pw_change").click().run()
    assert not signed.exception and signed.metric, "this session goes on"
    assert "Password changed. Your other sessions have ended." in [s.value for s in signed.success]
    assert notice not in [w.value for w in signed.warning]
    with own_db.connect() as conn:
        stored = users.find_account(conn, "wang").password_hash.encode()
    assert users.password_matches("Cedar-Lamp-Harbor-42", stored)
    assert not users.password_matches("pw", stored)
    assert sign_in(app(), "wang", "Cedar-Lamp-Harbor-42").metric


def test_a_wrong_current_password_changes_nothing(own_db) -> None:
    with own_db.begin() as conn:
        users.add_user(conn, "wang", "王经理", "manager", "Maple-Ridge-Quartz-7", regions=["R001"])
    signed = sign_in(app(), "wang", "Maple-Ridge-Quartz-7").run()
    assert not signed.warning, "a strong password is not nagged about"
    signed.text_input(key="pw_old").input("not-my-password")
    signed.text_input(key="pw_new").input("Cedar-Lamp-Harbor-42")
    signed.text_input(key="pw_again").input("Cedar-Lamp-Harbor-42")
    signed.button(key="pw_change").click().run()
    assert [e.value.replace("\\", "") for e in signed.error] == [  # Markdown, escaped
        "current password: it is not the password you signed in with"
    ]
    with own_db.connect() as conn:
        stored = users.find_account(conn, "wang").password_hash.encode()
    assert users.password_matches("Maple-Ridge-Quartz-7", stored)
