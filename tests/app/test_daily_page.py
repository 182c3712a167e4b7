"""The daily page (issue 5, daily tier): submit → return → resubmit → approve, in the app."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from db.engine import make_engine
from db.schema import AuditEntry, User
from tests.app.conftest import page

pytestmark = pytest.mark.usefixtures("demo_db")
SUNDAY = date(2026, 11, 15)  # no demo report on a Sunday


def on_day(username: str):  # noqa: ANN201
    app = page("daily", username)
    app.date_input(key="daily_day").set_value(SUNDAY).run()
    return app


def rep_id() -> str:
    with make_engine().connect() as conn:
        return conn.scalar(select(User.rep_id).where(User.username == "rep"))


def test_every_role_sees_the_team_day_of_their_scope() -> None:
    for username, count in (("director", 6), ("manager", None), ("rep", 1)):
        app = page("daily", username)
        assert not app.exception
        table = app.dataframe[0].value
        if count:
            assert len(table) == count
    assert [e.label for e in page("daily", "manager").expander], "the manager has a queue"


def test_submit_return_resubmit_approve_visible_on_the_page_and_in_the_audit_log() -> None:
    report = f"DR{SUNDAY:%Y%m%d}{rep_id()}"
    app = on_day("rep")
    app.text_area[0].input("拜访三家重点客户,鑫达确认下月订单")
    app.button[-1].click().run()
    assert "Report submitted." in [s.value for s in app.success]
    assert "**Daily report** · submitted" in [m.value for m in app.markdown]

    manager = page("daily", "manager")
    manager.text_input(key=f"comment_{report}").input("请补充客户反馈")
    manager.button(key=f"return_{report}").click().run()
    assert "Report returned with your comment." in [s.value for s in manager.success]

    again = on_day("rep")
    assert "Returned by your manager: 请补充客户反馈" in [w.value for w in again.warning]
    trail = [c.value for c in again.caption if " · rep · " in c.value or " · manager · " in c.value]
    assert [line.split(" · ", 1)[1] for line in trail] == [
        "rep · submitted",
        "manager · returned · 请补充客户反馈",
    ]
    again.text_input[1].input("客户希望缩短交货期")
    again.button[-1].click().run()
    assert "Report submitted." in [s.value for s in again.success]

    manager = page("daily", "manager")
    manager.button(key=f"approve_{report}").click().run()
    assert "Report approved." in [s.value for s in manager.success]
    assert f"approve_{report}" not in [b.key for b in manager.button], "left the queue"

    day_view = on_day("manager")  # the sign-off list may come first while reports wait
    [rows] = [d.value for d in day_view.dataframe if "Daily report" in d.value.columns]
    assert rows.loc[rows["Rep"] == rep_id(), "Daily report"].tolist() == ["approved"]
    with make_engine().connect() as conn:
        trail = conn.execute(
            select(AuditEntry.username, AuditEntry.new_value)
            .where(AuditEntry.row_key == report)
            .order_by(AuditEntry.id)
        ).all()
    assert [(user, value.split('"status": ')[1][:11]) for user, value in trail] == [
        ("rep", '"submitted"'),
        ("manager", '"returned"}'),
        ("rep", '"submitted"'),
        ("manager", '"approved"}'),
    ]


def test_a_rep_cannot_see_the_sign_off_queue() -> None:
    app = page("daily", "rep")
    assert not [b for b in app.button if (b.key or "").startswith("approve_")]


def test_the_team_day_is_one_table_of_numbers_in_words_and_yuan() -> None:
    """Issue 14.1/14.2 for the daily page: one table (no second one with raw column names and
    fen), numbers kept numbers so sorting is numeric, money in yuan, codes in words."""
    from crm_core.daily import daily_table
    from crm_core.scope import Scope
    from db import daily as daily_db
    from tests.app.conftest import AS_OF

    app = page("daily", "director")
    [team] = [d.value for d in app.dataframe if "Daily report" in d.value.columns]
    assert len([d for d in app.dataframe if "Revenue" in d.value.columns]) == 1
    assert set(team.columns) == {
        "Rep", "Name", "Planned", "Done", "Missed", "Unplanned", "Effective", "Still open",
        "Revenue", "Collections", "Daily report", "on time",
    }  # fmt: skip
    with make_engine().connect() as conn:
        inputs = daily_db.day_inputs(conn, Scope.everything(), AS_OF)
    expected = daily_table(**inputs, day=AS_OF)
    assert team["Revenue"].tolist() == [v / 100 for v in expected.revenue]
    assert team["Done"].dtype.kind in "iuf"
    assert set(team["Daily report"]) <= {"missing", "submitted", "approved", "returned"}
    assert not {"report_status", "on_time", "new_customer"} & set(map(str, team.to_numpy().ravel()))


def test_a_reps_day_is_in_words_and_a_plan_for_tomorrow_shows_at_once(
    world_app, monkeypatch
) -> None:
    """Issue 14.9: no codes (new_customer, no_contact) on the rep's own day; what was planned
    for the next working day is listed under today's plan. tests/world.py: E02 (lina)."""
    from db import daily as daily_db
    from db import users
    from tests.app.conftest import page_as

    monkeypatch.setenv("CRM_AS_OF", "2026-10-08")  # a Thursday
    with world_app.begin() as conn:
        users.add_user(conn, "lina", "李娜", "rep", "pw", rep_id="E02")
        me = users.find_account(conn, "lina")
    daily_db.plan_activity(
        world_app, me, date(2026, 10, 9), "C2", "visit", "new_customer", date(2026, 10, 8)
    )
    app = page_as("daily", "lina", "rep")
    assert not app.exception
    assert any("2026-10-09" in c.value for c in app.caption)
    [tomorrow] = [d.value for d in app.dataframe if "Purpose" in d.value.columns]
    words = set(map(str, tomorrow.to_numpy().ravel()))
    assert {"杭州恒通实业有限公司", "new customer"} <= {
        w if w[0] > "z" else w.lower() for w in words
    }
    assert not {"new_customer", "no_contact", "market_research"} & words
