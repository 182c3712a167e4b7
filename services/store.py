"""Where the data lives, for the UI: the configured database (its URL and engine), the as-of
day, the project folder and the data version every write bumps (the cache key of reads)."""

from __future__ import annotations

from db.engine import ROOT, database_url, make_engine, today
from db.transactions import current_data_version

__all__ = ["ROOT", "current_data_version", "database_url", "make_engine", "today"]
