"""`python cli.py kpi targets` on the hand-written world (tests/world.py), by hand.

October 2026 revenue targets: R001 60,000.00 (rep E02 60,000.00), R002 40,000.00.
Actual October revenue: R001 25,000.00 + 5,000.50 = 30,000.50 (all E02); R002 20,000.00 (E03).
October is over on 2026-11-05: time elapsed 1, pace = attainment, no run-rate.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import cli, kpi_rows

OCTOBER = ["--from", "2026-10-01", "--to", "2026-10-31", "--as-of", "2026-11-05"]


@pytest.fixture
def db(world_file: Path) -> Path:
    return world_file


def kpi(db: Path, *args: str) -> list[dict]:
    return kpi_rows(db, "targets", *OCTOBER, "--metric", "revenue", *args)


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
        "rep,metric,target,actual,attainment,variance,time_elapsed,pace,projection,"
        "required_run_rate,rolled_up",
        "E02,visits,40,1,0.025,-39,1.0,0.025,1,,False",
        "E03,visits,,1,,,1.0,,1,,False",
    ]


def test_an_unknown_user_is_bad_input(db: Path) -> None:
    done = cli(db, "kpi", "targets", "--as", "nobody")
    assert (done.returncode, done.stderr.strip()) == (2, "error: --as: no user 'nobody'")


def test_kpi_daily_gives_each_reps_day(db: Path) -> None:
    done = cli(db, "kpi", "daily", "--as-of", "2026-10-05")
    rows = {row["rep"]: row for row in json.loads(done.stdout)}
    assert rows["E02"] == {
        "rep": "E02",
        "planned": 1,
        "done": 1,
        "missed": 0,
        "unplanned": 0,
        "effective": 1,
        "open": 0,
        "revenue": 25_000.00,
        "collections": 0.0,
        "report_status": "approved",
        "on_time": True,
    }
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


def test_kpi_call_funnel_reproduces_the_source_texts_table(
    world_file: Path, tmp_path: Path
) -> None:
    # 100 calls by E02 to C1 on 2026-11-02: 50 no contact, 37 contacted, 8 presentations
    # (after an appointment), 5 sales; and one order of ¥200,000 that month.
    outcomes = ["no_contact"] * 50 + ["contacted"] * 37 + ["presentation"] * 8 + ["sale"] * 5
    header = "activity_id,date,rep_id,customer_id,kind,purpose,status,planned,outcome"
    lines = [f"K{i:03d},2026-11-02,E02,C1,call,order,done,true,{o}" for i, o in enumerate(outcomes)]
    (tmp_path / "calls.csv").write_text("\n".join([header, *lines]) + "\n")
    order = "order_id,date,customer_id,rep_id,product_id,quantity,amount,cost\n"
    order += "O99,2026-11-03,C1,E02,P1,1,200000.00,150000.00\n"
    (tmp_path / "order.csv").write_text(order)
    assert cli(world_file, "import", "activities", str(tmp_path / "calls.csv")).returncode == 0
    assert cli(world_file, "import", "orders", str(tmp_path / "order.csv")).returncode == 0
    done = cli(world_file, "kpi", "call_funnel", "--from", "2026-11-01", "--to", "2026-11-30")
    rows = json.loads(done.stdout)
    assert [(r["step"], r["count"]) for r in rows] == [
        ("dialed", 100),
        ("completed", 50),
        ("appointment", 13),
        ("presentation", 13),
        ("sale", 5),
    ]
    assert [r["conversion"] for r in rows] == [None, 50 / 100, 13 / 50, 13 / 13, 5 / 13]
    assert rows[0]["revenue"] == 200_000.00
    assert rows[0]["revenue_per_call"] == 2_000.00, "the source prints ¥200: an arithmetic slip"
    assert rows[0]["commission_per_call"] == 100.00
    eight = cli(
        world_file,
        "kpi",
        "call_funnel",
        "--from",
        "2026-11-01",
        "--to",
        "2026-11-30",
        "--commission-rate",
        "0.08",
    )
    assert json.loads(eight.stdout)[0]["commission_per_call"] == 2_000 * 0.08


def test_kpi_efficiency_and_cadence_per_rep(world_file: Path) -> None:
    # October: E02 A1 done (visit, sale, 60 min, ¥150) and A2 missed; E03 A3 done (10 min, ¥2).
    done = cli(
        world_file, "kpi", "efficiency", "--from", "2026-10-01", "--to", "2026-10-31", "--by", "rep"
    )
    rows = {r["rep"]: r for r in json.loads(done.stdout)}
    assert rows["E02"]["plan_adherence"] == 1 / 2
    assert rows["E02"]["transaction_rate"] == 1.0
    assert rows["E02"]["roi_per_hour"] == 30_000.50 / 1, "¥30,000.50 of orders in one hour"
    assert rows["E03"]["cost_per_activity"] == 2.00
    cadence = cli(world_file, "kpi", "cadence", "--as-of", "2026-11-05", "--by", "rep")
    by_rep = {r["rep"]: r for r in json.loads(cadence.stdout)}
    # E02: C1 (key) visited 5 Oct (31 days: within 91) but never called → overdue; C2 (normal)
    # called 6 Oct but missed, so never contacted → overdue. E03: C3 (low) called 6 Oct, never
    # visited → overdue.
    assert (by_rep["E02"]["customers"], by_rep["E02"]["overdue"]) == (2, 2)
    assert by_rep["E03"]["compliance"] == 0.0


# ---------------------------------------------------------------- issue 13.10
# October 2026 has 22 working days; on Wednesday 2026-10-14 ten have elapsed (1–2, 5–9,
# 12–14), twelve remain. E02's visits: target 40, one visit done (A1 on 10-05).


def visits(db: Path, *args: str, env: dict | None = None) -> list[dict]:
    base = ["kpi", "targets", "--from", "2026-10-01", "--to", "2026-10-31", "--metric", "visits"]
    done = cli(db, *base, *args, env=env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_a_counts_projection_and_run_rate_keep_their_fractions(db: Path) -> None:
    [row] = visits(db, "--by", "rep", "--rep", "E02", "--as-of", "2026-10-14")
    assert (row["target"], row["actual"]) == (40, 1)
    assert row["projection"] == pytest.approx(1 / (10 / 22))  # 2.2, not 2
    assert row["required_run_rate"] == pytest.approx((40 - 1) / 12)  # 3.25, not 3


def test_the_cli_honours_crm_as_of_like_the_app(db: Path) -> None:
    pinned = visits(db, "--by", "rep", "--as-of", "2026-10-14")
    from_env = visits(db, "--by", "rep", env={"CRM_AS_OF": "2026-10-14"})
    assert from_env == pinned
    assert from_env[0]["time_elapsed"] == pytest.approx(10 / 22)


def test_a_target_set_only_for_reps_rolls_up_to_region_and_company(db: Path) -> None:
    [company] = visits(db, "--as-of", "2026-11-05")
    assert (company["target"], company["rolled_up"]) == (40, True)
    regions = visits(db, "--by", "region", "--as-of", "2026-11-05")
    assert [(r["region"], r["target"], r["rolled_up"]) for r in regions] == [
        ("R001", 40, True),
        ("R002", None, False),
    ]


def run_kpi(db: Path, *args: str) -> list[dict]:
    return kpi_rows(db, *args, "--as-of", "2026-11-05")


def test_a_reps_customers_are_their_orders_and_their_open_deals(db: Path) -> None:
    # E02 in October: C1 bought 25,000.00 + 5,000.50 at a cost of 15,000.00 + 3,000.25 in 2
    # orders; C2 has OP1 (80,000.00, qualified) open on 2026-11-05
    rows = run_kpi(db, "rep_customers", "--rep", "E02", "--from", "2026-10-01")
    assert [tuple(r.values()) for r in rows] == [
        ("C1", "上海鑫达贸易有限公司", 30_000.50, 10_000.00 + 2_000.25, 2, 0, 0.0),
        ("C2", "杭州恒通实业有限公司", 0.0, 0.0, 0, 1, 80_000.00),
    ]
    assert cli(db, "kpi", "rep_customers").returncode != 0, "one --rep is required"
    assert run_kpi(db, "rep_customers", "--rep", "E03", "--as", "east") == [], "scoped"


def test_open_deals_purposes_and_key_lists_by_hand(db: Path) -> None:
    # OP1 entered "qualified" on 2026-10-01: 35 days before 2026-11-05
    deals = run_kpi(db, "open_deals")
    assert [(d["opportunity_id"], d["stage"], d["amount"], d["days_in_stage"]) for d in deals] == [
        ("OP1", "qualified", 80_000.00, 35)
    ]
    # October's done activities: A1 (visit, order) and A3 (call, service); A2 was missed
    purposes = run_kpi(db, "purposes", "--from", "2026-10-01")
    assert [tuple(p.values()) for p in purposes] == [("call", "service", 1), ("visit", "order", 1)]
    # two customers bought: the top 20 % rounded up is one, C1 (margin 12,000.25, served at
    # 150.00); the most growable of the rest is C2 (potential 300,000.00, no revenue)
    lists = run_kpi(db, "key_lists")
    assert [(r["list"], r["customer_id"], r["headroom"], r["net"]) for r in lists] == [
        ("mvc", "C1", 1_200_000.00 - 30_000.50, 12_000.25 - 150.00),
        ("mgc", "C2", 300_000.00, 0.0),
    ]


def test_a_section_of_the_monday_report(db: Path) -> None:
    # week 2026-W41 (5–9 Oct): E02's target 60,000.00 × 5 of October's 22 working days; sold
    # 25,000.00 (O1); no daily report on 4 of the 5 days (DR1 on the 5th)
    reps = {r["rep"]: r for r in run_kpi(db, "monday", "--section", "reps", "--from", "2026-10-05")}
    assert reps["E02"]["week_target"] == round(60_000 * 5 / 22, 2)
    assert (reps["E02"]["week_revenue"], reps["E02"]["reports_missing"]) == (25_000.00, 4)
    decisions = run_kpi(db, "monday", "--from", "2026-10-05")
    assert {d["about"] for d in decisions} >= {"E02"}
    assert all(set(d) == {"severity", "about", "name", "region", "reason"} for d in decisions)
