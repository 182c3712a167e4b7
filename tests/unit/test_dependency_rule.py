"""The dependency rule of STYLE.md as an allow-list, enforced by scanning imports: pages → ui →
services → reports (the Monday report's files and mail) → crm_core / db.
Each layer names the first-party modules it may import; third-party packages that belong to
one layer (Streamlit, the database) are kept out of the others."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIRST_PARTY = {"crm_core", "db", "services", "reports", "ui", "pages", "cli", "dashboard"}
# which first-party packages (or single modules) each layer may import
ALLOWED: dict[str, set[str]] = {
    "crm_core": {"crm_core"},
    "db": {"crm_core", "db"},
    "services": {"crm_core", "db", "reports", "services"},
    "reports": {"crm_core", "db", "reports"},
    "ui": {"crm_core", "services", "reports", "ui"},
    "pages": {"crm_core", "ui"},
}
# third-party packages a layer must not import
FORBIDDEN: dict[str, set[str]] = {
    "crm_core": {"streamlit", "sqlalchemy", "alembic", "psycopg"},
    "db": {"streamlit"},
    "services": {"streamlit"},
    "reports": {"streamlit"},
    "pages": {"sqlalchemy", "psycopg", "alembic"},
}


def source_files(sources: list[str]) -> list[Path]:
    """The Python files of ``sources``: top-level modules (``cli.py``) and packages."""
    files: list[Path] = []
    for source in sources:
        path = ROOT / source
        files += [path] if source.endswith(".py") else sorted(path.rglob("*.py"))
    return files


def imported(path: Path) -> set[str]:
    """The dotted names ``path`` imports (``from a.b import c`` gives ``a.b`` and ``a.b.c``)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names |= {node.module, *(f"{node.module}.{alias.name}" for alias in node.names)}
    return names


def allowed(name: str, layer: str) -> bool:
    root = name.split(".")[0]
    if root not in FIRST_PARTY:
        return root not in FORBIDDEN.get(layer, set())
    return any(name == a or name.startswith(f"{a}.") or a.startswith(f"{name}.")
               for a in ALLOWED[layer])  # fmt: skip


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_each_layer_imports_only_what_the_rule_allows(layer: str) -> None:
    files = sorted((ROOT / layer).rglob("*.py"))
    assert files, f"{layer} has no modules"
    offenders = {
        str(f.relative_to(ROOT)): sorted(n for n in imported(f) if not allowed(n, layer))
        for f in files
    }
    assert {f: bad for f, bad in offenders.items() if bad} == {}


def test_the_string_catalog_lives_below_reports_and_ui() -> None:
    """Issue 42.6: reports and the UI share one catalogue, in crm_core (no Streamlit, nothing
    of the layers above)."""
    assert not (ROOT / "ui" / "catalog.py").exists()
    assert {n.split(".")[0] for n in imported(ROOT / "crm_core" / "catalog.py")} <= {
        "__future__",
        "tomllib",
        "pathlib",
    }


def test_every_declared_read_has_its_loader_and_every_kpi_its_sections() -> None:
    """Issue 42.1: a read declared once in services.reads is a cached loader of ui.data under
    the same name; the CLI-parity map is made of the kpis' own declarations."""
    from services import kpi_tables, reads
    from ui import data, navigation

    assert set(data.LOADERS) == set(reads.READS)
    assert data.overview is data.LOADERS["overview"]
    declared = {
        (page, section)
        for entry in kpi_tables.KPIS.values()
        for page, sections in entry.shows.items()
        for section in sections
    }
    assert declared <= {(p, s) for p, sections in navigation.HEADLESS.items() for s in sections}
    assert {page for page, _ in declared} <= {p.page_id for p in navigation.PAGES}
