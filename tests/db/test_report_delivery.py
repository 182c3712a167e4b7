"""The Monday report by e-mail (issue 15.5), through a real SMTP server started by the test
(aiosmtpd on loopback): each manager receives their own regions only, each director the
company; a dry run writes the same messages as .eml files."""

from __future__ import annotations

import email
import email.policy
import io
import socket
from email.message import EmailMessage
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.conftest import cli


@pytest.fixture
def mailed(world_file: Path) -> Path:
    """The world with three readers: east (R001), west (R002), boss (everything); and one
    user without an address, who receives nothing."""
    assert cli(world_file, "user", "email", "east", "east@example.test").returncode == 0
    for args in (["west", "--role", "manager", "--region", "R002", "--email", "west@example.test"],
                 ["boss", "--role", "director", "--email", "boss@example.test"],
                 ["quiet", "--role", "director"]):  # fmt: skip
        assert cli(world_file, "user", "add", *args, stdin="Cedar-Lamp-Harbor-42\n").returncode == 0
    return world_file


class Inbox:
    def __init__(self) -> None:
        self.received: list[tuple[list[str], EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, ANN201, N802
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.received.append((list(envelope.rcpt_tos), parsed))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def attachments(message: EmailMessage) -> dict[str, bytes]:
    return {part.get_filename(): part.get_content() for part in message.iter_attachments()}


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "".join(page.extract_text() for page in reader.pages).replace("\x00", "")


def test_each_reader_receives_their_scope_over_smtp(mailed: Path) -> None:
    from aiosmtpd.controller import Controller

    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        smtp = {"CRM_SMTP_URL": f"smtp://127.0.0.1:{port}",
                "CRM_SMTP_FROM": "Sales <sales@example.test>"}  # fmt: skip
        done = cli(mailed, "report", "weekly", "--week", "2026-W41", "--send", "--lang", "en",
                   env=smtp)  # fmt: skip
    finally:
        controller.stop()
    assert done.returncode == 0, done.stderr
    by_reader = {rcpt[0]: message for rcpt, message in inbox.received}
    assert sorted(by_reader) == ["boss@example.test", "east@example.test", "west@example.test"]
    assert all(len(rcpt) == 1 for rcpt, _ in inbox.received)
    east = by_reader["east@example.test"]
    assert east["Subject"] == "Monday report · 华东区 · 2026-W41"
    assert "Needs a decision" in east.get_body().get_content()
    files = attachments(east)
    assert sorted(files) == ["monday_report_2026-W41.pdf", "monday_report_2026-W41.xlsx"]
    east_pdf = pdf_text(files["monday_report_2026-W41.pdf"])
    assert "华东区" in east_pdf and "华南区" not in east_pdf and "王强" not in east_pdf
    workbook = load_workbook(io.BytesIO(files["monday_report_2026-W41.xlsx"]))
    cells = " ".join(str(c) for ws in workbook for r in ws.iter_rows(values_only=True) for c in r)
    assert "王强" not in cells and "华南区" not in cells, "a manager never receives another region"
    west_pdf = pdf_text(attachments(by_reader["west@example.test"])["monday_report_2026-W41.pdf"])
    assert "华南区" in west_pdf and "华东区" not in west_pdf
    assert by_reader["boss@example.test"]["Subject"] == "Monday report · 华东区、华南区 · 2026-W41"


def test_a_dry_run_writes_one_eml_per_reader(mailed: Path, tmp_path: Path) -> None:
    outbox = tmp_path / "outbox"
    done = cli(mailed, "report", "weekly", "--week", "2026-W41", "--send", "--outbox",
               str(outbox))  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in outbox.iterdir()) == [
        "2026-W41_boss.eml", "2026-W41_east.eml", "2026-W41_west.eml"
    ]  # fmt: skip
    message = email.message_from_bytes(
        (outbox / "2026-W41_east.eml").read_bytes(), policy=email.policy.default
    )
    assert message["To"] == "East <east@example.test>"
    assert "需要决策的事项" in message.get_body().get_content()


def test_sending_without_a_server_configured_is_a_clear_error(mailed: Path) -> None:
    done = cli(mailed, "report", "weekly", "--send", env={"CRM_SMTP_URL": "", "CRM_SMTP_FROM": ""})
    assert done.returncode == 2
    assert done.stderr.startswith("error: CRM_SMTP_URL is not set")


# ---------------------------------------------------------------- 39.4 and 39.5


class Refusing(Inbox):
    """An SMTP server that refuses the addresses in ``refused`` with 550."""

    def __init__(self, refused: set[str]) -> None:
        super().__init__()
        self.refused = refused

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: ANN001, ANN201, N802
        if address in self.refused:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"


def send_week(db: Path, inbox: Inbox, week: str = "2026-W41"):  # noqa: ANN201
    from aiosmtpd.controller import Controller

    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        smtp = {"CRM_SMTP_URL": f"smtp://127.0.0.1:{port}",
                "CRM_SMTP_FROM": "Sales <sales@example.test>"}  # fmt: skip
        return cli(db, "report", "weekly", "--week", week, "--send", "--lang", "en", env=smtp)
    finally:
        controller.stop()


def received(inbox: Inbox) -> list[str]:
    return sorted(rcpt for rcpts, _ in inbox.received for rcpt in rcpts)


def test_one_refused_recipient_fails_alone_and_a_rerun_sends_only_that_one(mailed: Path) -> None:
    """Issue 39.4: a 550 for one address stopped every other message of the run, and a rerun
    after a late failure sent duplicates."""
    first = Refusing({"east@example.test"})
    done = send_week(mailed, first)
    assert done.returncode == 1
    assert received(first) == ["boss@example.test", "west@example.test"]
    assert "east: 'east@example.test' · 华东区 · NOT sent: refused by the server" in done.stderr
    assert "2 message(s) sent, 1 failed" in done.stdout
    again = Refusing(set())
    done = send_week(mailed, again)
    assert done.returncode == 0, done.stderr
    assert received(again) == ["east@example.test"], "only what failed is sent again"
    assert "boss: sent already on" in done.stdout
    third = Refusing(set())
    done = send_week(mailed, third)
    assert done.returncode == 0 and received(third) == []
    assert "0 message(s) sent, 0 failed, 3 sent before" in done.stdout
    other_week = Refusing(set())
    assert send_week(mailed, other_week, "2026-W42").returncode == 0
    assert len(received(other_week)) == 3, "another week is another report"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["user", "add", "bob", "--role", "director", "--name", "Bob\r\nBcc: spy@evil.test"],
         "--name: expected one line of visible characters, found U+000D, U+000A"),
        (["user", "add", "bob", "--role", "director", "--name", "Bob\x1b[31m"],
         "--name: expected one line of visible characters, found U+001B"),
        (["user", "add", "bob", "--role", "director", "--email", "a@evil.test>,<victim@x.test"],
         "--email: expected one address like name@example.com"),
        (["user", "email", "east", "a@evil.test>,<victim@x.test"],
         "--email: expected one address like name@example.com"),
        (["user", "email", "east", "East <east@example.test>"],
         "--email: expected one address like name@example.com"),
        (["user", "email", "east", "east@example.test\nBcc: spy@evil.test"],
         "--email: expected one address like name@example.com"),
    ],
)  # fmt: skip
def test_a_name_or_address_that_could_split_a_header_is_refused(
    mailed: Path, args: list[str], message: str
) -> None:
    done = cli(mailed, *args, stdin="a-good-password\n")
    assert done.returncode == 2
    assert message in done.stderr


