"""The demo generator is deterministic and plausible (issue 2 ranges)."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine, text

from db import demo, migrate
from db.engine import make_engine
from db.formats import TABLE_NAMES
from db.transfer import export_records

END = date(2026, 11, 20)


def checksum(engine: Engine) -> str:
    digest = hashlib.sha256()
    with engine.connect() as conn:
        for table in TABLE_NAMES:
            for row in export_records(conn, table):
                digest.update("\x1f".join(row).encode())
    return digest.hexdigest()


def fresh(tmp_path: Path, name: str) -> Engine:
    engine = make_engine(f"sqlite:///{tmp_path / name}")
    migrate.upgrade(engine)
    return engine


def test_same_seed_gives_the_same_data_and_another_seed_other_data(tmp_path: Path) -> None:
    sums = []
    for name, seed in (("a.sqlite", 7), ("b.sqlite", 7), ("c.sqlite", 8)):
        engine = fresh(tmp_path, name)
        demo.generate(engine, "S", seed, END)
        sums.append(checksum(engine))
    assert sums[0] == sums[1]
    assert sums[0] != sums[2]


@pytest.mark.postgres
def test_postgresql_loads_by_copy_the_same_rows_as_sqlite(
    request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    from tests.conftest import postgres_url

    sqlite = fresh(tmp_path, "x.sqlite")
    postgres = make_engine(postgres_url(request))
    migrate.upgrade(postgres)
    counts = [demo.generate(engine, "XS", 5, END) for engine in (sqlite, postgres)]
    assert counts[0] == counts[1] and counts[0]["activities"] > 1_000
    assert checksum(postgres) == checksum(sqlite)  # every row of every table, as exported
    with postgres.connect() as conn:  # the defaults a row leaves out were written too
        assert conn.scalar(text("SELECT count(*) FROM reps WHERE active IS NULL")) == 0
        # the planner's statistics are gathered at once (db.engine.refresh_statistics)
        unanalysed = conn.scalars(
            text("SELECT relname FROM pg_stat_user_tables WHERE last_analyze IS NULL")
        ).all()
        assert unanalysed == []
    postgres.dispose()


def test_demo_refuses_a_database_that_is_not_empty(engine: Engine) -> None:
    demo.generate(engine, "XS", 1, END)
    with pytest.raises(demo.DemoError, match="not empty"):
        demo.generate(engine, "XS", 1, END)


@pytest.fixture(scope="module")
def two_years(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    engine = fresh(tmp_path_factory.mktemp("demo"), "two.sqlite")
    demo.generate(engine, demo.Size(3, 20, 1_500, 2), 11, END)
    return engine


def frame(engine: Engine, sql: str) -> pd.DataFrame:
    with engine.connect() as conn:
        return pd.read_sql(text(sql), conn)


def test_call_funnel_is_near_the_source_texts_ratios(two_years: Engine) -> None:
    calls = frame(two_years, "SELECT outcome FROM activities WHERE kind='call' AND status='done'")
    steps = ["no_contact", "contacted", "appointment", "presentation", "sale"]
    reached = [calls.outcome.isin(steps[k:]).mean() for k in range(1, 5)]
    assert 0.45 <= reached[0] <= 0.55, "about half the calls reach someone"
    assert 0.10 <= reached[1] <= 0.15, "10-15 % get an appointment"
    assert 0.03 <= reached[3] <= 0.07, "about 5 % end in a sale"


def test_yearly_attrition_is_between_5_and_25_percent(two_years: Engine) -> None:
    orders = frame(two_years, "SELECT customer_id, date FROM orders")
    orders["date"] = pd.to_datetime(orders["date"])
    year_start = pd.Timestamp(END) - pd.DateOffset(years=1)
    before = set(
        orders[
            (orders.date >= year_start - pd.DateOffset(years=1)) & (orders.date < year_start)
        ].customer_id
    )
    during = set(orders[orders.date >= year_start].customer_id)
    attrition = len(before - during) / len(before)
    assert 0.05 <= attrition <= 0.25


def test_revenue_has_a_pareto_shape_and_seasonality(two_years: Engine) -> None:
    by_customer = frame(two_years, "SELECT SUM(amount_cents) AS r FROM orders GROUP BY customer_id")
    ranked = by_customer.r.sort_values(ascending=False)
    assert ranked.head(len(ranked) // 5).sum() / ranked.sum() >= 0.6
    by_month = (
        frame(
            two_years,
            "SELECT substr(date, 6, 2) AS m, SUM(amount_cents) AS r FROM orders "
            "WHERE date < '2026-11-01' GROUP BY m",
        )
        .set_index("m")
        .r
    )
    assert by_month["02"] < 0.8 * by_month.mean(), "Spring Festival dip"
    assert by_month["12"] > 1.1 * by_month.mean(), "year-end peak"


def test_daily_reports_include_late_missing_and_returned_ones(two_years: Engine) -> None:
    reports = frame(two_years, "SELECT rep_id, date, submitted_at, status FROM daily_reports")
    submitted = pd.to_datetime(reports.submitted_at)
    late = submitted > pd.to_datetime(reports.date) + pd.Timedelta(hours=20)
    assert 0.02 < late.mean() < 0.5
    assert (reports.status == "returned").any()
    workdays = pd.bdate_range(END - pd.DateOffset(years=2) + pd.offsets.MonthBegin(0), END)
    assert len(reports) < 20 * len(workdays), "some reports are missing"


def test_every_opportunity_has_a_stage_history_starting_identified(two_years: Engine) -> None:
    missing = frame(
        two_years,
        "SELECT o.opportunity_id FROM opportunities o LEFT JOIN opportunity_stages s "
        "ON s.opportunity_id = o.opportunity_id AND s.stage = 'identified' "
        "WHERE s.opportunity_id IS NULL",
    )
    assert missing.empty
    stages = frame(two_years, "SELECT stage, COUNT(*) AS n FROM opportunities GROUP BY stage")
    assert {"won", "lost", "identified", "committed"} <= set(stages.stage)


def test_targets_reconcile_rep_to_region_to_company(two_years: Engine) -> None:
    targets = frame(two_years, "SELECT period, metric, amount, region_id, rep_id FROM targets")
    reps = targets[targets.rep_id.notna()].groupby(["period", "metric", "region_id"]).amount.sum()
    regions = targets[targets.rep_id.isna() & targets.region_id.notna()]
    region_amounts = regions.set_index(["period", "metric", "region_id"]).amount.sort_index()
    assert region_amounts.to_dict() == reps.sort_index().to_dict()
    company = targets[targets.region_id.isna()].set_index(["period", "metric"]).amount
    assert regions.groupby(["period", "metric"]).amount.sum().to_dict() == company.to_dict()
    assert targets.period.max() == "2026-12", "targets run to the end of the current year"


def test_demo_users_are_marked_and_scoped(two_years: Engine) -> None:
    users = frame(
        two_years,
        "SELECT u.username, u.role, u.rep_id, u.is_demo, ur.region_id, r.region_id AS rep_region "
        "FROM users u LEFT JOIN user_regions ur ON ur.username = u.username "
        "LEFT JOIN reps r ON r.rep_id = u.rep_id ORDER BY u.username",
    )
    assert list(users.username) == ["director", "manager", "rep"]
    assert users.is_demo.all()
    assert users.set_index("username").loc["manager", "region_id"] == "R001"
    assert users.set_index("username").loc["rep", "rep_region"] == "R001"


def test_the_demo_draws_its_codes_from_the_vocabulary() -> None:
    from crm_core import vocabulary
    from db.demo import world

    assert sorted(world.PURPOSES) == sorted(vocabulary.PURPOSES)
    assert len(world.PURPOSE_WEIGHTS) == len(world.PURPOSES)
    assert tuple(world.OUTCOMES) == vocabulary.OUTCOMES
