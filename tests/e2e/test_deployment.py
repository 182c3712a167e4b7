"""The company deployment (issue 41.2, docs/operations.md) run on loopback by deploy/local.sh:
PostgreSQL set up by deploy/postgres-setup.sh, two app processes as the least-privilege role,
nginx with TLS, sticky routes and security headers in front; signed in through the proxy in
Chromium, a visit planned through one process is seen on a page of the other, and a process
killed and restarted leaves its browsers signed in on the page they were on."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest

from bench.app import unchecked_tls
from tests.conftest import ROOT, require
from tests.e2e.conftest import AS_OF, browser_missing, settle, sign_in

pytestmark = pytest.mark.e2e
TOOLS = ("nginx", "openssl", "curl")


def deploy_missing() -> str | None:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if not list(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl")):
        missing.append("PostgreSQL's server (postgresql)")
    if missing:
        return (
            f"the deployment test needs {', '.join(missing)}: apt-get install nginx openssl "
            "curl postgresql, or run .ci/run, which installs them"
        )
    return browser_missing()


@dataclass(frozen=True)
class Deployment:
    folder: Path
    url: str

    def run(self, *args: str) -> str:
        done = subprocess.run(
            [str(ROOT / "deploy" / "local.sh"), args[0], str(self.folder), *args[1:]],
            env=os.environ | {"PYTHON": sys.executable, "CRM_AS_OF": AS_OF.isoformat()},
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr + done.stdout
        return done.stdout

    def setting(self, name: str) -> str:
        text = (self.folder / "crm.env").read_text()
        return re.search(rf"^{name}=(.*)$", text, re.MULTILINE).group(1)

    def upstreams(self) -> dict[str, set[str]]:
        """The process (upstream address) each route's requests went to, from nginx's log."""
        seen: dict[str, set[str]] = {}
        for line in (self.folder / "nginx-access.log").read_text().splitlines():
            found = re.search(r"route=(p\d+) upstream=(.+?) time=", line)
            if found and found.group(2) != "-":  # tried in turn: "a, b"; the last one answered
                answered = found.group(2).split(", ")[-1]
                seen.setdefault(found.group(1), set()).add(answered)
        return seen


@pytest.fixture(scope="module")
def deployment() -> Iterator[Deployment]:
    require(deploy_missing(), "CRM_REQUIRE_DEPLOY")
    top = Path(tempfile.mkdtemp(prefix="crm-deploy-"))
    top.chmod(0o755)  # PostgreSQL runs as its own user and must reach its folder
    place = Deployment(top / "d", "")
    try:
        url = place.run("start", "2").strip().splitlines()[-1]
        yield Deployment(place.folder, url)
    finally:
        subprocess.run([str(ROOT / "deploy" / "local.sh"), "stop", str(place.folder)],
                       capture_output=True, timeout=120)  # fmt: skip
        shutil.rmtree(top, ignore_errors=True)


def fetch(url: str, cookie: str | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, context=unchecked_tls(), timeout=10) as answer:
        return answer.status, dict(answer.headers), answer.read()


def test_the_proxy_serves_tls_with_its_headers_routes_and_limits(deployment: Deployment) -> None:
    status, headers, _body = fetch(deployment.url + "/")
    assert status == 200
    assert headers["Strict-Transport-Security"] == "max-age=31536000"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "SAMEORIGIN"
    assert re.fullmatch(r"crm_route=p[12]; Path=/; Secure; HttpOnly; SameSite=Lax",
                        headers["Set-Cookie"])  # fmt: skip
    _status, again, _ = fetch(deployment.url + "/", cookie="crm_route=p2")
    assert "Set-Cookie" not in again  # a browser keeps its route
    assert fetch(deployment.url + "/healthz")[2] == b"ok"
    assert _upload_status(deployment.url, 300 * 1024 * 1024) == 413  # over the 200 MB limit
    fetch(deployment.url + "/", cookie="crm_route=p1")
    routes = deployment.upstreams()
    assert len(routes["p1"]) == 1 and len(routes["p2"]) == 1 and routes["p1"] != routes["p2"]


def _upload_status(url: str, size: int) -> int:
    """nginx's answer to an upload announcing ``size`` bytes (refused before any is sent)."""
    host, port = url.removeprefix("https://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as raw:
        with unchecked_tls().wrap_socket(raw, server_hostname=host) as tls:
            tls.sendall(
                f"POST /_stcore/upload_file/s/f HTTP/1.1\r\nHost: {host}\r\n"
                f"Content-Length: {size}\r\nContent-Type: application/octet-stream\r\n\r\n".encode()
            )
            return int(tls.recv(200).split()[1])


def test_the_app_role_writes_rows_but_cannot_change_the_schema(deployment: Deployment) -> None:
    url = deployment.setting("CRM_DATABASE_URL").replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT current_user").fetchone()[0] == "crm_app"
        conn.execute("UPDATE regions SET name = name")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("DROP TABLE regions")
        conn.rollback()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("CREATE TABLE intruder (id int)")


def planned(page: object) -> int:
    """The count of calls and visits the rep has planned ahead, as the Daily page says it."""
    text = page.get_by_text(re.compile(r"are planned")).first.inner_text()
    return int(re.search(r"; (\d+) are planned", text).group(1))


def test_a_visit_planned_through_one_process_shows_on_the_other_and_a_crash_keeps_you_in(
    deployment: Deployment, browser: object
) -> None:
    # the session's Chromium: Playwright's sync API runs one instance at a time
    first, second = (_routed(browser, deployment.url, route) for route in ("p1", "p2"))
    for page in (first, second):
        sign_in(page, deployment.url, "rep")
        page.goto(f"{deployment.url}/daily")
        settle(page)
    before = planned(second)  # the second process has read (and cached) the count
    assert planned(first) == before

    form = first.locator('[data-testid="stForm"]').filter(has_text="Add to my plan")
    form.get_by_text("2026-11-19", exact=True).click()  # the working day after AS_OF
    form.get_by_text("visit", exact=True).click()
    form.get_by_role("button", name="Add to my plan").click()
    first.get_by_text("Added to the plan.").wait_for(timeout=30_000)

    second.reload()
    settle(second)
    assert planned(second) == before + 1
    routes = deployment.upstreams()
    assert routes["p1"] != routes["p2"], "the two browsers were served by two processes"

    deployment.run("app-stop", "1")  # killed: its browser reconnects to the other
    for _ in range(600):  # the browser's reconnection reaches the other process
        if deployment.upstreams()["p1"] == routes["p1"] | routes["p2"]:
            break
        first.wait_for_timeout(100)
    settle(first)
    assert deployment.upstreams()["p1"] == routes["p1"] | routes["p2"]
    assert urlsplit(first.url).path == "/daily"
    assert first.get_by_text(re.compile(r"^Signed in as")).count() == 1
    assert planned(first) == before + 1
    deployment.run("app-start", "1")
    third = _routed(browser, deployment.url, "p1")
    sign_in(third, deployment.url, "rep")
    assert third.get_by_text(re.compile(r"^Signed in as")).count() == 1
    for page in (first, second, third):
        page.context.close()


def _routed(chromium: object, url: str, route: str) -> object:
    """A new browser (its own cookies) whose requests nginx sends to process ``route``."""
    context = chromium.new_context(
        ignore_https_errors=True, viewport={"width": 1400, "height": 2000}, locale="en-US"
    )
    context.add_cookies([{"name": "crm_route", "value": route, "url": url}])
    return context.new_page()