def test_a_bad_name_or_address_stored_before_the_checks_fails_alone(mailed: Path) -> None:
    """Names and addresses stored before they were checked: the name is put on one line, the
    address that is not one address is reported, and everyone else receives their report."""
    from sqlalchemy import update

    from db.engine import make_engine
    from db.schema import User

    engine = make_engine(f"sqlite:///{mailed}")
    with engine.begin() as conn:
        conn.execute(update(User).where(User.username == "east")
                     .values(display_name="Bob\r\nBcc: spy@evil.test"))  # fmt: skip
        conn.execute(update(User).where(User.username == "west")
                     .values(email="a@evil.test>,<victim@x.test"))  # fmt: skip
    engine.dispose()
    inbox = Inbox()
    done = send_week(mailed, inbox)
    assert done.returncode == 1
    assert received(inbox) == ["boss@example.test", "east@example.test"]
    east = next(m for rcpt, m in inbox.received if rcpt == ["east@example.test"])
    assert east["To"] == '"Bob Bcc: spy@evil.test" <east@example.test>'
    assert east["Bcc"] is None
    refused = "west: 'a@evil.test>,<victim@x.test' · 华南区 · NOT sent: e-mail: expected one"
    assert refused in done.stderr


@pytest.mark.parametrize(
    "username", ["../../../pwn", "a/b", "..", "ｍａｎａｇｅｒ2", "Boss", "b\u200bob", "t\tab",
                 "x" * 65, "", ".hidden"],
)  # fmt: skip
def test_a_username_that_is_no_safe_name_is_refused(mailed: Path, username: str) -> None:
    """Issue 39.5: such usernames were accepted, and --outbox then wrote outside its folder."""
    done = cli(
        mailed, "user", "add", username, "--role", "director", stdin="Cedar-Lamp-Harbor-42\n"
    )
    if username in ("ｍａｎａｇｅｒ2",):  # NFKC: the same as typing manager2, which is fine
        assert done.returncode == 0 and "user manager2 (director) added" in done.stdout
        return
    assert done.returncode == 2, done.stdout
    assert done.stderr.startswith("error: username: ")


