"""Fixtures of the DB tests: the hand-written world in a SQLite file, for CLI runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from db import migrate
from db.engine import make_engine
from db.users import add_user
from tests.world import load_world


@pytest.fixture
def world_file(tmp_path: Path) -> Path:
    """tests/world.py in a SQLite file, with a manager ``east`` of R001 (password ``pw``)."""
    path = tmp_path / "world.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    load_world(engine)
    with engine.begin() as conn:
        add_user(conn, "east", "East", "manager", "pw", regions=["R001"])
    engine.dispose()
    return path
