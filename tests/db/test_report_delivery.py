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
        assert cli(world_file, "user", "add", *args, stdin="pw\n").returncode == 0
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
    assert sorted(p.name for p in outbox.iterdir()) == ["boss.eml", "east.eml", "west.eml"]
    message = email.message_from_bytes(
        (outbox / "east.eml").read_bytes(), policy=email.policy.default
    )
    assert message["To"] == "East <east@example.test>"
    assert "需要决策的事项" in message.get_body().get_content()


def test_sending_without_a_server_configured_is_a_clear_error(mailed: Path) -> None:
    done = cli(mailed, "report", "weekly", "--send", env={"CRM_SMTP_URL": "", "CRM_SMTP_FROM": ""})
    assert done.returncode == 2
    assert done.stderr.startswith("error: CRM_SMTP_URL is not set")
