"""A real Streamlit server on demo data (size S) and a real Chromium (Debian's package, driven by
Playwright; never `playwright install`). Skipped with the reason when Chromium is missing,
unless CRM_REQUIRE_BROWSER=1 (set by .ci/run), which makes that a failure."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

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


def browser_missing() -> str | None:
    if Path(CHROMIUM).exists():
        return None
    return (
        f"{CHROMIUM} is missing. To run the browser tests, install Debian's chromium "
        "(apt-get install chromium fonts-noto-cjk) or run .ci/run, which installs it."
    )


def _require_browser() -> None:
    require(browser_missing(), "CRM_REQUIRE_BROWSER")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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
    port = _free_port()
    env = {**os.environ, "CRM_DATABASE_URL": f"sqlite:///{path}",
           "CRM_AS_OF": AS_OF.isoformat(), "CRM_COOKIE_KEY": "e2e-" + "k" * 44}  # fmt: skip
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard.py"),
         "--server.headless", "true", "--server.address", "127.0.0.1",
         "--server.port", str(port), "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


def _wait_healthy(url: str) -> None:
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.read() == b"ok":
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("streamlit did not become healthy in 60 s")


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
