"""Every page on the edges (issue 13.7): an empty database with one director, a new rep with
nothing, a manager of a region without reps, a period in the future, 29 February 2028 as the
as-of day, a huge and a reversed custom range. No page may raise; a reversed range says so."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from crm_core.scope import Role
from db import migrate, users
from db.engine import make_engine
from tests.app.conftest import signed_in_as
from tests.conftest import ROOT
from tests.world import load_world, rows_of
from ui.navigation import PAGES, may_open

NEW_REGION = "region_id,name\nR003,西北新区\n"
NEW_REP = "rep_id,name,region_id\nE09,新人,R001\n"


@pytest.fixture(scope="module")
def edge_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The hand-written world plus a region without reps, a rep with nothing, and users."""
    from db.transfer import import_rows

    path = tmp_path_factory.mktemp("edges") / "edges.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    load_world(engine)
    assert import_rows(engine, "regions", rows_of(NEW_REGION), "r.csv").ok
    assert import_rows(engine, "reps", rows_of(NEW_REP), "e.csv").ok
    with engine.begin() as conn:
        users.add_user(conn, "boss", "Boss", "director", "pw")
        users.add_user(conn, "north", "North", "manager", "pw", regions=["R003"])
        users.add_user(conn, "newbie", "新人", "rep", "pw", rep_id="E09")
    engine.dispose()
    return f"sqlite:///{path}"


@pytest.fixture(scope="module")
def empty_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("empty") / "empty.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    with engine.begin() as conn:
        users.add_user(conn, "boss", "Boss", "director", "pw")
    engine.dispose()
    return f"sqlite:///{path}"


def run_page(page_id: str, username: str, role: str, **params: str) -> AppTest:
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    for key, value in params.items():
        app.query_params[key] = value
    signed_in_as(app, username, role).run()
    app.switch_page(f"pages/{page_id}.py").run()
    return app


def assert_runs(app: AppTest) -> None:
    assert not app.exception, [e.value for e in app.exception]
    failed = [e.value for e in app.error if "could not be shown" in e.value]
    assert not failed, failed


CASES = [
    ("empty", "boss", "director", "2026-11-18", {}),
    ("edge", "newbie", "rep", "2026-11-18", {}),
    ("edge", "north", "manager", "2026-11-18", {}),
    ("edge", "boss", "director", "2028-02-29", {}),
    ("edge", "boss", "director", "2026-11-18", {"period": "custom", "from": "2027-03-01",
                                                "to": "2027-03-31"}),
    ("edge", "boss", "director", "2026-11-18", {"period": "custom", "from": "1990-01-01",
                                                "to": "2035-12-31"}),
    ("edge", "boss", "director", "2026-11-18", {"period": "custom", "from": "0001-01-01",
                                                "to": "0001-12-31", "week": "9999-W52",
                                                "day": "9999-12-31"}),
    ("edge", "boss", "director", "2100-12-31", {}),
    ("edge", "boss", "director", "1990-01-01", {}),
]  # fmt: skip


CASE_IDS = ["empty-db", "rep-with-nothing", "region-without-reps", "29-feb-2028", "future",
            "huge-range", "year-1-link", "last-accepted-day", "first-accepted-day"]  # fmt: skip
PAGE_CASES = [
    pytest.param(spec, *case, id=f"{case_id}-{spec.page_id}")
    for case_id, case in zip(CASE_IDS, CASES, strict=True)
    for spec in PAGES
    if may_open(Role(case[2]), spec.page_id)
]


@pytest.mark.parametrize(("spec", "db", "username", "role", "as_of", "params"), PAGE_CASES)
def test_every_page_runs_on_the_edges(
    request, monkeypatch, spec, db: str, username: str, role: str, as_of: str, params: dict
) -> None:
    url = request.getfixturevalue(f"{db}_db")
    monkeypatch.setenv("CRM_DATABASE_URL", url)
    monkeypatch.setenv("CRM_COOKIE_KEY", "k" * 48)
    monkeypatch.setenv("CRM_AS_OF", as_of)
    assert_runs(run_page(spec.page_id, username, role, **params))


def test_a_reversed_range_says_so_and_shows_this_month(edge_db: str, monkeypatch) -> None:
    monkeypatch.setenv("CRM_DATABASE_URL", edge_db)
    monkeypatch.setenv("CRM_COOKIE_KEY", "k" * 48)
    monkeypatch.setenv("CRM_AS_OF", "2026-11-18")
    app = run_page(
        "overview",
        "boss",
        "director",
        period="custom",
        **{"from": "2026-11-30", "to": "2026-11-01"},
    )
    assert_runs(app)
    assert any("after its end" in w.value for w in app.warning), [w.value for w in app.warning]


@pytest.mark.parametrize(
    ("page_id", "params", "warning"),
    [
        ("meeting", {"week": "9999-W52"}, None),
        ("meeting", {"week": "0001-W01"}, None),
        ("weekly", {"week": "9999-W52"}, None),
        ("overview", {"period": "custom", "from": "0001-01-01", "to": "0001-01-31"},
         "from: expected a date from 1990-01-01 to 2100-12-31, found 0001-01-01"),
        ("targets", {"period": "custom", "from": "0001-01-01", "to": "0001-12-31"},
         "from: expected a date from 1990-01-01 to 2100-12-31, found 0001-01-01"),
        ("daily", {"day": "9999-12-31"},
         "day: expected a date from 1990-01-01 to 2100-12-31, found 9999-12-31"),
        ("daily", {"day": "2026-02-30"}, "day: expected a date YYYY-MM-DD, found '2026-02-30'"),
    ],
)  # fmt: skip
def test_a_link_with_a_date_at_the_calendars_edge_opens_the_default_and_says_why(
    edge_db: str, monkeypatch, page_id: str, params: dict, warning: str | None
) -> None:
    """Issue 39.3: these links raised OverflowError (a traceback, or a failed section)."""
    monkeypatch.setenv("CRM_DATABASE_URL", edge_db)
    monkeypatch.setenv("CRM_COOKIE_KEY", "k" * 48)
    monkeypatch.setenv("CRM_AS_OF", "2026-11-18")
    app = run_page(page_id, "boss", "director", **params)
    assert_runs(app)
    if warning is not None:
        shown = [w.value for w in app.warning]
        assert any(warning in text.replace("\\", "") for text in shown), shown
