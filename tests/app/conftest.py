"""AppTest fixtures: one demo database (size XS, data ending on AS_OF) for the whole session,
the app pointed at it through CRM_DATABASE_URL and CRM_AS_OF, caches cleared per test."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from crm_core import formatting as fmt
from db import demo, migrate
from db.engine import make_engine
from tests.conftest import ROOT
from ui import data

AS_OF = date(2026, 11, 18)  # a Wednesday: the month is in progress
ROLES = {"director": "director", "manager": "manager", "rep": "rep"}


def demo_database(tmp_path_factory: pytest.TempPathFactory, size: str, seed: int) -> Iterator[str]:
    """A demo database of ``size`` ending on AS_OF, the app pointed at it (CRM_DATABASE_URL,
    CRM_AS_OF, CRM_COOKIE_KEY) until the generator is closed."""
    path = tmp_path_factory.mktemp(f"app-{size}") / "demo.sqlite"
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    demo.generate(engine, size, seed, AS_OF)
    engine.dispose()
    old = {k: os.environ.get(k) for k in ("CRM_DATABASE_URL", "CRM_AS_OF", "CRM_COOKIE_KEY")}
    os.environ.update(CRM_DATABASE_URL=url, CRM_AS_OF=AS_OF.isoformat(), CRM_COOKIE_KEY="k" * 48)
    yield url
    for key, value in old.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from demo_database(tmp_path_factory, "XS", 3)


@pytest.fixture(autouse=True)
def fresh_caches() -> Iterator[None]:
    st.cache_data.clear()
    data.clear_results()
    yield
    st.cache_data.clear()
    data.clear_results()


def page_path(page_id: str) -> str:
    return str(ROOT / "pages" / f"{page_id}.py")


def signed_in(app: AppTest, username: str, **state: object) -> AppTest:
    """``app`` signed in as a demo user (never signed out in tests: session version 0)."""
    signed_in_as(app, username, ROLES[username])
    for key, value in state.items():
        app.session_state[key] = value
    return app


def signed_in_as(app: AppTest, username: str, role: str) -> AppTest:
    """``app`` signed in as ``username`` with ``role``, a user of the database in use."""
    state = {"authentication_status": True, "username": username, "name": username,
             "roles": [role], "logout": None, "session_version": 0}  # fmt: skip
    for key, value in state.items():
        app.session_state[key] = value
    return app


def page_as(page_id: str, username: str, role: str) -> AppTest:
    """One page file run signed in as ``username`` (see :func:`signed_in_as`)."""
    return signed_in_as(
        AppTest.from_file(page_path(page_id), default_timeout=30), username, role
    ).run()


def page(page_id: str, username: str, **state: object) -> AppTest:
    app = AppTest.from_file(page_path(page_id), default_timeout=30)
    return signed_in(app, username, **state).run()


def entry(username: str | None = None, **params: str) -> AppTest:
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=30)
    for key, value in params.items():
        app.query_params[key] = value
    return signed_in(app, username) if username else app


def card_money(cents: int) -> tuple[str, str]:
    """A money card's (figure, tooltip) as an English page shows them: from ¥1,000,000 the sum
    short (``short_money``, whose forms tests/unit/test_formatting.py writes out by hand) with
    the exact sum to hover; below it the exact sum and no tooltip."""
    if abs(cents) >= 100_000_000:
        return fmt.short_money(cents, "en"), fmt.money(cents)
    return fmt.money(cents), ""


def all_text(app: AppTest) -> str:
    """Every piece of text the page shows, tables included."""
    parts: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning",
                 "error", "success"):  # fmt: skip
        parts += [str(element.value) for element in getattr(app, kind)]
    parts += [f"{m.label} {m.value} {m.delta}" for m in app.metric]
    parts += [frame.value.to_csv() for frame in app.dataframe]
    parts += [str(box.options) + str(box.value) for box in app.selectbox]
    parts += [str(box.options) + str(box.value) for box in app.multiselect]
    return "\n".join(parts)


@pytest.fixture
def world_app(tmp_path, monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """The app pointed at tests/world.py in a SQLite file of its own (for tests that change
    users or data the shared demo database must keep); yields its engine."""
    from tests.world import load_world

    url = f"sqlite:///{tmp_path / 'world_app.sqlite'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    load_world(engine)
    monkeypatch.setenv("CRM_DATABASE_URL", url)
    monkeypatch.setenv("CRM_COOKIE_KEY", "k" * 48)
    yield engine
    engine.dispose()
