"""Engine construction: ``CRM_DATABASE_URL`` or a git-ignored SQLite file under ``data/``."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event

from crm_core import settings

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE = ROOT / "data" / "crm.sqlite"


def today() -> date:
    """The as-of day of the app and the CLI: ``CRM_AS_OF`` (YYYY-MM-DD) when set, else the
    machine's date."""
    return settings.as_of() or date.today()


def database_url() -> str:
    """The configured URL: ``CRM_DATABASE_URL``, else the embedded SQLite file."""
    return settings.value("CRM_DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE}"


def make_engine(url: str | None = None) -> Engine:
    """An engine for ``url`` (default :func:`database_url`); SQLite gets foreign keys and WAL."""
    url = url or database_url()
    if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    sqlite = url.startswith("sqlite")
    # SQLite: a writer waits up to 30 s for another one to finish (BEGIN IMMEDIATE in
    # db.transactions.write_transaction) instead of failing at once with "database is locked".
    engine = create_engine(url, connect_args={"timeout": 30} if sqlite else {})
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def refresh_statistics(engine: Engine) -> None:
    """Have PostgreSQL gather the tables' statistics now, after a bulk load (demo data, a
    restore): its planner estimates every join and filter from them, and without them it
    chose plans that cost the server several times the CPU; its autovacuum would gather them
    only later, and not at all where it is off. SQLite plans from its indexes alone."""
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # reads of the large demo sizes: a 128 MB page cache, memory-mapped I/O, and temporary
    # GROUP BY B-trees in memory (see bench/results for the figures)
    cursor.execute("PRAGMA cache_size=-131072")
    cursor.execute("PRAGMA mmap_size=1073741824")
    cursor.execute("PRAGMA temp_store=MEMORY")
    cursor.close()
