"""ui.warm: the server's long-lived objects are frozen once, before the first page, so that
Python's collections walk only what the pages made since; what they make is still collected.
The server runs no full collection after every script run and watches no source files
(.streamlit/config.toml)."""

from __future__ import annotations

import gc
import re
import subprocess
import sys
import threading
import tomllib
import weakref

from tests.conftest import ROOT
from ui import warm


class Node:
    """An object in a reference cycle: only the cycle collector can free it."""

    def __init__(self) -> None:
        self.me = self


def test_the_imports_are_frozen_once_and_later_cycles_are_still_collected() -> None:
    frozen = warm.freeze_long_lived()
    assert frozen > 0 and warm.freeze_long_lived() == frozen  # once per process
    assert {"ui.charts", "ui.customers_sections", "services.reads", "db.queries"} <= set(
        sys.modules
    )
    cycle = Node()
    gone = weakref.ref(cycle)
    del cycle
    gc.collect()
    assert gone() is None


def test_sessions_starting_at_once_freeze_once(monkeypatch) -> None:
    """A hundred people signing in at 8:30 start their first pages at once: one of them
    collects and freezes, the others wait for it (each ran a full collection of its own)."""
    collections: list[int] = []
    monkeypatch.setattr(warm, "_FROZEN", [])
    monkeypatch.setattr(warm.gc, "collect", lambda: collections.append(1) or 0)
    monkeypatch.setattr(warm.gc, "freeze", lambda: None)
    got: list[int] = []
    threads = [threading.Thread(target=lambda: got.append(warm.freeze_long_lived()))
               for _ in range(8)]  # fmt: skip
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert collections == [1] and len(got) == 8 and len(set(got)) == 1


def test_the_server_runs_no_full_collection_after_each_script_run() -> None:
    """Streamlit's ``runner.postScriptGC`` held the interpreter for every session while it ran
    (a share of the server's CPU: docs/performance.md); the app's config turns it off."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["runner"]["postScriptGC"] is False


def test_the_server_watches_no_source_files() -> None:
    """Streamlit's file watcher stat'ed every imported module's file for each new session and
    polled in threads of its own, holding the interpreter from the sessions of everyone signing
    in at once; the app's config, which every way of starting it reads (make run, the systemd
    units, deploy/local.sh, the bench all run from the checkout), turns it off."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["fileWatcherType"] == "none"
    shown = subprocess.run(
        [sys.executable, "-m", "streamlit", "config", "show"],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=True,
    ).stdout  # fmt: skip
    assert re.search(r'^fileWatcherType = "none"$', shown, re.MULTILINE)
