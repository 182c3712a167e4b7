"""CLI parity (issue 16.2): the page registry names, for every section of every page, the
``cli.py`` command that gives its figures headless; each section a page shows for any role is
in the registry, and each named ``kpi`` runs on the demo data and prints rows."""

from __future__ import annotations

import json
import shlex

import pytest

import cli
from crm_core.catalog import CATALOG
from crm_core.scope import Role
from tests.app.conftest import page
from ui.navigation import HEADLESS, PAGES

pytestmark = pytest.mark.usefixtures("demo_db")
USERS = {Role.DIRECTOR: "director", Role.MANAGER: "manager", Role.REP: "rep"}
TITLE_KEYS = {english: key for key, (english, _) in CATALOG.items()}


def commands(page_id: str) -> list[list[str]]:
    return [shlex.split(one) for line in HEADLESS[page_id].values() for one in line.split(";")]


def test_every_page_and_only_pages_are_in_the_registry() -> None:
    assert set(HEADLESS) == {p.page_id for p in PAGES}
    assert all(key in CATALOG for sections in HEADLESS.values() for key in sections)


@pytest.mark.parametrize("spec", PAGES, ids=lambda p: p.page_id)
def test_each_section_shown_names_its_command(spec) -> None:
    for role in spec.roles:
        app = page(spec.page_id, USERS[role])
        assert not app.exception, spec.page_id
        shown = {TITLE_KEYS.get(h.value, h.value) for h in app.subheader}
        missing = shown - set(HEADLESS[spec.page_id])
        assert missing == set(), f"{spec.page_id} ({role.value}): no command for {missing}"


@pytest.mark.parametrize("page_id", sorted(HEADLESS))
def test_each_named_command_parses_and_each_kpi_prints_rows(page_id: str, capsys) -> None:
    for argv in commands(page_id):
        parsed = cli._parser().parse_args(argv)
        assert callable(parsed.run), argv
        if argv[0] != "kpi":
            continue
        assert cli.main([*argv, "--as", "director"]) == 0, argv
        rows = json.loads(capsys.readouterr().out)
        assert isinstance(rows, list), argv
        # lists of events (complaints, competitor news, rotting deals) may be empty in a week
        # and the actions of a week only once a meeting has recorded some
        assert rows or set(argv) & {"complaints", "competitors", "stale", "actions"}, argv
