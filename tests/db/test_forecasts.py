"""Forecasts reps commit to (issue 38.3) on SQLite and PostgreSQL: a rep submits their own,
a manager adjusts their region's reps', every record kept and audited; the roll-up, the
accuracy after the month, and the same through the CLI."""

from __future__ import annotations

import json
from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from crm_core.inputs import InputRefused
from crm_core.periods import iso_week_period
from crm_core.scope import Scope
from db.forecasts import ForecastRefused, adjust_forecast, records, submit_forecast
from db.schema import AuditEntry, ForecastEntry
from db.transactions import versions_of
from db.transfer import import_rows
from db.users import account, add_user
from services import reads
from services.weekly import monday_report
from tests.conftest import cli
from tests.world import LOADED_AS_OF, load_world, rows_of

D = date
# Two deals of E02 expected to close in October beside the world's (OP1 closes in December):
# ¥10,000 committed and ¥5,000 developed.
DEALS = (
    "opportunity_id,customer_id,rep_id,name,amount,stage,created_on,expected_close,closed_on,"
    "lost_reason\nOP3,C1,E02,年底备货,10000.00,committed,2026-09-10,2026-10-28,,\n"
    "OP4,C1,E02,新品试用,5000.00,developed,2026-09-15,2026-10-30,,\n"
)


@pytest.fixture
def world(engine: Engine) -> Engine:
    load_world(engine)
    result = import_rows(engine, "opportunities", rows_of(DEALS), "o.csv", as_of=LOADED_AS_OF)
    assert result.ok, [str(e) for e in result.errors]
    with engine.begin() as conn:
        add_user(conn, "boss", "Boss", "director", "pw")
        add_user(conn, "east", "East", "manager", "pw", regions=["R001"])
        add_user(conn, "south", "South", "manager", "pw", regions=["R002"])
        add_user(conn, "zhang", "张伟", "rep", "pw", rep_id="E01")
        add_user(conn, "li", "李娜", "rep", "pw", rep_id="E02")
    return engine


def who(engine: Engine, username: str) -> object:
    with engine.connect() as conn:
        return account(conn, username)


def calls_of_october(engine: Engine) -> None:
    """李娜 calls ¥50,000 / ¥70,000 on 5 Oct; her manager lowers the commit to ¥45,000 on the
    12th; she calls ¥55,000 / ¥75,000 on the 19th."""
    li, east = who(engine, "li"), who(engine, "east")
    submit_forecast(engine, li, "E02", "2026-10", 5_000_000, 7_000_000, D(2026, 10, 5))
    adjust_forecast(engine, east, "E02", "2026-10", 4_500_000, None, "OP1 slips to December",
                    D(2026, 10, 12))  # fmt: skip
    submit_forecast(engine, li, "E02", "2026-10", 5_500_000, 7_500_000, D(2026, 10, 19))


def count(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(ForecastEntry)) or 0)


def test_the_manager_sees_the_call_in_force_beside_the_pipeline(world: Engine) -> None:
    with world.connect() as conn:
        before = versions_of(conn, ["forecasts"])
    calls_of_october(world)
    with world.connect() as conn:
        loaded = reads.forecasts(conn, Scope.for_manager(["R001"]), "2026-10", D(2026, 10, 21))
        trail = conn.execute(
            select(AuditEntry.username).where(AuditEntry.table_name == "forecasts")
        ).all()
        after = versions_of(conn, ["forecasts"])
    e02 = loaded.reps.set_index("rep").loc["E02"].to_dict()
    # target ¥60,000; sold ¥25,000 + ¥5,000.50 by the 21st; pre-fill + ¥10,000 committed,
    # + ¥5,000 developed; weighted 10,000 × 90 % + 5,000 × 60 % = ¥12,000
    assert e02 == {
        "name": "李娜", "region": "R001", "target": 6_000_000, "actual": 3_000_050,
        "pipeline_commit": 4_000_050, "pipeline_best_case": 4_500_050,
        "submitted_commit": 5_500_000, "submitted_best_case": 7_500_000,
        "submitted_on": D(2026, 10, 19), "commit": 4_500_000, "best_case": 7_500_000,
        "adjusted_on": D(2026, 10, 12), "adjusted_by": "east", "note": "OP1 slips to December",
        "weighted_pipeline": 1_200_000,
    }  # fmt: skip
    region = loaded.regions.set_index("region").loc["R001"].to_dict()
    assert (region["reps"], region["submitted"], region["commit"], region["target"]) == (
        2, 1, 4_500_000, 6_000_000)  # fmt: skip
    assert len(loaded.history) == 3 and [r.username for r in trail] == ["li", "east", "li"]
    assert after[0] == before[0] + 3
    # the week ends of October to the 21st (the 4th, 11th, 18th) and the 21st: the adjustment
    # of the 12th holds from the 18th
    assert [(m.day.day, m.commit) for m in loaded.movement.itertuples()] == [
        (4, None), (11, 5_000_000), (18, 4_500_000), (21, 4_500_000)]  # fmt: skip


