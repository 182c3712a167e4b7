"""A real Streamlit server on demo data (size S) and a real Chromium (Debian's package, driven by
Playwright; never `playwright install`). Skipped with the reason when Chromium is missing,
unless CRM_REQUIRE_BROWSER=1 (set by .ci/run), which makes that a failure."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from bench import app
from db import demo, migrate
from db.engine import make_engine
from tests.conftest import ROOT, require

CHROMIUM = "/usr/bin/chromium"
AS_OF = date(2026, 11, 18)
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def shot(name: str) -> Path:
    """Where a README picture is saved: ``docs/NAME`` under ``make screenshots``
    (``CRM_SCREENSHOTS=1``), else a scratch folder, so that the tests leave the checkout as
    they found it."""
    if os.environ.get("CRM_SCREENSHOTS") == "1":
        return ROOT / "docs" / name
    folder = Path(os.environ.get("CRM_E2E_SHOTS", "/tmp/e2e-shots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder / name


def browser_missing() -> str | None:
    if Path(CHROMIUM).exists():
        return None
    return (
        f"{CHROMIUM} is missing. To run the browser tests, install Debian's chromium "
        "(apt-get install chromium fonts-noto-cjk) or run .ci/run, which installs it."
    )


def _require_browser() -> None:
    require(browser_missing(), "CRM_REQUIRE_BROWSER")


@pytest.fixture(scope="session")
def server_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("e2e") / "demo.sqlite"


@pytest.fixture(scope="session")
def server(server_db: Path) -> Iterator[str]:
    _require_browser()
    path = server_db
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    demo.generate(engine, "S", 7, AS_OF)
    engine.dispose()
    env = {**os.environ, "CRM_DATABASE_URL": f"sqlite:///{path}",
           "CRM_AS_OF": AS_OF.isoformat(), "CRM_COOKIE_KEY": "e2e-" + "k" * 44}  # fmt: skip
    process, url = app.start(env, seconds=60)
    try:
        yield url
    finally:
        app.stop(process)


@pytest.fixture(scope="session")
def browser(server: str) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> object:
    report = yield
    if report.when == "call":
        item.failed_call = report.failed
    return report


@pytest.fixture
def tab(browser: object, request: pytest.FixtureRequest) -> Iterator[object]:
    """A fresh browser context (its own cookies: a new Streamlit session). On failure a
    screenshot goes to ``$CRM_E2E_SHOTS`` (default /tmp/e2e-failures)."""
    context = browser.new_context(viewport={"width": 1400, "height": 2000}, locale="en-US")
    page = context.new_page()
    yield page
    if getattr(request.node, "failed_call", False):
        folder = Path(os.environ.get("CRM_E2E_SHOTS", "/tmp/e2e-failures"))
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / f"{request.node.name}.png"))
    context.close()


IDLE = (
    '[data-testid="stApp"][data-test-connection-state="CONNECTED"]'
    '[data-test-script-state="notRunning"]'
)


def settle(page: object) -> None:
    """Wait until Streamlit has finished running the script. The app marks its script state
    on its root element (a widget change sets it to "rerunRequested" at once), which holds on
    a loaded machine, where the status widget can show up too late to be waited for."""
    page.wait_for_timeout(300)
    page.wait_for_selector(IDLE, timeout=60_000)
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=30_000)
    page.wait_for_timeout(300)


def sign_in(page: object, server: str, username: str) -> None:
    page.goto(server)
    page.get_by_role("textbox", name="Username").wait_for(timeout=60_000)
    settle(page)  # a click while the first run of a fresh server is still going is lost
    page.get_by_role("textbox", name="Username").fill(username)
    page.get_by_role("textbox", name="Password", exact=True).fill("demo")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_selector('[data-testid="stMetric"]', timeout=30_000)
    page.wait_for_function("document.cookie.includes('crm_dashboard_auth')", timeout=10_000)
    settle(page)
