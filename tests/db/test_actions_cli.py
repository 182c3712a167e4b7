"""``meeting action add|list|done`` and the Monday report's opening section of last week's
actions in the Markdown file and the mail (issue 37.2), through the CLI as a user runs it."""

from __future__ import annotations

import csv
import io
import json
from email import message_from_bytes
from email.policy import default
from pathlib import Path

from openpyxl import load_workbook
from pypdf import PdfReader

from db.engine import make_engine
from db.users import add_user
from tests.conftest import cli

AS_OF = {"CRM_AS_OF": "2026-10-21"}  # a Wednesday of week 2026-W43


def _users(world_file: Path) -> Path:
    engine = make_engine(f"sqlite:///{world_file}")
    with engine.begin() as conn:
        add_user(conn, "boss", "Boss", "director", "pw", email="boss@example.test")
        add_user(conn, "south", "South", "manager", "pw", regions=["R002"])
        add_user(conn, "zhang", "张伟", "rep", "pw", rep_id="E01")
    engine.dispose()
    return world_file


def add(db: Path, *args: str, who: str = "east") -> str:
    done = cli(db, "meeting", "action", "add", *args, "--as", who, env=AS_OF)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


def test_add_list_and_close_actions(world_file: Path) -> None:
    db = _users(world_file)
    first = add(db, "--week", "2026-W41", "--about", "E01", "--owner", "zhang",
                "--due", "2026-10-16", "--text", "Visit K1 with the manager")  # fmt: skip
    second = add(db, "--week", "2026-W42", "--about", "R001", "--owner", "east",
                 "--due", "2026-10-30", "--text", "Daily reports by 20:00")  # fmt: skip
    assert (first, second) == ("1", "2")  # the last line is the new ID alone
    listed = cli(db, "meeting", "action", "list", "--as", "east", env=AS_OF)
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    assert [(r["id"], r["week"], r["about"], r["owner"], r["due"], r["text"], r["status"])
            for r in rows] == [
        (1, "2026-W41", "E01", "zhang", "2026-10-16", "Visit K1 with the manager", "overdue"),
        (2, "2026-W42", "R001", "east", "2026-10-30", "Daily reports by 20:00", "open"),
    ]  # fmt: skip
    done = cli(db, "meeting", "action", "done", "1", "--as", "zhang", env=AS_OF)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "action 1 done on 2026-10-21"
    week = cli(db, "meeting", "action", "list", "--week", "2026-W41", "--format", "csv",
               "--as", "boss", env=AS_OF)  # fmt: skip
    table = list(csv.DictReader(io.StringIO(week.stdout)))
    assert [(r["id"], r["status"]) for r in table] == [("1", "done")]
    assert {"id", "week", "about", "owner", "due", "text", "status"} <= set(table[0])


def test_another_regions_manager_neither_files_nor_sees(world_file: Path) -> None:
    db = _users(world_file)
    add(db, "--week", "2026-W41", "--about", "E01", "--owner", "east", "--due", "2026-10-16",
        "--text", "x")  # fmt: skip
    refused = cli(db, "meeting", "action", "add", "--week", "2026-W41", "--about", "E01",
                  "--owner", "south", "--due", "2026-10-16", "--text", "x", "--as", "south",
                  env=AS_OF)  # fmt: skip
    assert refused.returncode == 2
    assert refused.stderr.strip() == "error: about: no rep or region 'E01' you can see"
    listed = cli(db, "meeting", "action", "list", "--as", "south", env=AS_OF)
    assert json.loads(listed.stdout) == []
    closing = cli(db, "meeting", "action", "done", "1", "--as", "south", env=AS_OF)
    assert (closing.returncode, closing.stderr.strip()) == (2, "error: no action 1 you can see")


def test_the_next_weeks_report_opens_with_last_weeks_actions(world_file: Path,
                                                             tmp_path: Path) -> None:  # fmt: skip
    db = _users(world_file)
    add(db, "--week", "2026-W41", "--about", "E02", "--owner", "east", "--due", "2026-10-14",
        "--text", "Coach 李娜 on | pipes")  # fmt: skip
    add(db, "--week", "2026-W41", "--about", "R001", "--owner", "boss", "--due", "2026-10-30",
        "--text", "Review the targets")  # fmt: skip
    out = tmp_path / "w42.md"
    done = cli(db, "report", "weekly", "--week", "2026-W42", "--format", "md", "-o", str(out),
               "--lang", "en", "--as", "east", env=AS_OF)  # fmt: skip
    assert done.returncode == 0, done.stderr
    text = out.read_text(encoding="utf-8")
    section = text.split("## Last week's actions\n\n")[1].split("\n\n## ")[0].splitlines()
    assert section[0] == "| Status | Action | About | Owner | Due | Decided in |"
    # the typed "|" escaped once, so the cell holds it
    assert section[2:] == [
        "| overdue | Coach 李娜 on \\| pipes | 李娜 | east | 2026-10-14 | 2026-W41 |",
        "| not done | Review the targets | 华东区 | boss | 2026-10-30 | 2026-W41 |",
    ]
    assert text.index("## Last week's actions") < text.index("## Needs a decision")
    zh = tmp_path / "w42_zh.md"
    cli(db, "report", "weekly", "--week", "2026-W42", "--format", "md", "-o", str(zh),
        "--as", "east", env=AS_OF)  # fmt: skip
    assert "## 上周行动项" in zh.read_text(encoding="utf-8")
    assert "已逾期" in zh.read_text(encoding="utf-8")
    xlsx = tmp_path / "w42.xlsx"
    done = cli(db, "report", "weekly", "--week", "2026-W42", "--format", "xlsx", "-o", str(xlsx),
               "--lang", "en", "--as", "east", env=AS_OF)  # fmt: skip
    assert done.returncode == 0, done.stderr
    book = load_workbook(xlsx)
    assert book.active.title == "Last week's actions"  # it opens on them
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[1][:4] == ("overdue", "Coach 李娜 on | pipes", "李娜", "east")
    pdf = tmp_path / "w42.pdf"
    done = cli(db, "report", "weekly", "--week", "2026-W42", "--format", "pdf", "-o", str(pdf),
               "--lang", "en", "--as", "east", env=AS_OF)  # fmt: skip
    assert done.returncode == 0, done.stderr
    # the embedded CJK font comes out with NULs and spaces between letters: compared without
    first_page = "".join(PdfReader(pdf).pages[0].extract_text().replace("\x00", "").split())
    assert first_page.index("Lastweek'sactions") < first_page.index("Needsadecision")
    assert "Reviewthetargets" in first_page
    outbox = tmp_path / "outbox"
    mailed = cli(db, "report", "weekly", "--week", "2026-W42", "--send", "--outbox",
                 str(outbox), "--lang", "en", env=AS_OF)  # fmt: skip
    assert mailed.returncode == 0, mailed.stderr
    boss = message_from_bytes((outbox / "2026-W42_boss.eml").read_bytes(), policy=default)
    body = boss.get_body(("plain",)).get_content()
    assert (
        "Last week's actions:\n- [overdue] Coach 李娜 on | pipes (李娜; east, 2026-10-14)" in body
    )
