"""The Monday report by e-mail (issue 15): one message per manager (their regions' report)
and per director (the company's), each with the Excel and PDF files attached and the week at a
glance in the body. Sent through the SMTP server of ``CRM_SMTP_URL``
(``smtp://[user:password@]host[:port]``, ``smtp+starttls://…`` or ``smtps://…``) from
``CRM_SMTP_FROM``; or written as ``.eml`` files for a dry run. Only enabled users with an
e-mail address receive it, and each one only what their scope allows. Each message is sent on
its own: a refused recipient or a dropped connection fails that message, not the run, and what
was sent is recorded (``report_deliveries``), so running it again for the week sends only what
failed."""

from __future__ import annotations

import hashlib
import re
import smtplib
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from pathlib import Path
from urllib.parse import unquote, urlparse

from sqlalchemy import Connection, Engine, select

from crm_core import inputs, settings
from crm_core.catalog import text
from crm_core.periods import Period, iso_week_of
from crm_core.scope import Role, Scope
from crm_core.weekly import MondayReport
from db import users
from db.schema import ReportDelivery
from db.transactions import write_transaction
from db.users import Account
from reports import files as report_files
from reports.charts import report_charts

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# the Monday report of a recipient's scope
ReportOf = Callable[[Connection, Scope], MondayReport]


class DeliveryError(ValueError):
    pass


deliveries_t = ReportDelivery.__table__


@dataclass(frozen=True)
class Delivery:
    username: str
    scope_label: str
    message: EmailMessage
    address: str


@dataclass(frozen=True)
class Outcome:
    """What became of one message: sent, or the reason it was not."""

    delivery: Delivery
    problem: str | None = None

    @property
    def sent(self) -> bool:
        return self.problem is None


def recipients(conn: Connection) -> list[Account]:
    """Enabled directors and managers with an e-mail address, by username."""
    return [
        account
        for account in users.user_list(conn)
        if account.email and not account.disabled and account.role is not Role.REP
    ]


def sent_before(conn: Connection, week: Period) -> dict[str, datetime]:
    """Who received the report of ``week`` already, and when."""
    query = select(deliveries_t.c.username, deliveries_t.c.sent_at).where(
        deliveries_t.c.week == iso_week_of(week.start)
    )
    return dict(conn.execute(query).all())


def deliveries(
    conn: Connection,
    report_of: ReportOf,
    lang: str,
    sender: str,
    skip: frozenset[str] = frozenset(),
) -> list[Delivery]:
    """One message per recipient (but those in ``skip``) with the report ``report_of`` gives
    of the recipient's scope (services.weekly.sent_report); reports of the same scope are
    built once."""
    built: dict[Scope, tuple[str, object, bytes, bytes]] = {}
    out = []
    for account in recipients(conn):
        if account.username in skip:
            continue
        scope = account.scope
        if scope not in built:
            report = report_of(conn, scope)
            charts = report_charts(report, lang)  # rendered once for both files
            built[scope] = (
                report.scope_label,
                report,
                report_files.xlsx(report, lang, charts),
                report_files.pdf(report, lang, charts),
            )
        label, report, xlsx, pdf = built[scope]
        message = _message(account, report, lang, sender, xlsx, pdf)
        out.append(Delivery(account.username, label, message, account.email or ""))
    return out


def _message(
    account: Account, report: MondayReport, lang: str, sender: str, xlsx: bytes, pdf: bytes
) -> EmailMessage:
    message = EmailMessage()
    title = f"{text('monday_report', lang)} · {report.scope_label} · {report.week_label}"
    message["Subject"] = one_line(title)
    message["From"] = sender
    if address_problem(account.email or "") is None:  # else it is reported, not sent
        message["To"] = formataddr((one_line(account.display_name), account.email))
    message["Message-ID"] = make_msgid(domain="sales-dashboard.local")
    message.set_content(body(report, lang))
    stem = report_files.file_stem(report, lang)
    maintype, subtype = XLSX.split("/")
    message.add_attachment(xlsx, maintype=maintype, subtype=subtype, filename=f"{stem}.xlsx")
    message.add_attachment(pdf, maintype="application", subtype="pdf", filename=f"{stem}.pdf")
    return message


def body(report: object, lang: str) -> str:
    """Last week's actions, the week at a glance and what needs a decision, as plain text."""
    lines = [f"{text('monday_report', lang)} · {report.scope_label} · {report.week_label}", ""]
    _head, actions = report_files.section_rows(report, "actions", lang)
    if actions:  # status, text, about, owner, due, week
        lines += [text("section_actions", lang) + ":"]
        lines += [f"- [{r[0]}] {r[1]} ({r[2]}; {r[3]}, {r[4]})" for r in actions] + [""]
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


def one_line(value: str) -> str:
    """``value`` for a mail header: control and line-separator characters (a name imported or
    stored before names were checked) become spaces, so no header is split or refused."""
    return " ".join(
        "".join(" " if unicodedata.category(ch) in inputs.HIDDEN else ch for ch in value).split()
    )


