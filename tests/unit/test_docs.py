"""The user's reference lives in the repository (issue 18): no "SPEC §" a user cannot read, a
format page naming every column, an example file per table, one help line per computation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from db.formats import FORMATS, TABLE_NAMES
from tests.conftest import ROOT

USER_VISIBLE = [
    ROOT / "README.md",
    ROOT / "cli.py",
    *sorted((ROOT / "docs").glob("*.md")),
    *sorted((ROOT / "pages").glob("*.py")),
    *sorted((ROOT / "ui").glob("*.py")),
    *sorted((ROOT / "crm_core").glob("*.py")),
    *sorted((ROOT / "db").glob("*.py")),
    *sorted((ROOT / "bench").glob("*.py")),
    ROOT / "dashboard.py",
    ROOT / "Makefile",
]


@pytest.mark.parametrize("path", USER_VISIBLE, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_user_visible_text_cites_the_spec(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert not re.findall(r"SPEC\s*§|§\s*\d", text), f"{path.name} cites a section users lack"


def test_cli_help_names_no_spec_section() -> None:
    import contextlib
    import io

    import cli

    for argv in (["--help"], ["kpi", "--help"], ["import", "--help"], ["user", "--help"]):
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):
            cli.main(argv)
        assert "§" not in out.getvalue()


def test_kpi_help_describes_every_computation_in_one_line() -> None:
    import cli

    epilog = cli.kpi_epilog().splitlines()[1:]
    assert [line.split()[0] for line in epilog] == list(cli.KPIS)
    targets = next(line for line in epilog if line.split()[0] == "targets")
    assert "[--by month,region,rep,product]" in targets


@pytest.mark.parametrize("table", TABLE_NAMES)
def test_the_format_page_names_every_column_of_each_table(table: str) -> None:
    page = (ROOT / "docs" / "formats.md").read_text(encoding="utf-8")
    section = page.split(f"## {table}\n", 1)[1].split("\n## ", 1)[0]
    documented = re.findall(r"^\| `(\w+)` \|", section, flags=re.M)
    assert documented == [column.name for column in FORMATS[table].columns]


def _every_text_file() -> list[Path]:
    """The project's sources, help texts and documents (not the virtual environment)."""
    kinds = ("*.py", "*.md", "*.toml", "Makefile")
    return sorted(
        path
        for kind in kinds
        for path in ROOT.rglob(kind)
        if not {".venv", ".git", "node_modules"} & set(path.relative_to(ROOT).parts)
    )


def test_every_docs_file_cited_anywhere_exists() -> None:
    """Issue 42.4: a "docs/…" in code, help or a document names a file that is there."""
    missing = {
        f"{path.relative_to(ROOT)}: {cited}"
        for path in _every_text_file()
        for cited in re.findall(
            r"\bdocs/[\w./-]*\w\.(?:md|png|csv|xlsx)\b", path.read_text(encoding="utf-8")
        )  # fmt: skip
        if not (ROOT / cited).exists()
    }
    assert not missing, sorted(missing)


def test_every_kpi_page_anchor_cited_in_the_code_exists() -> None:
    headings = (ROOT / "docs" / "kpis.md").read_text(encoding="utf-8").splitlines()
    anchors = {
        re.sub(r"[^a-z0-9 -]", "", h[3:].lower()).replace(" ", "-")
        for h in headings
        if h.startswith("## ")
    }
    cited = set()
    for path in _every_text_file():
        cited |= set(re.findall(r"docs/kpis\.md#([a-z0-9-]+)", path.read_text(encoding="utf-8")))
    assert cited and cited <= anchors


def test_the_app_listens_on_this_machine_only_unless_told_otherwise() -> None:
    """Issue 13.5: the demo users have a public password."""
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["address"] == "127.0.0.1"
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "ADDRESS ?= 127.0.0.1" in makefile and "--server.address $(ADDRESS)" in makefile


# Measurements belong to commit messages and the benchmark's documents, not to the code.
TIMINGS = re.compile(r"\b\d[\d,.]* ?(?:ms|µs)\b|\bat L\b|\b[SML] demo\b|py-spy|medians? of \d")


def test_no_source_comment_carries_a_timing() -> None:
    """Issue 42.4: a comment says why the code is as it is, not how fast it got."""
    folders = ("crm_core", "db", "services", "ui", "pages", "reports")
    sources = [p for f in folders for p in (ROOT / f).rglob("*.py")]
    sources += [ROOT / "cli.py", ROOT / "dashboard.py"]
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sources
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if TIMINGS.search(line)
    ]
    assert not found, found
