"""Every ``CRM_*`` setting is read in one module (crm_core.settings) and documented in the
README's configuration table."""

from __future__ import annotations

import re
from datetime import date

import pytest

from crm_core import settings
from tests.unit.test_dependency_rule import ROOT, source_files

SOURCES = ["cli.py", "dashboard.py", "crm_core", "db", "services", "ui", "pages"]
READ = re.compile(r"(environ(\.get)?\s*[\[(]|getenv\()\s*['\"](CRM_\w+)")


def test_no_module_but_settings_reads_a_crm_variable() -> None:
    readers = {
        str(f.relative_to(ROOT)): READ.findall(f.read_text(encoding="utf-8"))
        for f in source_files(SOURCES)
        if f.name != "settings.py"
    }
    assert {f: found for f, found in readers.items() if found} == {}


def test_every_variable_read_anywhere_is_a_setting_and_in_the_readme() -> None:
    named = set()
    for f in source_files(SOURCES):
        named |= set(re.findall(r'settings\.value\("(CRM_\w+)"\)', f.read_text(encoding="utf-8")))
    assert named <= set(settings.VARIABLES)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert [v for v in settings.VARIABLES if f"| `{v}` |" not in readme] == []


def test_an_unknown_name_is_refused_and_an_empty_one_is_unset(monkeypatch) -> None:
    with pytest.raises(KeyError, match="CRM_NOPE is not a setting"):
        settings.value("CRM_NOPE")
    monkeypatch.setenv("CRM_SMTP_FROM", "")
    assert settings.value("CRM_SMTP_FROM") is None


def test_as_of_is_a_date_or_a_clear_error(monkeypatch) -> None:
    monkeypatch.setenv("CRM_AS_OF", "2026-11-18")
    assert settings.as_of() == date(2026, 11, 18)
    monkeypatch.setenv("CRM_AS_OF", "18.11.2026")
    with pytest.raises(ValueError, match="CRM_AS_OF: expected a date YYYY-MM-DD"):
        settings.as_of()
    monkeypatch.delenv("CRM_AS_OF")
    assert settings.as_of() is None
