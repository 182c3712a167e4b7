"""The Monday report by e-mail (issue 15): one message per manager (their regions' report)
and per director (the company's), each with the Excel and PDF files attached and the week at a
glance in the body. Sent through the SMTP server of ``CRM_SMTP_URL``
(``smtp://[user:password@]host[:port]``, ``smtp+starttls://…`` or ``smtps://…``) from
``CRM_SMTP_FROM``; or written as ``.eml`` files for a dry run. Only enabled users with an
e-mail address receive it, and each one only what their scope allows."""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from pathlib import Path
from urllib.parse import unquote, urlparse

from sqlalchemy import Connection

from crm_core import settings
from crm_core.periods import Period
from crm_core.scope import Role, Scope
from db import users, weekly
from db.users import Account
from reports import files as report_files
from reports.charts import report_charts
from ui.catalog import text

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class DeliveryError(ValueError):
    pass


@dataclass(frozen=True)
class Delivery:
    username: str
    scope_label: str
    message: EmailMessage


def recipients(conn: Connection) -> list[Account]:
    """Enabled directors and managers with an e-mail address, by username."""
    return [
        account
        for account in users.user_list(conn)
        if account.email and not account.disabled and account.role is not Role.REP
    ]


def deliveries(conn: Connection, week: Period, lang: str, sender: str) -> list[Delivery]:
    """One message per recipient; reports of the same scope are built once."""
    built: dict[Scope, tuple[str, object, bytes, bytes]] = {}
    out = []
    for account in recipients(conn):
        scope = account.scope
        if scope not in built:
            label = weekly.scope_label(conn, scope)
            report = weekly.monday_report(conn, scope, week, label)
            charts = report_charts(report, lang)  # rendered once for both files
            built[scope] = (
                label,
                report,
                report_files.xlsx(report, lang, charts),
                report_files.pdf(report, lang, charts),
            )
        label, report, xlsx, pdf = built[scope]
        out.append(Delivery(account.username, label, _message(account, report, lang, sender,
                                                               xlsx, pdf)))  # fmt: skip
    return out


def _message(
    account: Account, report: object, lang: str, sender: str, xlsx: bytes, pdf: bytes
) -> EmailMessage:
    message = EmailMessage()
    title = f"{text('monday_report', lang)} · {report.scope_label} · {report.week_label}"
    message["Subject"] = title
    message["From"] = sender
    message["To"] = formataddr((account.display_name, account.email))
    message["Message-ID"] = make_msgid(domain="sales-dashboard.local")
    message.set_content(body(report, lang))
    stem = f"monday_report_{report.week_label}"
    maintype, subtype = XLSX.split("/")
    message.add_attachment(xlsx, maintype=maintype, subtype=subtype, filename=f"{stem}.xlsx")
    message.add_attachment(pdf, maintype="application", subtype="pdf", filename=f"{stem}.pdf")
    return message


def body(report: object, lang: str) -> str:
    """The week at a glance and what needs a decision, as plain text."""
    lines = [f"{text('monday_report', lang)} · {report.scope_label} · {report.week_label}", ""]
    head, rows = report_files.section_rows(report, "summary", lang)
    lines += [f"{row[0]}: {row[1]} ({head[2]} {row[2]})" for row in rows]
    lines += ["", text("section_decisions", lang) + ":"]
    _head, decisions = report_files.section_rows(report, "decisions", lang)
    lines += [f"- [{r[0]}] {r[2]} ({r[1]}, {r[3]}): {r[4]}" for r in decisions] or [
        "- " + text("nothing_listed", lang)
    ]
    return "\n".join(lines) + "\n"


def smtp_settings() -> tuple[str, str]:
    """``CRM_SMTP_URL`` and ``CRM_SMTP_FROM``, or a :class:`DeliveryError` saying what is
    missing."""
    url, sender = settings.value("CRM_SMTP_URL"), settings.value("CRM_SMTP_FROM")
    if not url:
        raise DeliveryError("CRM_SMTP_URL is not set (e.g. smtp+starttls://user:pw@host:587)")
    if not sender:
        raise DeliveryError("CRM_SMTP_FROM is not set (e.g. 'Sales <sales@example.com>')")
    return url, sender


def send(messages: list[EmailMessage], url: str) -> None:
    """Send ``messages`` over one SMTP connection."""
    parsed = urlparse(url)
    if parsed.scheme not in ("smtp", "smtps", "smtp+starttls") or not parsed.hostname:
        raise DeliveryError(f"CRM_SMTP_URL: expected smtp://, smtp+starttls:// or smtps://, "
                            f"found {parsed.scheme or url!r}")  # fmt: skip
    default_port = {"smtps": 465, "smtp+starttls": 587}.get(parsed.scheme, 25)
    kind = smtplib.SMTP_SSL if parsed.scheme == "smtps" else smtplib.SMTP
    with kind(parsed.hostname, parsed.port or default_port, timeout=60) as server:
        if parsed.scheme == "smtp+starttls":
            server.starttls()
        if parsed.username:
            server.login(unquote(parsed.username), unquote(parsed.password or ""))
        for message in messages:
            server.send_message(message)


def write_outbox(items: list[Delivery], folder: Path) -> list[Path]:
    """Each message as ``<username>.eml`` in ``folder`` (a dry run)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for item in items:
        path = folder / f"{item.username}.eml"
        path.write_bytes(bytes(item.message))
        paths.append(path)
    return paths
