"""Where the data lives, for the UI: the configured database (its URL and engine), the as-of
day, the project folder and the data versions every write bumps (per table: the cache keys of
the reads)."""

from __future__ import annotations

from db.engine import ROOT, database_url, make_engine, today
from db.transactions import current_data_version, versions_for, versions_of

__all__ = [
    "ROOT", "current_data_version", "database_url", "make_engine", "today", "versions_for",
    "versions_of",
]  # fmt: skip
