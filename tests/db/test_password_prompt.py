"""``user add`` and ``user passwd`` at a terminal ask for the password twice without echoing it
(the operator's guide adds the first director so); piped, they read one line (scripts)."""

from __future__ import annotations

import os
import pty
import sys
from pathlib import Path

from db import migrate
from db.engine import make_engine
from tests.conftest import ROOT, cli

STRONG = "Jade-Harbor-Lantern-42"


def typed(db: Path, args: list[str], lines: list[str]) -> str:
    """What the CLI shows at a terminal while ``lines`` are typed, each at its prompt (getpass
    drops what is typed before its prompt)."""
    env = {k: v for k, v in os.environ.items() if k != "CRM_AS_OF"}
    env["CRM_DATABASE_URL"] = f"sqlite:///{db}"
    pid, terminal = pty.fork()
    if pid == 0:
        os.chdir(ROOT)
        os.execve(sys.executable, [sys.executable, "cli.py", *args], env)
    shown = b""
    for prompt, line in zip(PROMPTS, lines, strict=False):
        while prompt not in shown:
            shown += os.read(terminal, 1000)
        os.write(terminal, line.encode() + b"\n")
    while True:
        try:
            chunk = os.read(terminal, 1000)
        except OSError:  # the CLI has exited
            break
        if not chunk:
            break
        shown += chunk
    os.waitpid(pid, 0)
    return shown.decode()


PROMPTS = (b"password: ", b"again: ")


def test_a_password_is_typed_twice_unseen_at_a_terminal(tmp_path: Path) -> None:
    db = tmp_path / "users.sqlite"
    migrate.upgrade(make_engine(f"sqlite:///{db}"))
    shown = typed(db, ["user", "add", "zhang", "--role", "director"], [STRONG, STRONG])
    assert "password:" in shown and "again:" in shown and STRONG not in shown
    assert "user zhang (director) added" in shown
    shown = typed(db, ["user", "passwd", "zhang"], [STRONG + "x", STRONG + "y"])
    assert "the two passwords differ; nothing changed" in shown
    assert "zhang\tdirector" in cli(db, "user", "list").stdout
    piped = cli(db, "user", "add", "li", "--role", "director", stdin=STRONG + "\n")
    assert piped.returncode == 0 and "user li (director) added" in piped.stdout