def send(
    engine: Engine, items: list[Delivery], url: str, week: Period, now: datetime
) -> Iterator[Outcome]:
    """Send each of ``items`` on its own (one SMTP connection, opened again after one is
    lost), recording each message sent; a failure is that message's outcome."""
    _server_kind(url)  # a wrong URL is a configuration error, before anything is sent
    with Mailer(url) as mailer:
        for item in items:
            if problem := address_problem(item.address):
                yield Outcome(item, problem)
                continue
            try:
                mailer.send(item.message)
            except (smtplib.SMTPException, OSError) as failure:
                yield Outcome(item, _reason(failure))
                continue
            _record(engine, week, item, now)
            yield Outcome(item)


class Mailer:
    """One SMTP connection for several messages sent one by one: opened for the first, opened
    again after it was lost, kept after the server refused one message; closed at the end of
    the ``with`` block. :meth:`send` raises a message's failure for the caller to report."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.server: smtplib.SMTP | None = None

    def __enter__(self) -> Mailer:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.server = dropped(self.server)

    def send(self, message: EmailMessage) -> None:
        try:
            self.server = self.server or connect(self.url)
            self.server.send_message(message)
        except (smtplib.SMTPException, OSError) as failure:
            if not isinstance(failure, MESSAGE_REFUSED):  # the connection is in doubt
                self.server = dropped(self.server)
            raise


# The server refused this message and is ready for the next one on the same connection.
MESSAGE_REFUSED = (
    smtplib.SMTPRecipientsRefused,
    smtplib.SMTPSenderRefused,
    smtplib.SMTPDataError,
)


def address_problem(address: str) -> str | None:
    """Why ``address`` cannot be sent to (one stored before addresses were checked), or
    ``None``."""
    try:
        inputs.email_address(address)
    except inputs.InputRefused as refused:
        return str(refused)
    return None


def _server_kind(url: str) -> tuple[type[smtplib.SMTP], str, int]:
    parsed = urlparse(url)
    if parsed.scheme not in ("smtp", "smtps", "smtp+starttls") or not parsed.hostname:
        raise DeliveryError(f"CRM_SMTP_URL: expected smtp://, smtp+starttls:// or smtps://, "
                            f"found {parsed.scheme or url!r}")  # fmt: skip
    default_port = {"smtps": 465, "smtp+starttls": 587}.get(parsed.scheme, 25)
    kind = smtplib.SMTP_SSL if parsed.scheme == "smtps" else smtplib.SMTP
    return kind, parsed.hostname, parsed.port or default_port


def connect(url: str) -> smtplib.SMTP:
    kind, host, port = _server_kind(url)
    parsed = urlparse(url)
    server = kind(host, port, timeout=60)
    try:
        if parsed.scheme == "smtp+starttls":
            server.starttls()
        if parsed.username:
            server.login(unquote(parsed.username), unquote(parsed.password or ""))
    except BaseException:
        dropped(server)
        raise
    return server


def dropped(server: smtplib.SMTP | None) -> None:
    """Close ``server`` as well as it goes; ``None`` (no connection) in its place."""
    if server is not None:
        with suppress(smtplib.SMTPException, OSError):
            server.quit()
        with suppress(OSError):
            server.close()


def _reason(failure: Exception) -> str:
    if isinstance(failure, smtplib.SMTPRecipientsRefused):
        codes = [f"{code} {bytes(msg).decode(errors='replace')}" for code, msg in
                 failure.recipients.values()]  # fmt: skip
        return "refused by the server: " + "; ".join(codes)
    if isinstance(failure, smtplib.SMTPResponseException):
        return f"{failure.smtp_code} {bytes(failure.smtp_error).decode(errors='replace')}"
    return f"{type(failure).__name__}: {failure}"


def _record(engine: Engine, week: Period, item: Delivery, now: datetime) -> None:
    with write_transaction(engine) as conn:
        conn.execute(
            deliveries_t.insert().values(
                week=iso_week_of(week.start), username=item.username, address=item.address,
                sent_at=now,
            )
        )  # fmt: skip


SAFE_NAME = re.compile(r"[^\w.-]+")


def outbox_name(week: Period, username: str) -> str:
    """The file name of a message in the outbox: the week and the username reduced to letters,
    digits, ``.``, ``_`` and ``-`` (with a short hash when that changed it, so two users never
    share a file), never a path."""
    safe = SAFE_NAME.sub("_", unicodedata.normalize("NFKC", username)).strip("._") or "user"
    if safe != username:
        safe = f"{safe[:40]}_{hashlib.sha256(username.encode()).hexdigest()[:8]}"
    return f"{iso_week_of(week.start)}_{safe}.eml"


def write_outbox(items: list[Delivery], folder: Path, week: Period) -> list[Path]:
    """Each message as ``<week>_<username>.eml`` in ``folder`` (a dry run), always inside
    it."""
    folder.mkdir(parents=True, exist_ok=True)
    root = folder.resolve()
    paths = []
    for item in items:
        path = root / outbox_name(week, item.username)
        if path.parent != root:
            raise DeliveryError(f"--outbox: {item.username!r} gives no file name inside {root}")
        path.write_bytes(bytes(item.message))
        paths.append(path)
    return paths
