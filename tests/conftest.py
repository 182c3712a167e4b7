"""Shared fixtures: an engine on a fresh SQLite file and (marker ``postgres``) a fresh
PostgreSQL database from the server configured by ``CRM_TEST_PG_*`` (default 127.0.0.1:5432,
user/password ``crm``). Without a reachable server the PostgreSQL variants are skipped with the
reason shown, unless ``CRM_REQUIRE_POSTGRES=1`` (set by ``.ci/run``), which makes them fail.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from hypothesis import settings
from pytest_postgresql import factories
from sqlalchemy import Engine

from db import migrate
from db.engine import make_engine

ROOT = Path(__file__).resolve().parent.parent
# every chart the tests draw is checked against the Vega-Lite schema (ui.charts.draw), also in
# the servers the browser tests start
os.environ["CRM_VALIDATE_CHARTS"] = "1"
# a view shows the figures as they are now (tests/app/test_cache_keys.py tries lagging ones)
os.environ["CRM_LAG_SECONDS"] = "0"


def cli(
    db: Path | str, *args: str, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The CLI on ``db`` (a SQLite file or a database URL) in a child process, as a user runs
    it: no CRM_AS_OF (the app tests set one for their session) unless ``env`` passes it; the
    CLI test helpers all go through this one."""
    url = db if isinstance(db, str) else f"sqlite:///{db}"
    clean = {k: v for k, v in os.environ.items() if k != "CRM_AS_OF"}
    return subprocess.run(
        [sys.executable, str(ROOT / "cli.py"), *args],
        capture_output=True, text=True, input=stdin, cwd=ROOT, timeout=300,
        env={**clean, "CRM_DATABASE_URL": url, **(env or {})},
    )  # fmt: skip


def kpi_rows(db: Path | str, *args: str, env: dict[str, str] | None = None) -> list[dict]:
    """``cli.py kpi *args`` as JSON rows; a failing call fails the test with its message."""
    done = cli(db, "kpi", *args, env=env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


# No per-example deadline: speed is measured by the benchmark, not asserted in tests (a loaded
# 2-core CI machine made a property test fail on time alone).
settings.register_profile("project", deadline=None)
settings.load_profile("project")
PG = {
    "host": os.environ.get("CRM_TEST_PG_HOST", "127.0.0.1"),
    "port": int(os.environ.get("CRM_TEST_PG_PORT", "5432")),
    "user": os.environ.get("CRM_TEST_PG_USER", "crm"),
    "password": os.environ.get("CRM_TEST_PG_PASSWORD", "crm"),
}

# One database name per test process, so that two test runs can share a server.
postgresql_server = factories.postgresql_noproc(dbname=f"crm_tests_{os.getpid()}", **PG)
postgresql = factories.postgresql("postgresql_server")


@cache
def postgres_unreachable() -> str | None:
    import psycopg

    try:
        psycopg.connect(dbname="postgres", connect_timeout=3, **PG).close()
    except psycopg.Error as problem:
        cause = " ".join(str(problem).split())
        return f"no PostgreSQL at {PG['host']}:{PG['port']} as {PG['user']} ({cause}). {PG_HOWTO}"
    return None


PG_HOWTO = (
    "To run the PostgreSQL tests, point CRM_TEST_PG_HOST, CRM_TEST_PG_PORT, CRM_TEST_PG_USER and "
    "CRM_TEST_PG_PASSWORD at a server where that user may create databases, or run .ci/run, "
    "which starts a throwaway server of its own."
)


def pytest_report_header(config: pytest.Config) -> list[str]:
    """The whole skip reasons once, at the top (the summary lines are cut to the terminal)."""
    lines = []
    if reason := postgres_unreachable():
        lines.append(f"PostgreSQL tests will be skipped: {reason}")
    from tests.e2e.conftest import browser_missing

    if reason := browser_missing():
        lines.append(f"Browser tests will be skipped: {reason}")
    return lines


def require(missing: str | None, variable: str) -> None:
    """Skip the test when a real part is ``missing`` (the reason), or fail it when the
    environment ``variable`` is 1 (CI sets it, so a missing part cannot pass as a skip)."""
    if missing is None:
        return
    if os.environ.get(variable) == "1":
        pytest.fail(f"{variable}=1 but {missing}")
    pytest.skip(missing)


def require_postgres() -> None:
    require(postgres_unreachable(), "CRM_REQUIRE_POSTGRES")


def postgres_url(request: pytest.FixtureRequest) -> str:
    require_postgres()
    info = request.getfixturevalue("postgresql").info
    return (
        f"postgresql+psycopg://{info.user}:{PG['password']}@{info.host}:{info.port}/{info.dbname}"
    )


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def blank_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An engine on an empty database (no schema) of each kind."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'test.sqlite'}"
    else:
        url = postgres_url(request)
    engine = make_engine(url)
    yield engine
    engine.dispose()


@pytest.fixture
def engine(blank_engine: Engine) -> Engine:
    """An engine on a database migrated to head, empty."""
    migrate.upgrade(blank_engine)
    return blank_engine
