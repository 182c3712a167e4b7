"""The dependency rule of STYLE.md, enforced by scanning imports."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = {
    "crm_core": {"streamlit", "sqlalchemy", "db", "ui", "pages", "alembic", "psycopg"},
    "db": {"streamlit", "ui", "pages"},
    "services": {"streamlit", "ui", "pages"},
    "pages": {"sqlalchemy", "db", "psycopg", "services"},
}


def imported_roots(path: Path) -> set[str]:
    roots: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_does_not_import_what_the_rule_forbids(package: str) -> None:
    files = sorted((ROOT / package).rglob("*.py"))
    assert files or package == "pages", f"{package} has no modules"
    offenders = {
        str(f.relative_to(ROOT)): sorted(imported_roots(f) & FORBIDDEN[package]) for f in files
    }
    assert {f: bad for f, bad in offenders.items() if bad} == {}