def test_a_rep_submits_only_their_own_and_a_manager_adjusts_only_their_region(
    world: Engine,
) -> None:
    zhang, li, south = who(world, "zhang"), who(world, "li"), who(world, "south")
    refusals = [
        (lambda: submit_forecast(world, zhang, "E02", "2026-10", 1, 2, D(2026, 10, 5)),
         "only their own"),
        (lambda: submit_forecast(world, who(world, "east"), "E02", "2026-10", 1, 2,
                                 D(2026, 10, 5)), "only their own"),
        (lambda: adjust_forecast(world, south, "E02", "2026-10", 1, None, "x", D(2026, 10, 5)),
         "no rep 'E02' you can see"),
        (lambda: adjust_forecast(world, li, "E02", "2026-10", 1, None, "x", D(2026, 10, 5)),
         "only a manager or the director"),
        (lambda: submit_forecast(world, li, "E02", "2026-09", 1, 2, D(2026, 10, 5)),
         "expected 2026-10 or a later month"),
        (lambda: submit_forecast(world, li, "E02", "2026-13", 1, 2, D(2026, 10, 5)),
         "expected YYYY-MM"),
        (lambda: submit_forecast(world, li, "E02", "2026-10", 3, 2, D(2026, 10, 5)),
         "at least the commit"),
        (lambda: adjust_forecast(world, who(world, "east"), "E02", "2026-10", 1, None, " ",
                                 D(2026, 10, 5)), "say why"),
    ]  # fmt: skip
    for attempt, reason in refusals:
        with pytest.raises((ForecastRefused, InputRefused), match=reason):
            attempt()
    assert count(world) == 0
    # an adjusted commit above the best case in force is refused, naming both
    submit_forecast(world, li, "E02", "2026-10", 100_000, 200_000, D(2026, 10, 5))
    with pytest.raises(InputRefused, match=r"at least the commit \(¥3,000.00\), found ¥2,000"):
        adjust_forecast(world, who(world, "boss"), "E02", "2026-10", 300_000, None, "up",
                        D(2026, 10, 6))  # fmt: skip
    assert count(world) == 1
    with world.connect() as conn:
        assert records(conn, Scope.for_manager(["R002"]), ["2026-10"]).empty
        assert len(records(conn, Scope.for_rep("E02"), ["2026-10"])) == 1
        assert records(conn, Scope.for_rep("E01"), ["2026-10"]).empty
        south_view = reads.forecasts(conn, Scope.for_manager(["R002"]), "2026-10",
                                     D(2026, 10, 21))  # fmt: skip
    assert south_view.reps.empty and south_view.history.empty


def test_accuracy_after_the_month_takes_the_call_in_force_at_its_end(world: Engine) -> None:
    calls_of_october(world)
    # made on 2 November: too late to count for October
    with world.begin() as conn:
        conn.execute(ForecastEntry.__table__.insert().values(
            rep_id="E02", month="2026-10", kind="adjusted", commit_cents=3_000_000,
            best_case_cents=None, note="late", day=D(2026, 11, 2), made_by="east",
            made_at=D(2026, 11, 2)))  # fmt: skip
    with world.connect() as conn:
        accuracy = reads.forecast_accuracy(conn, Scope.everything(), "2026-10")
    e02 = accuracy.reps.set_index("rep").loc["E02"]
    # the adjusted ¥45,000 against ¥30,000.50 sold in October
    error = float(Fraction(4_500_000 - 3_000_050, 3_000_050))
    assert (e02["forecast"], e02["actual"]) == (4_500_000, 3_000_050)
    assert e02["error"] == pytest.approx(error) and e02["bias"] == pytest.approx(error)
    assert (e02["months"], e02["tendency"]) == (1, "optimistic")
    region = accuracy.regions.set_index("region").loc["R001"]
    assert (region["forecast"], region["actual"], region["reps"]) == (4_500_000, 3_000_050, 1)


