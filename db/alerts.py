"""Alerts of the day (crm_core.alerts): the facts they read, the channels of each region and
the record of what was sent, so a second run for a day sends nothing twice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urlparse

from sqlalchemy import Connection, Engine, delete, select

from crm_core import inputs
from crm_core.alerts import DayFacts
from crm_core.efficiency import cadence
from crm_core.scope import Scope
from db import queries
from db.daily import activity_counts
from db.efficiency import last_contacts
from db.schema import AlertChannel, AlertDelivery, DailyReport, Region
from db.scoping import scope_clause
from db.transactions import audit, write_transaction

channels_t = AlertChannel.__table__
deliveries_t = AlertDelivery.__table__
reports_t = DailyReport.__table__
regions_t = Region.__table__
KINDS = ("email", "wecom", "dingtalk")


class ChannelRefused(ValueError):
    pass


@dataclass(frozen=True)
class Channel:
    id: int
    region: str
    kind: str
    target: str
    secret: str | None = None

    @property
    def shown(self) -> str:
        """The target as a list may show it: a robot's key or token cut to 4 characters."""
        if self.kind == "email":
            return self.target
        parsed = urlparse(self.target)
        query = "&".join(
            f"{name}={value[:4]}…" if value else name
            for name, _, value in (part.partition("=") for part in parsed.query.split("&"))
        )
        return parsed._replace(query=query).geturl()


def day_facts(conn: Connection, scope: Scope, day: date, over: bool) -> DayFacts:
    """What the rules of :mod:`crm_core.alerts` read for ``day`` inside ``scope``."""
    reps = queries.reps(conn, scope)
    active = reps[reps.active.astype(bool)][["rep_id", "name", "region_id"]]
    r = reports_t.c
    reported = frozenset(
        conn.scalars(select(r.rep_id).where(r.date == day, scope_clause(reports_t, scope)))
    )
    counts = activity_counts(conn, scope, day)
    planned = counts.rename(columns={"rep": "rep_id"})[["rep_id", "open"]].rename(
        columns={"open": "planned"}
    )
    before = day - timedelta(days=1)
    return DayFacts(
        day=day,
        over=over,
        reps=active,
        reported=reported,
        planned=planned,
        cadence_today=cadence(last_contacts(conn, scope, day, priority="key"), day),
        cadence_before=cadence(last_contacts(conn, scope, before, priority="key"), before),
    )


def checked_channel(kind: str, target: str) -> str:
    """The target of a channel of ``kind``: one e-mail address, or an http(s) webhook URL."""
    if kind not in KINDS:
        raise ChannelRefused(f"--kind: expected one of {', '.join(KINDS)}, found {kind!r}")
    if kind == "email":
        try:
            return inputs.email_address(target, "--url")
        except inputs.InputRefused as problem:
            raise ChannelRefused(str(problem)) from None
    parsed = urlparse(target.strip())
    if parsed.scheme not in ("https", "http") or not parsed.hostname:
        raise ChannelRefused(
            f"--url: expected the robot's webhook URL (https://…), found {target!r}"
        )
    if inputs.hidden_characters(target, allow_space=False):
        raise ChannelRefused(f"--url: expected a URL of visible characters, found {target!r}")
    return target.strip()


def add_channel(engine: Engine, region: str, kind: str, target: str, secret: str | None,
                by: str, at: datetime | None = None) -> int:  # fmt: skip
    """A channel for ``region``'s alerts; its ID."""
    target = checked_channel(kind, target)
    if secret is not None and kind != "dingtalk":
        raise ChannelRefused("--secret: only a DingTalk robot signs its messages")
    with write_transaction(engine) as conn:
        known = conn.scalar(select(regions_t.c.region_id).where(regions_t.c.region_id == region))
        if known is None:
            raise ChannelRefused(f"--region: no region {region!r}")
        when = at or datetime.now().replace(microsecond=0)
        values = {"region_id": region, "kind": kind, "target": target, "secret": secret or None,
                  "created_by": by, "created_at": when}  # fmt: skip
        channel_id = int(conn.execute(channels_t.insert().values(**values)).inserted_primary_key[0])
        audit(conn, by, "alert_channels", str(channel_id), None,
              {"region_id": region, "kind": kind})  # fmt: skip
    return channel_id


def remove_channel(engine: Engine, channel_id: int, by: str) -> Channel:
    with write_transaction(engine) as conn:
        found = [c for c in channels(conn) if c.id == channel_id]
        if not found:
            raise ChannelRefused(f"no alert channel {channel_id}")
        conn.execute(delete(channels_t).where(channels_t.c.id == channel_id))
        audit(conn, by, "alert_channels", str(channel_id),
              {"region_id": found[0].region, "kind": found[0].kind}, None)  # fmt: skip
    return found[0]


def channels(conn: Connection) -> list[Channel]:
    c = channels_t.c
    query = select(c.id, c.region_id, c.kind, c.target, c.secret).order_by(c.region_id, c.id)
    return [Channel(*row) for row in conn.execute(query)]


def sent_on(conn: Connection, day: date) -> dict[str, datetime]:
    """The recipients already sent the alerts of ``day``, with when."""
    d = deliveries_t.c
    return dict(conn.execute(select(d.recipient, d.sent_at).where(d.day == day)).all())


def record_sent(engine: Engine, day: date, recipient: str, at: datetime) -> None:
    with write_transaction(engine) as conn:
        conn.execute(deliveries_t.insert().values(day=day, recipient=recipient, sent_at=at))
