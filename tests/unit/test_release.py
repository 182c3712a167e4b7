"""Issue 41.1: a licence, one version shown by the app and the CLI, a CHANGELOG entry for it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def written_version() -> str:
    """The version as pyproject.toml writes it, read without the code under test."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    return re.search(r'^version = "([^"]+)"$', text, re.MULTILINE).group(1)


def test_the_licence_is_apache_2_and_pyproject_names_it():
    licence = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "Apache License" in licence and "Version 2.0, January 2004" in licence
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'license = "Apache-2.0"' in pyproject
    assert 'license-files = ["LICENSE"]' in pyproject


def test_cli_version_prints_the_written_version():
    done = subprocess.run(
        [sys.executable, str(ROOT / "cli.py"), "--version"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"cli.py {written_version()}"


def test_the_changelog_opens_with_the_written_version():
    """Its first release entry is the written version; changes since then may stand above it
    under "Unreleased", as the next release's entry in the making."""
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    entries = re.findall(r"^## (\S+)", changelog, re.MULTILINE)
    released = [entry for entry in entries if entry != "Unreleased"]
    assert released[0] == written_version()
    assert entries.index(released[0]) <= 1 and entries.count("Unreleased") <= 1
