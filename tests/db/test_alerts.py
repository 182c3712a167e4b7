"""The alerts' facts, channels and record of what was sent (issue 37.3) on SQLite and
PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import Engine

from crm_core.alerts import day_alerts
from crm_core.scope import Scope
from db.alerts import (
    ChannelRefused,
    add_channel,
    channels,
    day_facts,
    record_sent,
    remove_channel,
    sent_on,
)
from db.transfer import import_rows
from tests.world import LOADED_AS_OF, load_world, rows_of

ACTIVITIES = (
    "activity_id,date,rep_id,customer_id,kind,purpose,status,planned,outcome,duration_min,"
    "cost,notes\n"
    "A10,2026-10-06,E02,C1,call,service,done,true,contacted,10,2.00,\n"
    "A11,2026-11-06,E01,C2,visit,new_customer,planned,true,,,,\n"
)


@pytest.fixture
def world(engine: Engine) -> Engine:
    load_world(engine)
    result = import_rows(engine, "activities", rows_of(ACTIVITIES), "a.csv", as_of=LOADED_AS_OF)
    assert result.ok, [str(e) for e in result.errors]
    return engine


def test_the_facts_of_a_day_give_its_alerts(world: Engine) -> None:
    with world.connect() as conn:
        alerts = day_alerts(day_facts(conn, Scope.everything(), date(2026, 11, 6), True))
        mine = day_alerts(day_facts(conn, Scope.for_manager(["R002"]), date(2026, 11, 6), True))
    got = [(a["region"], a["rule"], a["rep"], a["count"], a["customer"], a["days"])
           for a in alerts.to_dict("records")]  # fmt: skip
    # no report on Friday 6 Nov for either active rep; E01's visit left planned; C1 last
    # called 6 Oct: 31 days, overdue that day (30 the day before)
    assert got == [
        ("R001", "missing_report", "E01", None, None, None),
        ("R001", "missing_report", "E02", None, None, None),
        ("R001", "unrecorded", "E01", 1, None, None),
        ("R001", "key_silent", "E02", None, "C1", 31),
    ]
    assert mine.empty  # R002's only rep is inactive


def test_channels_and_what_was_sent(world: Engine) -> None:
    first = add_channel(world, "R001", "wecom", "https://robot.test/send?key=abcdef", None, "t")
    second = add_channel(world, "R001", "dingtalk", "https://ding.test/send?access_token=xyz1",
                         "SEC1", "t")  # fmt: skip
    with pytest.raises(ChannelRefused, match="only a DingTalk robot signs"):
        add_channel(world, "R001", "wecom", "https://robot.test/x", "s", "t")
    with pytest.raises(ChannelRefused, match="--url: expected one address"):
        add_channel(world, "R001", "email", "not an address", None, "t")
    with world.connect() as conn:
        listed = channels(conn)
    assert [(c.id, c.kind, c.shown, c.secret) for c in listed] == [
        (first, "wecom", "https://robot.test/send?key=abcd…", None),
        (second, "dingtalk", "https://ding.test/send?access_token=xyz1…", "SEC1"),
    ]
    remove_channel(world, first, "t")
    day, at = date(2026, 11, 6), datetime(2026, 11, 6, 20, 30)
    record_sent(world, day, f"channel:{second}", at)
    with world.connect() as conn:
        assert [c.id for c in channels(conn)] == [second]
        assert sent_on(conn, day) == {f"channel:{second}": at}
        assert sent_on(conn, date(2026, 11, 5)) == {}
