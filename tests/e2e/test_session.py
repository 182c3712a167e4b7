"""The sign-in cookie in a real browser (issue 13.5): a cookie stops working when its user
signs out, and a forged, garbage or orphaned cookie shows the login form, never a traceback."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import jwt
import pytest

from db import users
from db.engine import make_engine
from tests.e2e.conftest import settle, sign_in
from ui.auth import COOKIE_NAME

pytestmark = pytest.mark.e2e
KEY = "e2e-" + "k" * 44  # the server's CRM_COOKIE_KEY (tests/e2e/conftest.py)


def version_of(server_db: Path, username: str) -> int:
    engine = make_engine(f"sqlite:///{server_db}")
    with engine.connect() as conn:
        version = users.find_account(conn, username).session_version
    engine.dispose()
    return version


def token(username: str, version: int, key: str = KEY, algorithm: str = "HS256") -> str:
    claims = {"username": username, "exp_date": (datetime.now() + timedelta(days=1)).timestamp()}
    claims["ver"] = version
    return jwt.encode(claims, key if algorithm != "none" else None, algorithm=algorithm)


def open_with_cookie(browser: object, server: str, value: str) -> object:
    context = browser.new_context(viewport={"width": 1400, "height": 1200})
    context.add_cookies([{"name": COOKIE_NAME, "value": value, "url": server}])
    page = context.new_page()
    page.goto(server)
    # the login form or a page (not the sidebar's change-password box, hidden while closed)
    page.wait_for_selector('[data-testid="stMain"] [data-testid="stTextInput"], '
                           '[data-testid="stMetric"]', timeout=60_000)  # fmt: skip
    settle(page)
    return page


def shows_login(page: object) -> bool:
    return (
        page.get_by_role("textbox", name="Username").count() == 1
        and page.locator('[data-testid="stMetric"]').count() == 0
        and page.locator('[data-testid="stException"]').count() == 0
    )


def test_a_valid_cookie_signs_in_and_stops_working_after_sign_out(
    tab, browser, server: str, server_db: Path
) -> None:
    sign_in(tab, server, "rep")
    copied = next(c["value"] for c in tab.context.cookies() if c["name"] == COOKIE_NAME)
    before = open_with_cookie(browser, server, copied)
    assert before.locator('[data-testid="stMetric"]').count() > 0, "the cookie signs in"
    before.context.close()
    tab.get_by_role("button", name="Sign out").click()
    tab.get_by_role("textbox", name="Username").wait_for(timeout=30_000)
    after = open_with_cookie(browser, server, copied)
    assert shows_login(after)
    after.context.close()


@pytest.mark.parametrize(
    "kind", ["garbage", "alg_none", "other_key", "deleted_user", "old_version"]
)
def test_a_bad_cookie_shows_the_login_form(
    browser, server: str, server_db: Path, kind: str
) -> None:
    version = version_of(server_db, "manager")
    value = {
        "garbage": "not.a.token",
        "alg_none": token("manager", version, algorithm="none"),
        "other_key": token("manager", version, key="x" * 48),
        "deleted_user": token("ghost", 0),
        "old_version": token("manager", version - 1),
    }[kind]
    page = open_with_cookie(browser, server, value)
    assert shows_login(page)
    page.context.close()


def test_a_forged_cookie_with_the_right_key_and_version_signs_in(
    browser, server: str, server_db: Path
) -> None:
    """The control for the test above: the same path with a good token does sign in."""
    page = open_with_cookie(browser, server, token("manager", version_of(server_db, "manager")))
    assert page.locator('[data-testid="stMetric"]').count() > 0
    page.context.close()