def test_the_cli_submits_adjusts_and_rolls_up(world_file: Path) -> None:
    env = {"CRM_AS_OF": "2026-10-21"}
    engine_users = [("li", "rep", "--rep", "E02"), ("boss", "director")]
    for name, role, *more in engine_users:
        done = cli(world_file, "user", "add", name, "--role", role, *more,
                   stdin="a long pass phrase\n")  # fmt: skip
        assert done.returncode == 0, done.stderr
    submitted = cli(world_file, "forecast", "submit", "--rep", "E02", "--month", "2026-10",
                    "--commit", "50,000", "--best-case", "¥70000", "--as", "li",
                    env=env)  # fmt: skip
    assert submitted.returncode == 0, submitted.stderr
    assert "commit ¥50,000.00, best case ¥70,000.00, on 2026-10-21" in submitted.stdout
    adjusted = cli(world_file, "forecast", "adjust", "--rep", "E02", "--month", "2026-10",
                   "--best-case", "60000", "--note", "C2 not before Dec", "--as", "east",
                   env=env)  # fmt: skip
    assert adjusted.returncode == 0, adjusted.stderr
    refused = cli(world_file, "forecast", "submit", "--rep", "E01", "--month", "2026-10",
                  "--commit", "1", "--best-case", "2", "--as", "li", env=env)  # fmt: skip
    assert refused.returncode == 2 and "only their own" in refused.stderr
    bad = cli(world_file, "forecast", "adjust", "--rep", "E02", "--month", "2026-10",
              "--commit", "1.234", "--note", "x", "--as", "east", env=env)  # fmt: skip
    assert bad.returncode == 2 and "--commit: expected at most 2 decimals" in bad.stderr
    rows = json.loads(cli(world_file, "kpi", "submitted_forecast", "--as", "east",
                          env=env).stdout)  # fmt: skip
    e02 = next(r for r in rows if r["rep"] == "E02")
    assert {k: e02[k] for k in ("target", "actual", "submitted_commit", "submitted_best_case",
                                "commit", "best_case", "weighted_pipeline")} == {
        "target": 60_000.0, "actual": 30_000.5, "submitted_commit": 50_000.0,
        "submitted_best_case": 70_000.0, "commit": 50_000.0, "best_case": 60_000.0,
        "weighted_pipeline": 0.0,
    }  # fmt: skip
    regions = json.loads(cli(world_file, "kpi", "submitted_forecast", "--by", "region",
                             env=env).stdout)  # fmt: skip
    # R002's only rep is inactive: no row
    assert [(r["region"], r["reps"], r["submitted"], r["commit"]) for r in regions] == [
        ("R001", 2, 1, 50_000.0)]  # fmt: skip
    after = {"CRM_AS_OF": "2026-11-05"}
    accuracy = json.loads(cli(world_file, "kpi", "forecast_accuracy", "--from", "2026-10-01",
                              "--by", "region", env=after).stdout)  # fmt: skip
    assert accuracy == [{"region": "R001", "month": "2026-10", "reps": 1, "forecast": 50_000.0,
                         "actual": 30_000.5, "error": pytest.approx(50_000 / 30_000.5 - 1),
                         "bias": pytest.approx(50_000 / 30_000.5 - 1), "months": 1,
                         "tendency": "optimistic"}]  # fmt: skip


def test_the_monday_report_lists_the_calls_of_the_meeting_month(world: Engine) -> None:
    calls_of_october(world)
    with world.connect() as conn:
        # W42 is 12–18 October: the meeting on the 19th is about October, as of the 18th
        report = monday_report(conn, Scope.for_manager(["R001"]), iso_week_period("2026-W42"),
                               "华东区")  # fmt: skip
    rows = report.forecast.to_dict("records")
    # E01 has no call and comes first; E02: the adjusted ¥45,000 of the 12th, the call of the
    # 5th (the one of the 19th is after the week); ¥25,000 sold by the 18th
    assert [r["rep"] for r in rows] == ["E01", "E02"]
    assert rows[1] == {
        "rep": "E02", "name": "李娜", "target": 6_000_000, "actual": 2_500_000,
        "commit": 4_500_000, "best_case": 7_000_000, "weighted_pipeline": 1_200_000,
        "submitted_on": D(2026, 10, 5), "last_error": None, "bias": None, "tendency": None,
    }  # fmt: skip
    assert rows[0]["commit"] is None and rows[0]["target"] is None
