"""The release: its version, written once (``pyproject.toml``), and its licence."""

from __future__ import annotations

import tomllib
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def _project() -> dict[str, str]:
    with PYPROJECT.open("rb") as file:
        project: dict[str, str] = tomllib.load(file)["project"]
    return project


_PROJECT = _project()
VERSION: str = _PROJECT["version"]
LICENSE: str = _PROJECT["license"]
