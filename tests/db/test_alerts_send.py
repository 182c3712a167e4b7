"""``alerts send`` (issue 37.3) against robots and a mail server started by the test on
loopback: a WeCom and a DingTalk robot (with its signed URL checked as DingTalk does), a
robot that refuses, aiosmtpd for the manager's and the rep's mail. Each region hears its own
alerts, a region with none hears nothing, a second run sends nothing twice, one failing
channel does not stop the others and the exit code says so."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from email import message_from_bytes
from email.policy import default
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from db.engine import make_engine
from db.transfer import import_rows
from db.users import add_user
from tests.conftest import cli
from tests.db.test_report_delivery import Inbox, free_port
from tests.world import LOADED_AS_OF, rows_of

DAY = "2026-11-06"  # a Friday
AFTER = {"CRM_AS_OF": "2026-11-09"}  # the Monday after: the day is over
SECRET = "SECd1ngtalk"


class Robots:
    """Webhooks on one loopback server: /wecom and /ding answer errcode 0 (/ding only with a
    valid signature), /broken refuses every message."""

    def __init__(self) -> None:
        self.posts: list[tuple[str, dict[str, list[str]], dict]] = []
        robots = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                url = urlparse(self.path)
                query = parse_qs(url.query)
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                robots.posts.append((url.path, query, body))
                answer = {"errcode": 0, "errmsg": "ok"}
                if url.path == "/broken":
                    answer = {"errcode": 93000, "errmsg": "invalid webhook url"}
                if url.path == "/ding" and not robots.signed(query):
                    answer = {"errcode": 310000, "errmsg": "sign not match"}
                data = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *_args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    @staticmethod
    def signed(query: dict[str, list[str]]) -> bool:
        stamp = query.get("timestamp", [""])[0]
        expected = base64.b64encode(
            hmac.new(SECRET.encode(), f"{stamp}\n{SECRET}".encode(), hashlib.sha256).digest()
        ).decode()
        return query.get("sign", [""])[0] == expected

    def of(self, path: str) -> list[dict]:
        return [body for posted, _query, body in self.posts if posted == path]


@pytest.fixture
def robots() -> Iterator[Robots]:
    serving = Robots()
    thread = threading.Thread(target=serving.server.serve_forever, daemon=True)
    thread.start()
    yield serving
    serving.server.shutdown()
    serving.server.server_close()


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, dict[str, str]]]:
    from aiosmtpd.controller import Controller

    box, port = Inbox(), free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    yield box, {"CRM_SMTP_URL": f"smtp://127.0.0.1:{port}", "CRM_SMTP_FROM": "crm@example.test"}
    controller.stop()


@pytest.fixture
def day_world(world_file: Path) -> Path:
    """The world on Friday 6 Nov: E01 reported, E02 did not; E01 left a visit planned; E02's
    key customer C1 was last called on 6 Oct, 31 days before (overdue that day, not the day
    before). R002 has no active rep: nothing to say. Users: east (R001) and the rep zhang
    (E01) have an address."""
    engine = make_engine(f"sqlite:///{world_file}")
    extra = {
        "activities": "activity_id,date,rep_id,customer_id,kind,purpose,status,planned,outcome,"
        "duration_min,cost,notes\n"
        "A10,2026-10-06,E02,C1,call,service,done,true,contacted,10,2.00,\n"
        "A11,2026-11-06,E01,C2,visit,new_customer,planned,true,,,,\n",
        "daily_reports": "report_id,rep_id,date,submitted_at,summary,competitor_info,"
        "customer_feedback,status,reviewed_by,reviewed_at,review_comment\n"
        "DR9,E01,2026-11-06,2026-11-06T19:00:00,拜访,,,submitted,,,\n",
    }
    for table, text in extra.items():
        result = import_rows(engine, table, rows_of(text), f"{table}.csv", as_of=LOADED_AS_OF)
        assert result.ok, [str(e) for e in result.errors]
    with engine.begin() as conn:
        add_user(conn, "zhang", "张伟", "rep", "pw", rep_id="E01", email="zhang@example.test")
        add_user(conn, "li", "李娜", "rep", "pw", rep_id="E02")  # no address: no mail
    engine.dispose()
    assert cli(world_file, "user", "email", "east", "east@example.test").returncode == 0
    return world_file


def channel(db: Path, *args: str) -> None:
    done = cli(db, "alerts", "channel", "add", *args)
    assert done.returncode == 0, done.stderr


def test_each_channel_gets_its_regions_alerts_once(day_world: Path, robots: Robots,
                                                   inbox: tuple) -> None:  # fmt: skip
    box, smtp = inbox
    channel(day_world, "--region", "R001", "--kind", "wecom", "--url", f"{robots.url}/wecom?key=k1")
    channel(day_world, "--region", "R001", "--kind", "dingtalk", "--url",
            f"{robots.url}/ding?access_token=t1", "--secret", SECRET)  # fmt: skip
    channel(day_world, "--region", "R002", "--kind", "wecom", "--url", f"{robots.url}/quiet?key=k2")
    done = cli(day_world, "alerts", "send", "--date", DAY, "--lang", "en", env={**AFTER, **smtp})
    assert done.returncode == 0, done.stderr
    [wecom] = robots.of("/wecom")
    lines = wecom["markdown"]["content"].split("\n\n")
    assert wecom["msgtype"] == "markdown"
    assert lines == [
        "**Alerts of the day · 华东区 · 2026-11-06**",
        "No daily report by 20:00 (1): 李娜",
        "Planned calls and visits not recorded (1): 张伟 1",
        "Key customers past their contact cadence today (1): 上海鑫达贸易有限公司 "
        "(李娜: no call for 31 days)",
    ]
    [ding] = robots.of("/ding")
    assert ding == {
        "msgtype": "markdown",
        "markdown": {
            "title": "Alerts of the day · 华东区 · 2026-11-06",
            "text": wecom["markdown"]["content"],
        },
    }
    assert robots.of("/quiet") == []  # R002 has nothing to say: no empty message
    mail = {rcpt[0]: message for rcpt, message in box.received}
    assert sorted(mail) == ["east@example.test", "zhang@example.test"]
    assert "李娜" in mail["east@example.test"].get_content()
    own = mail["zhang@example.test"].get_content()
    assert "Planned calls and visits not recorded (1): 张伟 1" in own and "李娜" not in own
    again = cli(day_world, "alerts", "send", "--date", DAY, env={**AFTER, **smtp})
    assert again.returncode == 0, again.stderr
    assert "alerts of 2026-11-06: nothing to send more" in again.stdout
    assert len(robots.posts) == 2 and len(box.received) == 2  # nothing sent twice


def test_a_failing_channel_does_not_stop_the_others(day_world: Path, robots: Robots) -> None:
    channel(day_world, "--region", "R001", "--kind", "wecom", "--url", f"{robots.url}/broken?key=x")
    channel(day_world, "--region", "R001", "--kind", "dingtalk", "--url",
            f"{robots.url}/ding?access_token=t1", "--secret", "wrong")  # fmt: skip
    channel(day_world, "--region", "R001", "--kind", "wecom", "--url", f"{robots.url}/wecom?key=k")
    done = cli(day_world, "alerts", "send", "--date", DAY, env=AFTER)
    assert done.returncode == 1
    assert "channel:3: wecom" in done.stdout and "sent" in done.stdout
    assert "channel:1: wecom" in done.stderr and "invalid webhook url" in done.stderr
    assert "channel:2: dingtalk" in done.stderr and "sign not match" in done.stderr
    # the mails to east and zhang failed too (no CRM_SMTP_URL); one robot got its message
    assert "CRM_SMTP_URL is not set" in done.stderr
    assert "1 message(s) sent, 4 failed" in done.stdout
    again = cli(day_world, "alerts", "send", "--date", DAY, env=AFTER)
    assert again.returncode == 1
    assert "channel:3: sent already" in again.stdout
    assert len(robots.of("/wecom")) == 1 and len(robots.of("/broken")) == 2


def test_channels_are_listed_without_their_keys_and_removed(day_world: Path) -> None:
    channel(day_world, "--region", "R001", "--kind", "wecom", "--url",
            "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx")  # fmt: skip
    channel(day_world, "--region", "R002", "--kind", "email", "--url", "south@example.test")
    listed = cli(day_world, "alerts", "channel", "list").stdout.splitlines()
    assert listed == [
        "1\tR001\twecom\thttps://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a…",
        "2\tR002\temail\tsouth@example.test",
    ]
    bad = cli(day_world, "alerts", "channel", "add", "--region", "R009", "--kind", "email",
              "--url", "a@b.test")  # fmt: skip
    assert (bad.returncode, bad.stderr.strip()) == (2, "error: --region: no region 'R009'")
    bad = cli(day_world, "alerts", "channel", "add", "--region", "R001", "--kind", "wecom",
              "--url", "ftp://robot")  # fmt: skip
    assert bad.returncode == 2 and "expected the robot's webhook URL" in bad.stderr
    removed = cli(day_world, "alerts", "channel", "remove", "1")
    assert removed.stdout.strip() == "alert channel 1 (wecom for R001) removed"
    assert cli(day_world, "alerts", "channel", "list").stdout.startswith("2\tR002")


def test_an_outbox_holds_the_messages_and_records_nothing(day_world: Path, tmp_path: Path,
                                                          robots: Robots) -> None:  # fmt: skip
    channel(day_world, "--region", "R001", "--kind", "wecom", "--url", f"{robots.url}/wecom?key=k")
    outbox = tmp_path / "outbox"
    done = cli(day_world, "alerts", "send", "--date", DAY, "--outbox", str(outbox), env=AFTER)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in outbox.iterdir()) == [
        "2026-11-06_channel_1.json", "2026-11-06_manager_east_R001.eml", "2026-11-06_rep_zhang.eml",
    ]  # fmt: skip
    posted = json.loads((outbox / "2026-11-06_channel_1.json").read_text(encoding="utf-8"))
    assert posted["url"].endswith("/wecom?key=k…") and "今日提醒" in str(posted["body"])
    assert robots.posts == []


def test_today_counts_reports_and_plans_only_from_20(day_world: Path, tmp_path: Path) -> None:
    """With CRM_AS_OF on the day itself, the clock's hour decides (the run at 20:30 of cron)."""
    from datetime import datetime

    outbox = tmp_path / "o"
    done = cli(day_world, "alerts", "send", "--date", DAY, "--outbox", str(outbox),
               env={"CRM_AS_OF": DAY})  # fmt: skip
    assert done.returncode == 0, done.stderr
    raw = (outbox / "2026-11-06_manager_east_R001.eml").read_bytes()
    east = message_from_bytes(raw, policy=default).get_content()
    assert "上海鑫达贸易有限公司" in east  # the key customer, whatever the hour
    if datetime.now().hour < 20:
        assert "before 20:00 only key customers are checked" in done.stdout
        assert "未交日报" not in east and "2026-11-06_rep_zhang.eml" not in str(
            sorted(outbox.iterdir())
        )
    else:
        assert "未交日报" in east
