"""Where the data lives, for the UI: the configured database (its URL and engine), the as-of
day, the project folder and the data versions every write bumps (per table: the cache keys of
the reads)."""

from __future__ import annotations

from sqlalchemy import Engine

from db.engine import ROOT, database_url, make_engine, today
from db.migrate import schema_behind
from db.transactions import (
    current_data_version,
    on_write,
    versions_for,
    versions_of,
    writes_here,
)

__all__ = [
    "ROOT", "current_data_version", "database_url", "make_engine", "on_write", "schema_problem",
    "today", "versions_for", "versions_of", "writes_here",
]  # fmt: skip
_CURRENT: set[str] = set()  # databases found at the latest revision by this process


def schema_problem(engine: Engine) -> str | None:
    """What to run before the app can use ``engine``'s database (``None``: nothing); a database
    found current is not asked again by this process."""
    url = engine.url.render_as_string()
    if url in _CURRENT:
        return None
    problem = schema_behind(engine)
    if problem is None:
        _CURRENT.add(url)
    return problem
