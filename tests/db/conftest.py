"""Fixtures of the DB tests: the hand-written world in a SQLite file, for CLI runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from db import migrate
from db.engine import make_engine
from db.users import add_user
from tests.world import PIPELINE, WORLD, load_world


@pytest.fixture
def world_file(tmp_path: Path) -> Path:
    """tests/world.py in a SQLite file, with a manager ``east`` of R001 (password ``pw``)."""
    return _world_file(tmp_path / "world.sqlite", WORLD)


@pytest.fixture
def pipeline_file(tmp_path: Path) -> Path:
    """The pipeline world of tests/world.py in a SQLite file, with the manager ``east``."""
    return _world_file(tmp_path / "pipeline.sqlite", PIPELINE)


def _world_file(path: Path, tables: dict[str, str]) -> Path:
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    load_world(engine, tables)
    with engine.begin() as conn:
        add_user(conn, "east", "East", "manager", "pw", regions=["R001"])
    engine.dispose()
    return path
