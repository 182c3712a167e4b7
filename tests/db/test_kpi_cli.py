"""`python cli.py kpi targets` on the hand-written world (tests/world.py), by hand.

October 2026 revenue targets: R001 60,000.00 (rep E02 60,000.00), R002 40,000.00.
Actual October revenue: R001 25,000.00 + 5,000.50 = 30,000.50 (all E02); R002 20,000.00 (E03).
October is over on 2026-11-05: time elapsed 1, pace = attainment, no run-rate.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.db.test_cli import cli

OCTOBER = ["--from", "2026-10-01", "--to", "2026-10-31", "--as-of", "2026-11-05"]


@pytest.fixture
def db(world_file: Path) -> Path:
    return world_file


def kpi(db: Path, *args: str) -> list[dict]:
    done = cli(db, "kpi", "targets", *OCTOBER, "--metric", "revenue", *args)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_kpi_targets_by_region_gives_attainment_and_variance(db: Path) -> None:
    rows = kpi(db, "--by", "region")
    assert [(r["region"], r["target"], r["actual"], r["variance"]) for r in rows] == [
        ("R001", 60_000.00, 30_000.50, 30_000.50 - 60_000.00),
        ("R002", 40_000.00, 20_000.00, 20_000.00 - 40_000.00),
    ]
    assert rows[0]["attainment"] == 3_000_050 / 6_000_000
    assert rows[1]["attainment"] == 0.5
    assert [(r["time_elapsed"], r["pace"], r["required_run_rate"]) for r in rows] == [
        (1.0, 3_000_050 / 6_000_000, None),
        (1.0, 0.5, None),
    ]


def test_by_rep_a_rep_without_target_has_undefined_attainment(db: Path) -> None:
    rows = kpi(db, "--by", "rep")
    assert [(r["rep"], r["target"], r["actual"], r["attainment"], r["variance"]) for r in rows] == [
        ("E02", 60_000.00, 30_000.50, 3_000_050 / 6_000_000, 30_000.50 - 60_000.00),
        ("E03", None, 20_000.00, None, None),
    ]


def test_the_company_total_and_a_managers_scope(db: Path) -> None:
    assert [(r["target"], r["actual"]) for r in kpi(db)] == [(100_000.00, 50_000.50)]
    mine = kpi(db, "--as", "east", "--by", "region")
    assert [r["region"] for r in mine] == ["R001"], "a manager never sees R002"
    assert kpi(db, "--as", "east", "--region", "R002") == [], "a filter cannot widen the scope"


def test_csv_has_the_same_columns(db: Path) -> None:
    done = cli(
        db, "kpi", "targets", *OCTOBER, "--metric", "visits", "--by", "rep", "--format", "csv"
    )
    assert done.stdout.splitlines() == [
        "rep,metric,target,actual,attainment,variance,time_elapsed,pace,projection,required_run_rate",
        "E02,visits,40,1,0.025,-39,1.0,0.025,1,",
        "E03,visits,,1,,,1.0,,1,",
    ]


def test_an_unknown_user_is_bad_input(db: Path) -> None:
    done = cli(db, "kpi", "targets", "--as", "nobody")
    assert (done.returncode, done.stderr.strip()) == (2, "error: --as: no user 'nobody'")


def test_kpi_daily_gives_each_reps_day(db: Path) -> None:
    done = cli(db, "kpi", "daily", "--as-of", "2026-10-05")
    rows = {row["rep"]: row for row in json.loads(done.stdout)}
    assert rows["E02"] == {
        "rep": "E02", "planned": 1, "done": 1, "missed": 0, "unplanned": 0, "effective": 1,
        "open": 0, "revenue": 25_000.00, "collections": 0.0, "report_status": "approved",
        "on_time": True,
    }  # fmt: skip
    assert rows["E01"]["report_status"] == "missing"
    mine = cli(db, "kpi", "daily", "--as-of", "2026-10-06", "--as", "east")
    assert [row["rep"] for row in json.loads(mine.stdout)] == ["E01", "E02"]


def test_kpi_weekly_gives_the_monday_report_with_last_week(db: Path) -> None:
    # Week 2026-W41 = Mon 5 - Sun 11 Oct; October: 22 working days, company target 100,000.00.
    done = cli(db, "kpi", "weekly", "--from", "2026-10-07", "--as-of", "2026-10-12")
    rows = {row["metric"]: row for row in json.loads(done.stdout)}
    assert {row["week"] for row in rows.values()} == {"2026-W41"}
    week_target = 100_000 * 5 / 22
    assert rows["week_target"]["this_week"] == round(week_target, 2)
    assert rows["week_revenue"]["this_week"] == 25_000.00  # O1 on 5 Oct
    assert rows["week_attainment"]["this_week"] == pytest.approx(25_000 / week_target)  # 1.1
    # Month to date: 1, 2 and 5-9 October = 7 working days.
    assert rows["mtd_attainment"]["this_week"] == pytest.approx(25_000 / (100_000 * 7 / 22))
    # A1 done (sale), A2 missed, A3 done (contacted): 2 done, both effective, 1 sale.
    assert rows["effective_visit_rate"]["this_week"] == 2 / 2
    assert rows["transaction_rate"]["this_week"] == 1 / 2
    # Active reps: E01, E02 (E03 is inactive): 25,000 / 2; reports: DR1 by 19:30 of 10 slots.
    assert rows["sales_per_rep"]["this_week"] == 12_500.00
    assert rows["report_on_time_rate"]["this_week"] == 1 / (2 * 5)
    assert rows["new_customers"]["this_week"] == 1
    assert isinstance(rows["new_customers"]["this_week"], int), "a count prints as a whole number"
    # Last week (28 Sep - 4 Oct) had no orders: the change is the whole week.
    assert rows["week_revenue"]["last_week"] == 0.0
    assert rows["week_revenue"]["change"] == 25_000.00
    assert rows["week_attainment"]["last_week"] == 0.0


def test_kpi_monthly_ranks_regions_with_growth(db: Path) -> None:
    done = cli(db, "kpi", "monthly", "--from", "2026-10-01", "--as-of", "2026-11-05")
    rows = json.loads(done.stdout)
    # R001 30,000.50 / 60,000 = 50.0008 % ranks above R002 20,000 / 40,000 = 50 %.
    assert [(r["region"], r["rank"], r["attainment"]) for r in rows] == [
        ("R001", 1, 3_000_050 / 6_000_000),
        ("R002", 2, 0.5),
    ]
    assert [(r["mom"], r["yoy"]) for r in rows] == [(None, None), (None, None)], "no September"
