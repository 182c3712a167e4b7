"""Sign-off for a manager with many reps (issue 14.10, in part): one list with each report's
day in numbers and a tick box per report, approved at once."""

from __future__ import annotations

from datetime import date, datetime

from crm_core.scope import Role
from db import daily, users
from db.daily import ReportText
from db.users import Account
from tests.app.conftest import page_as

LINA = Account("lina", "李娜", Role.REP, "E02", (), "")


def test_the_queue_is_one_list_with_each_days_figures(world_app, monkeypatch) -> None:
    monkeypatch.setenv("CRM_AS_OF", "2026-10-08")
    with world_app.begin() as conn:
        users.add_user(conn, "east", "East", "manager", "pw", regions=["R001"])
    for day in (date(2026, 10, 6), date(2026, 10, 7)):
        daily.submit_report(world_app, LINA, day, ReportText(f"{day} 拜访"), datetime(2026, 10, 8))
    app = page_as("daily", "east", "manager")
    assert not app.exception
    [listed] = [d.value for d in app.dataframe if "Approve" in list(d.value.columns)]
    by_day = {row["Date"]: row for row in listed.to_dict("records")}
    # tests/world.py: A2 on 10-06 a planned call of E02, missed; nothing on 10-07
    figures = ("Planned", "Done", "Effective", "Sales")
    assert [by_day[date(2026, 10, 6)][k] for k in figures] == [1, 0, 0, 0]
    assert [by_day[date(2026, 10, 7)][k] for k in figures] == [0, 0, 0, 0]
    assert not any(listed["Approve"]), "nothing is ticked until the manager ticks it"
    assert app.button(key="approve_bulk").disabled
