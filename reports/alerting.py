"""The alerts of a day (crm_core.alerts) as messages and their delivery: each region's list
to its channels (an e-mail address, a WeCom or DingTalk group robot) and to its managers with
an e-mail address, each rep's own alerts to the rep by e-mail. A region or rep with nothing to
say gets no message. Robots get the platform's markdown message JSON:

- WeCom (企业微信): ``{"msgtype": "markdown", "markdown": {"content": …}}``;
- DingTalk (钉钉): ``{"msgtype": "markdown", "markdown": {"title": …, "text": …}}``, the URL
  signed with ``timestamp`` and ``sign`` = base64(HMAC-SHA256(secret, "timestamp\\nsecret"))
  when the robot has a secret.

Both answer ``{"errcode": 0, …}`` when the message was posted; anything else is a failure of
that channel only.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import smtplib
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from pathlib import Path
from urllib.parse import quote_plus

import pandas as pd
from sqlalchemy import Connection, Engine

from crm_core.alerts import by_region, day_alerts, for_rep
from crm_core.catalog import text
from crm_core.scope import Role, Scope
from db import alerts as alerts_db
from db import queries
from db.users import load_accounts
from reports import delivery

LISTED = 30  # names a message lists per rule; the rest are counted
# Characters a robot's markdown reads as markup, in a typed name shown as typed instead.
MARKUP = str.maketrans({"*": "＊", "_": "＿", "[": "［", "]": "］", "(": "（", ")": "）",
                        "`": "｀", "#": "＃", "<": "＜", ">": "＞", "\n": " ", "\r": " ",
                        "|": "｜", "~": "～", "!": "！"})  # fmt: skip
TIMEOUT = 10


@dataclass(frozen=True)
class Message:
    """One message of the day to one recipient (``channel:ID``, ``manager:NAME:REGION`` or
    ``rep:NAME``)."""

    recipient: str
    kind: str  # email | wecom | dingtalk
    target: str  # an address or a webhook URL
    title: str
    lines: tuple[str, ...]
    secret: str | None = None
    shown: str = ""  # the target as output may show it

    def markdown(self) -> str:
        return f"**{self.title}**\n\n" + "\n\n".join(self.lines)

    def plain(self) -> str:
        return self.title + "\n\n" + "\n".join(line.replace("**", "") for line in self.lines)


@dataclass(frozen=True)
class Sent:
    message: Message
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


def _plain(value: object) -> str:
    return str(value).translate(MARKUP)


def _names(rows: pd.DataFrame, lang: str, show: object) -> str:
    shown = [show(row) for row in rows.head(LISTED).itertuples()]
    said = text("list_separator", lang).join(shown)
    if len(rows) > LISTED:
        said += text("alert_more", lang, count=len(rows) - LISTED)
    return said


def alert_lines(alerts: pd.DataFrame, lang: str) -> tuple[str, ...]:
    """The alerts of one region or rep in words, one line per rule."""
    lines = []
    missing = alerts[alerts.rule == "missing_report"]
    if len(missing):
        lines.append(text("alert_missing_report", lang, count=len(missing),
                          names=_names(missing, lang, lambda r: _plain(r.rep_name))))  # fmt: skip
    open_ = alerts[alerts.rule == "unrecorded"]
    if len(open_):
        lines.append(text("alert_unrecorded", lang, count=int(open_["count"].sum()),
                          names=_names(open_, lang, lambda r: text(
                              "alert_rep_count", lang, name=_plain(r.rep_name),
                              count=int(r.count)))))  # fmt: skip
    silent = alerts[alerts.rule == "key_silent"]
    if len(silent):
        lines.append(text("alert_key_silent", lang, count=len(silent),
                          names=_names(silent, lang, lambda r: text(
                              f"alert_no_{r.contact}", lang, customer=_plain(r.customer_name),
                              rep=_plain(r.rep_name), days=r.days))))  # fmt: skip
    return tuple(lines)


def messages(conn: Connection, day: date, over: bool, lang: str,
             skip: frozenset[str] = frozenset()) -> list[Message]:  # fmt: skip
    """Every message of ``day`` but those to the recipients in ``skip``."""
    alerts = day_alerts(alerts_db.day_facts(conn, Scope.everything(), day, over))
    if alerts.empty:
        return []
    region_names = dict(queries.regions(conn, Scope.everything())[["region_id", "name"]].values)
    accounts = [a for a in load_accounts(conn).values() if not a.disabled]
    channels = alerts_db.channels(conn)
    out: list[Message] = []
    for region, mine in by_region(alerts).items():
        title = text("alert_title", lang, scope=_plain(region_names.get(region, region)), day=day)
        lines = alert_lines(mine, lang)
        addresses = set()
        for channel in (c for c in channels if c.region == region):
            out.append(Message(f"channel:{channel.id}", channel.kind, channel.target, title,
                               lines, channel.secret, channel.shown))  # fmt: skip
            addresses.add(channel.target.casefold() if channel.kind == "email" else None)
        for manager in accounts:
            if (manager.role is Role.MANAGER and region in manager.region_ids and manager.email
                    and manager.email.casefold() not in addresses):  # fmt: skip
                out.append(Message(f"manager:{manager.username}:{region}", "email",
                                   manager.email, title, lines, shown=manager.email))  # fmt: skip
    for rep in accounts:
        mine = for_rep(alerts, rep.rep_id) if rep.role is Role.REP and rep.email else None
        if mine is not None and len(mine):
            title = text("alert_title", lang, scope=_plain(mine.rep_name.iloc[0]), day=day)
            out.append(Message(f"rep:{rep.username}", "email", rep.email or "", title,
                               alert_lines(mine, lang), shown=rep.email or ""))  # fmt: skip
    return [m for m in out if m.recipient not in skip]


# ---------------------------------------------------------------- delivery


def robot_payload(message: Message) -> dict[str, object]:
    if message.kind == "wecom":
        return {"msgtype": "markdown", "markdown": {"content": message.markdown()}}
    return {"msgtype": "markdown", "markdown": {"title": message.title, "text": message.markdown()}}


def signed_url(url: str, secret: str | None, now_ms: int | None = None) -> str:
    """A DingTalk webhook URL with its signature (unchanged without a secret)."""
    if not secret:
        return url
    stamp = str(now_ms if now_ms is not None else int(time.time() * 1000))
    digest = hmac.new(secret.encode(), f"{stamp}\n{secret}".encode(), hashlib.sha256).digest()
    sign = quote_plus(base64.b64encode(digest).decode())
    return f"{url}{'&' if '?' in url else '?'}timestamp={stamp}&sign={sign}"


def _post(message: Message) -> None:
    """Post to a robot; an :class:`OSError` or :class:`ValueError` saying why it failed."""
    url = (
        signed_url(message.target, message.secret) if message.kind == "dingtalk" else message.target
    )
    body = json.dumps(robot_payload(message), ensure_ascii=False).encode()
    request = urllib.request.Request(
        url, data=body, method="POST", headers={"Content-Type": "application/json; charset=utf-8"}
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 - an http(s) URL (db.alerts)
            answer = response.read(65_536)
    except urllib.error.HTTPError as failure:
        raise ValueError(f"HTTP {failure.code} {failure.reason}") from None
    try:
        said = json.loads(answer)
    except ValueError:
        raise ValueError(f"not a robot's answer: {answer[:80]!r}") from None
    if not isinstance(said, dict) or said.get("errcode") != 0:
        raise ValueError(f"the robot refused it: {said!r:.200}")


def _mail(message: Message, sender: str) -> EmailMessage:
    mail = EmailMessage()
    mail["Subject"] = delivery.one_line(message.title)
    mail["From"] = sender
    mail["To"] = formataddr(("", message.target))
    mail["Message-ID"] = make_msgid(domain="sales-dashboard.local")
    mail.set_content(message.plain())
    return mail


def send(engine: Engine, items: list[Message], day: date, smtp_url: str | None, sender: str,
         now: datetime) -> Iterator[Sent]:  # fmt: skip
    """Send each message on its own, recording each one sent; one failing channel is that
    message's outcome and the others still go."""
    with delivery.Mailer(smtp_url or "") as mailer:
        for message in items:
            try:
                if message.kind == "email":
                    if problem := delivery.address_problem(message.target):
                        raise ValueError(problem)
                    if not smtp_url:
                        raise ValueError("CRM_SMTP_URL is not set")
                    mailer.send(_mail(message, sender))
                else:
                    _post(message)
            except (smtplib.SMTPException, OSError, ValueError) as failure:
                yield Sent(message, " ".join(str(failure).split()) or type(failure).__name__)
                continue
            alerts_db.record_sent(engine, day, message.recipient, now)
            yield Sent(message)


def write_outbox(items: list[Message], folder: Path, day: date, sender: str) -> list[Path]:
    """Each message as a file in ``folder``: ``<day>_<recipient>.eml`` for e-mail, ``.json``
    (the URL without its key, the body as posted) for a robot."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for message in items:
        stem = re.sub(r"[^\w.-]", "_", f"{day}_{message.recipient}")
        if message.kind == "email":
            path = folder / f"{stem}.eml"
            path.write_bytes(bytes(_mail(message, sender)))
        else:
            path = folder / f"{stem}.json"
            posted = {"kind": message.kind, "url": message.shown, "body": robot_payload(message)}
            path.write_text(json.dumps(posted, ensure_ascii=False, indent=1), encoding="utf-8")
        paths.append(path)
    return paths