def test_a_username_differing_only_in_case_or_width_is_the_same_user(mailed: Path) -> None:
    assert (
        cli(
            mailed, "user", "add", "Wang", "--role", "director", stdin="Maple-Ridge-Quartz-7\n"
        ).returncode
        == 0
    )
    for same in ("wang", "WANG", "ｗａｎｇ"):
        done = cli(
            mailed, "user", "add", same, "--role", "director", stdin="Silver-Fern-Otter-19\n"
        )
        assert done.returncode == 2
        assert "error: username: 'wang' exists already (as 'wang')" in done.stderr
    assert cli(mailed, "user", "email", "ＷＡＮＧ", "wang@example.test").returncode == 0
    listed = [line.split("\t") for line in cli(mailed, "user", "list").stdout.splitlines()]
    assert ["wang", "wang@example.test"] == next(
        [row[0], row[5]] for row in listed if row[0] == "wang"
    )


def test_the_outbox_keeps_every_file_inside_it_and_one_per_week(
    mailed: Path, tmp_path: Path
) -> None:
    """A username stored before the checks (``../../../pwn``, ``a/b``) still lands inside the
    outbox, and a second week no longer overwrites the first."""
    from sqlalchemy import update

    from db.engine import make_engine
    from db.schema import User

    engine = make_engine(f"sqlite:///{mailed}")
    with engine.begin() as conn:
        conn.execute(update(User).where(User.username == "boss").values(username="../../../pwn"))
        conn.execute(update(User).where(User.username == "quiet")
                     .values(username="a/b", email="q@example.test"))  # fmt: skip
    engine.dispose()
    outbox = tmp_path / "deep" / "er" / "outbox"
    for week in ("2026-W41", "2026-W42"):
        done = cli(mailed, "report", "weekly", "--week", week, "--send", "--outbox", str(outbox))
        assert done.returncode == 0, done.stderr
    names = sorted(p.name for p in outbox.iterdir())
    assert len(names) == 8
    assert {n[:9] for n in names} == {"2026-W41_", "2026-W42_"}
    assert "2026-W41_east.eml" in names
    assert all("/" not in n and not n.startswith(".") for n in names)
    assert all(p.parent == outbox for p in tmp_path.rglob("*.eml"))


def test_what_was_sent_is_recorded_per_week_on_both_databases(engine) -> None:  # noqa: ANN001
    """The record behind a rerun (report_deliveries), on SQLite and PostgreSQL: a refused
    message is not recorded, a sent one is, once per week and user."""
    from datetime import datetime
    from functools import partial

    from aiosmtpd.controller import Controller

    from crm_core.periods import iso_week_period
    from db import users
    from reports import delivery
    from services import weekly
    from tests.world import load_world

    load_world(engine)
    with engine.begin() as conn:
        users.add_user(conn, "east", "East", "manager", "pw", regions=["R001"],
                       email="east@example.test")  # fmt: skip
        users.add_user(conn, "boss", "Boss", "director", "pw", email="boss@example.test")
    week = iso_week_period("2026-W41")
    sender = "Sales <sales@example.test>"
    report_of = partial(weekly.sent_report, week=week)
    inbox, port = Refusing({"east@example.test"}), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        url = f"smtp://127.0.0.1:{port}"
        with engine.connect() as conn:
            items = delivery.deliveries(conn, report_of, "en", sender)
        outcomes = list(delivery.send(engine, items, url, week, datetime(2026, 10, 12, 7, 30)))
        assert [(o.delivery.username, o.sent) for o in outcomes] == [
            ("boss", True), ("east", False)
        ]  # fmt: skip
        with engine.connect() as conn:
            assert delivery.sent_before(conn, week) == {"boss": datetime(2026, 10, 12, 7, 30)}
            assert delivery.sent_before(conn, iso_week_period("2026-W42")) == {}
        inbox.refused.clear()
        with engine.connect() as conn:
            again = delivery.deliveries(conn, report_of, "en", sender,
                                        frozenset(delivery.sent_before(conn, week)))  # fmt: skip
        assert [item.username for item in again] == ["east"]
        assert all(o.sent for o in delivery.send(engine, again, url, week, datetime.now()))
    finally:
        controller.stop()
    assert received(inbox) == ["boss@example.test", "east@example.test"]
    with engine.connect() as conn:
        assert sorted(delivery.sent_before(conn, week)) == ["boss", "east"]
