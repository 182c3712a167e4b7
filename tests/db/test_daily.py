"""Daily tier on both databases: counts in SQL, and the write path of plans, reports and
sign-off (tests/world.py: A1 10-05 E02 visit done planned sale; A2 10-06 E02 call missed
planned; A3 10-06 E03 call done unplanned contacted; DR1 E02 10-05 19:30 approved)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import Engine, select

from crm_core.daily import daily_table
from crm_core.scope import Role, Scope
from db import daily
from db.daily import DailyRefused, ReportText
from db.schema import AuditEntry
from db.users import Account
from tests.world import load_world

LINA = Account("lina", "李娜", Role.REP, "E02", (), "")
WANG = Account("wang", "王强", Role.REP, "E03", (), "")
EAST = Account("east", "East", Role.MANAGER, None, ("R001",), "")
WEST = Account("west", "West", Role.MANAGER, None, ("R002",), "")
BOSS = Account("boss", "Boss", Role.DIRECTOR, None, (), "")


@pytest.fixture
def world(engine: Engine) -> Engine:
    load_world(engine)
    return engine


def table(world: Engine, scope: Scope, day: date) -> list[dict]:
    with world.connect() as conn:
        inputs = daily.day_inputs(conn, scope, day)
    frame = daily_table(**inputs, day=day)
    return frame.drop(columns="name").to_dict("records")


def test_a_day_per_rep_counts_sales_and_report(world: Engine) -> None:
    rows = {row["rep"]: row for row in table(world, Scope.everything(), date(2026, 10, 5))}
    assert rows["E02"] == {
        "rep": "E02", "planned": 1, "done": 1, "missed": 0, "unplanned": 0, "effective": 1,
        "open": 0, "revenue": 2_500_000, "collections": 0, "report_status": "approved",
        "on_time": True,
    }  # fmt: skip
    assert rows["E03"]["report_status"] == "missing" and rows["E03"]["on_time"] is None


def test_missed_and_unplanned_activities(world: Engine) -> None:
    rows = {row["rep"]: row for row in table(world, Scope.everything(), date(2026, 10, 6))}
    assert (rows["E02"]["planned"], rows["E02"]["done"], rows["E02"]["missed"]) == (1, 0, 1)
    assert (rows["E03"]["planned"], rows["E03"]["unplanned"], rows["E03"]["effective"]) == (0, 1, 1)


def test_a_manager_sees_only_their_reps(world: Engine) -> None:
    rows = table(world, Scope.for_manager(["R001"]), date(2026, 10, 6))
    assert [row["rep"] for row in rows] == ["E01", "E02"]


def audit_trail(world: Engine, key: str) -> list[tuple]:
    with world.connect() as conn:
        query = (
            select(AuditEntry.username, AuditEntry.old_value, AuditEntry.new_value)
            .where(AuditEntry.row_key == key)
            .order_by(AuditEntry.id)
        )
        return [tuple(row) for row in conn.execute(query).all()]


def test_submit_return_resubmit_approve_each_step_audited(world: Engine) -> None:
    day = date(2026, 10, 6)
    text = ReportText("拜访杭州恒通,客户未接电话", "竞品降价", "")
    report = daily.submit_report(world, LINA, day, text, datetime(2026, 10, 6, 20, 1))
    daily.review_report(
        world, EAST, report, False, "请补充下次拜访计划", datetime(2026, 10, 7, 9, 0)
    )
    daily.submit_report(
        world, LINA, day, ReportText("已补充:周五再访"), datetime(2026, 10, 7, 10, 0)
    )
    daily.review_report(world, EAST, report, True, "", datetime(2026, 10, 7, 11, 0))
    assert audit_trail(world, report) == [
        ("lina", None, '{"status": "submitted"}'),
        (
            "east",
            '{"status": "submitted"}',
            '{"comment": "请补充下次拜访计划", "status": "returned"}',
        ),
        ("lina", '{"status": "returned"}', '{"status": "submitted"}'),
        ("east", '{"status": "submitted"}', '{"comment": "", "status": "approved"}'),
    ]
    rows = {row["rep"]: row for row in table(world, Scope.everything(), day)}
    assert rows["E02"]["report_status"] == "approved"
    assert rows["E02"]["on_time"] is False, "resubmitted the next morning: late"


@pytest.mark.parametrize(
    ("actor", "approve", "comment", "message"),
    [
        (WEST, True, "", "is not a report of your regions"),
        (LINA, True, "", "only the rep's manager signs off"),
        (BOSS, True, "", "only the rep's manager signs off"),
        (EAST, False, "  ", "a returned report needs a comment"),
    ],
)
def test_sign_off_is_refused_outside_the_rules(
    world: Engine, actor: Account, approve: bool, comment: str, message: str
) -> None:
    report = daily.submit_report(
        world, LINA, date(2026, 10, 6), ReportText("总结"), datetime(2026, 10, 6, 19, 0)
    )
    with pytest.raises(DailyRefused, match=message):
        daily.review_report(world, actor, report, approve, comment, datetime(2026, 10, 7, 9, 0))
    assert len(audit_trail(world, report)) == 1


def test_an_approved_report_cannot_be_resubmitted(world: Engine) -> None:
    with pytest.raises(DailyRefused, match="is approved already"):
        daily.submit_report(
            world, LINA, date(2026, 10, 5), ReportText("x"), datetime(2026, 10, 5, 21)
        )


def test_a_rep_plans_today_or_the_next_working_day_for_their_own_customers(world: Engine) -> None:
    friday = date(2026, 10, 9)
    planned = daily.plan_activity(
        world, LINA, date(2026, 10, 12), "C2", "visit", "new_customer", friday
    )
    with world.connect() as conn:
        plan = daily.plan_of(conn, "E02", date(2026, 10, 12))
    assert plan[["activity_id", "customer_id", "status", "planned"]].values.tolist() == [
        [planned, "C2", "planned", True]
    ]
    with pytest.raises(DailyRefused, match="not one of your customers"):
        daily.plan_activity(world, LINA, friday, "C3", "call", "order", friday)
    with pytest.raises(DailyRefused, match="today or the next working day"):
        daily.plan_activity(world, LINA, date(2026, 10, 13), "C2", "call", "order", friday)
    with pytest.raises(DailyRefused, match="only a rep"):
        daily.plan_activity(world, EAST, friday, "C2", "call", "order", friday)
    daily.complete_activity(world, LINA, planned, "appointment", 45)
    with pytest.raises(DailyRefused, match="is done already"):
        daily.complete_activity(world, LINA, planned, "sale")
    with pytest.raises(DailyRefused, match="not one of your activities"):
        daily.complete_activity(world, WANG, planned, "sale")
    rows = {r["rep"]: r for r in table(world, Scope.everything(), date(2026, 10, 12))}
    assert (rows["E02"]["planned"], rows["E02"]["done"], rows["E02"]["effective"]) == (1, 1, 1)


def test_the_same_customer_is_not_planned_twice_for_one_day(world: Engine) -> None:
    """Issue 14.9: a second visit of C2 on the same plan is refused; a call is another thing."""
    friday = date(2026, 10, 9)
    daily.plan_activity(world, LINA, date(2026, 10, 12), "C2", "visit", "new_customer", friday)
    with pytest.raises(DailyRefused, match="a visit of C2 is on the plan of 2026-10-12 already"):
        daily.plan_activity(world, LINA, date(2026, 10, 12), "C2", "visit", "order", friday)
    daily.plan_activity(world, LINA, date(2026, 10, 12), "C2", "call", "order", friday)
    with world.connect() as conn:
        assert len(daily.plan_of(conn, "E02", date(2026, 10, 12))) == 2


def test_many_reports_are_approved_at_once_with_the_same_rules(world: Engine) -> None:
    """Issue 14.10: approve several; one already reviewed is reported, not approved twice."""
    now = datetime(2026, 10, 8, 9, 0)
    first = daily.submit_report(world, LINA, date(2026, 10, 6), ReportText("一"), now)
    second = daily.submit_report(world, LINA, date(2026, 10, 7), ReportText("二"), now)
    daily.review_report(world, EAST, second, False, "补充", now)
    approved, refused = daily.approve_many(world, EAST, [first, second], now)
    assert approved == 1
    assert refused == [f"{second} was already reviewed by east (returned)"]
    outside = daily.approve_many(world, WEST, [first], now)
    assert outside == (0, [f"{first} is not a report of your regions"])


def test_a_plan_and_its_visit_bump_the_activities_version_only(world: Engine) -> None:
    """Issue 17.1: the cache of a read is keyed on the versions of the tables it reads."""
    from db.transactions import DATA_TABLES, versions_of

    def versions() -> dict[str, int]:
        with world.connect() as conn:
            return dict(zip(DATA_TABLES, versions_of(conn, DATA_TABLES), strict=True))

    friday = date(2026, 10, 9)
    before = versions()
    planned = daily.plan_activity(
        world, LINA, date(2026, 10, 12), "C2", "visit", "new_customer", friday
    )
    daily.complete_activity(world, LINA, planned, "appointment", 45)
    after = versions()
    assert {t for t in DATA_TABLES if after[t] != before[t]} == {"activities"}
    assert after["activities"] == before["activities"] + 2
