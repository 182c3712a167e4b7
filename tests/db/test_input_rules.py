"""Issue 39.7 on SQLite and PostgreSQL: IDs that only look alike, facts dated in the future,
durations and free text out of bounds are refused where they are written (imports and the
daily write path), naming the row, the column and what was expected; nothing is written."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import Engine, func, select

from crm_core.scope import Role
from db import daily
from db.daily import DailyRefused, ReportText
from db.schema import Activity, Order, Region
from db.transfer import import_rows
from db.users import Account
from tests.world import load_world, rows_of

LINA = Account("lina", "李娜", Role.REP, "E02", (), "")
AS_OF = date(2026, 10, 20)


@pytest.fixture
def world(engine: Engine) -> Engine:
    load_world(engine)
    return engine


def imported(engine: Engine, table: str, text: str, as_of: date = AS_OF):  # noqa: ANN201
    return import_rows(engine, table, rows_of(text), f"{table}.csv", as_of=as_of)


def errors(result: object) -> list[str]:
    return [str(e) for e in result.errors]


def count(engine: Engine, model: type) -> int:
    with engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(model))


# ---------------------------------------------------------------- IDs


@pytest.mark.parametrize(
    ("region_id", "message"),
    [
        ("r001", "regions.csv:2:region_id: expected a new ID or an existing one as stored, found "
                 "'r001', which differs only in case from the existing 'R001'"),
        ("Ｒ001", "regions.csv:2:region_id: expected an ID in plain characters, found 'Ｒ001' "
                 "(did you mean 'R001'?)"),
        ("R001\u200b", "regions.csv:2:region_id: expected an ID of visible characters, found "
                       "U+200B in 'R001\\u200b'"),
        ("\u202eR001", "regions.csv:2:region_id: expected an ID of visible characters, found "
                       "U+202E in '\\u202eR001'"),
        ("R 1", "regions.csv:2:region_id: expected an ID of visible characters, found U+0020 "
                "in 'R 1'"),
    ],
)  # fmt: skip
def test_an_id_that_only_looks_like_another_is_refused(
    world: Engine, region_id: str, message: str
) -> None:
    before = count(world, Region)
    result = imported(world, "regions", f"region_id,name\n{region_id},新区\n")
    assert errors(result) == [message]
    assert count(world, Region) == before


def test_two_ids_of_one_file_that_differ_only_in_case_are_one_id(world: Engine) -> None:
    result = imported(world, "regions", "region_id,name\nB1,北区\nb1,北区二\n")
    assert errors(result) == ["regions.csv:3:region_id: duplicate ID b1, first on row 2"]
    assert count(world, Region) == 2


def test_an_existing_id_typed_as_stored_still_updates(world: Engine) -> None:
    result = imported(world, "regions", "region_id,name\nR001,华东大区\n")
    assert result.ok and result.updated == 1


def test_a_reference_differing_in_case_is_an_unknown_id(world: Engine) -> None:
    text = "order_id,date,customer_id,rep_id,product_id,quantity,amount,cost\n"
    result = imported(world, "orders", text + "O9,2026-10-19,c1,E02,P1,1,100,50\n")
    assert errors(result) == ["orders.csv:2:customer_id: expected a known customers ID, found 'c1'"]


# ---------------------------------------------------------------- facts in the future

ORDER = "order_id,date,customer_id,rep_id,product_id,quantity,amount,cost\n"
ACTIVITY = "activity_id,date,rep_id,customer_id,kind,purpose,status,planned,outcome,duration_min\n"


def test_an_order_dated_after_the_as_of_day_is_refused(world: Engine) -> None:
    before = count(world, Order)
    result = imported(world, "orders", ORDER + "O8,2026-10-20,C1,E02,P1,1,100,50\n"
                      "O9,2026-10-21,C1,E02,P1,1,100,50\n")  # fmt: skip
    assert errors(result) == [
        "orders.csv:3:date: expected a day no later than today (2026-10-20), found 2026-10-21"
    ]
    assert count(world, Order) == before


@pytest.mark.parametrize(
    ("table", "text", "column"),
    [
        ("payments", "payment_id,date,customer_id,rep_id,amount\nY9,2026-11-01,C1,E02,100\n",
         "date"),
        ("activities", ACTIVITY + "A9,2026-10-21,E02,C1,visit,order,done,true,sale,30\n", "date"),
        ("activities", ACTIVITY + "A9,2026-10-21,E02,C1,visit,order,missed,true,,\n", "date"),
        ("daily_reports", "report_id,rep_id,date,submitted_at,summary,status\n"
         "DR9,E02,2026-10-21,2026-10-21T19:00:00,x,submitted\n", "date"),
    ],
)  # fmt: skip
def test_a_fact_after_the_as_of_day_is_refused(
    world: Engine, table: str, text: str, column: str
) -> None:
    result = imported(world, table, text)
    assert len(result.errors) == 1 and not result.written
    error = result.errors[0]
    assert (error.row, error.column) == (2, column)
    assert error.message.startswith("expected a day no later than today (2026-10-20)")


def test_a_planned_activity_may_lie_ahead(world: Engine) -> None:
    result = imported(world, "activities",
                      ACTIVITY + "A9,2026-10-21,E02,C1,visit,order,planned,true,,\n")  # fmt: skip
    assert result.ok and result.inserted == 1


# ---------------------------------------------------------------- the daily write path


def planned_for(engine: Engine, day: date) -> str:
    return daily.plan_activity(engine, LINA, day, "C2", "visit", "new_customer", day)


@pytest.mark.parametrize("minutes", [-5, 601, 10**12])
def test_a_duration_outside_0_to_600_minutes_is_refused(world: Engine, minutes: int) -> None:
    planned = planned_for(world, date(2026, 10, 12))
    with pytest.raises(DailyRefused, match=f"expected 0 to 600 minutes, found {minutes}"):
        daily.complete_activity(world, LINA, planned, "sale", minutes, today=date(2026, 10, 12))
    with world.connect() as conn:
        status = conn.scalar(select(Activity.status).where(Activity.activity_id == planned))
    assert status == "planned"


@pytest.mark.parametrize("minutes", [0, 600])
def test_a_duration_of_0_or_600_minutes_is_recorded(world: Engine, minutes: int) -> None:
    planned = planned_for(world, date(2026, 10, 12))
    daily.complete_activity(world, LINA, planned, "sale", minutes, today=date(2026, 10, 12))
    with world.connect() as conn:
        kept = conn.scalar(select(Activity.duration_min).where(Activity.activity_id == planned))
    assert kept == minutes


def test_an_activity_of_tomorrow_cannot_be_done_today(world: Engine) -> None:
    planned = planned_for(world, date(2026, 10, 12))
    with pytest.raises(DailyRefused, match="planned for 2026-10-12: record it on that day"):
        daily.complete_activity(world, LINA, planned, "sale", 30, today=date(2026, 10, 9))


def test_a_summary_of_a_megabyte_is_refused(world: Engine) -> None:
    with pytest.raises(DailyRefused, match="summary: expected at most 4,000 characters, found "
                                           "1,048,576"):  # fmt: skip
        daily.submit_report(world, LINA, date(2026, 10, 12), ReportText("x" * 2**20),
                            datetime(2026, 10, 12, 19))  # fmt: skip
    daily.submit_report(world, LINA, date(2026, 10, 12), ReportText("x" * 4_000),
                        datetime(2026, 10, 12, 19))  # fmt: skip


# ---------------------------------------------------------------- text in imports


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("customer_id,name,region_id,owner_rep_id,status,created_on\n"
         "C1,\"上海\n鑫达\",R001,E02,active,2026-01-05\n",
         "customers.csv:2:name: expected one line of visible characters, found U+000A"),
        ("customer_id,name,region_id,owner_rep_id,status,created_on\n"
         f"C1,{'长' * 301},R001,E02,active,2026-01-05\n",
         "customers.csv:2:name: expected at most 300 characters, found 301"),
        ("report_id,date,rep_id,kind,severity,summary,status\n"
         f"MR9,2026-10-19,E02,competitor,low,{'x' * 4_001},open\n",
         "market_reports.csv:2:summary: expected at most 4,000 characters, found 4,001"),
    ],
)  # fmt: skip
def test_text_out_of_bounds_is_refused_naming_row_and_column(
    world: Engine, text: str, message: str
) -> None:
    table = message.split(".csv")[0]
    result = imported(world, table, text)
    assert errors(result) == [message]
