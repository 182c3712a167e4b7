"""The pipeline page (issue 7): coverage per rep for this month and next, rotting deals by
amount, all inside the viewer's scope, the numbers the same as the core's."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import select

from crm_core import formatting as fmt
from crm_core import pipeline as core
from crm_core.periods import month_period
from crm_core.scope import Scope
from db import pipeline as pipeline_db
from db.engine import make_engine
from db.schema import Customer, Rep, User
from tests.app.conftest import AS_OF, all_text, card_money, page

pytestmark = pytest.mark.usefixtures("demo_db")
EAST = Scope.for_manager(["R001"])
DECEMBER = month_period("2026-12")


def tables_with(app: object, column: str) -> list:
    return [d.value for d in app.dataframe if column in getattr(d.value, "columns", [])]


def styled_tables_with(app: object, column: str) -> list:
    frames = [getattr(d.value, "data", d.value) for d in app.dataframe]
    return [f for f in frames if column in f.columns]


def test_a_director_sees_next_months_coverage_per_rep_and_the_rotting_deals() -> None:
    app = page("pipeline", "director")
    assert not app.exception and not [e for e in app.error]
    with make_engine().connect() as conn:
        deals = pipeline_db.open_deals(conn, Scope.everything(), AS_OF)
        december = pipeline_db.coverage_table(conn, Scope.everything(), DECEMBER, AS_OF, "rep")
    coverage = styled_tables_with(app, "Coverage")
    assert len(coverage) == 2  # this month and next
    shown = coverage[1]
    assert len(shown) == len(december) > 0
    for (_, row), expected in zip(shown.iterrows(), december.to_dict("records"), strict=True):
        assert row["Rep"].endswith(f"({expected['rep']})")
        assert row["Pipeline"] == expected["pipeline"] / 100  # yuan, a number that sorts
        assert row["Status"] == {
            "short": "below 1×", "thin": "below 3×", "ok": "3× or more", "met": "target met",
            "no_target": "no target",
        }[expected["status"]]  # fmt: skip
    rotting = core.stale(deals, AS_OF)
    stale = tables_with(app, "Days in stage")[0]
    assert len(stale) == len(rotting) > 0
    assert list(stale["Amount"]) == [a / 100 for a in rotting.amount]  # largest first
    total = core.open_pipeline(deals).set_index("stage").loc["total"]
    metrics = {m.label: (m.value, m.help) for m in app.metric}
    assert metrics["Open deals"] == (fmt.count(total["count"]), "")
    assert total.weighted >= 100_000_000, "S's weighted pipeline is over ¥1,000,000: shown short"
    assert metrics["Weighted"] == card_money(total.weighted)


def test_a_manager_sees_only_their_regions_deals_and_reps() -> None:
    app = page("pipeline", "manager")
    assert not app.exception
    with make_engine().connect() as conn:
        others = list(conn.scalars(select(Rep.name).where(Rep.region_id != "R001")))
        foreign = list(conn.scalars(select(Customer.name).where(Customer.region_id != "R001")))
        mine = pipeline_db.open_deals(conn, EAST, AS_OF)
    assert {m.label: m.value for m in app.metric}["Open deals"] == fmt.count(len(mine))
    text = all_text(app)
    assert not [name for name in others + foreign if name in text], "nothing of another region"


def test_a_rep_sees_their_own_pipeline_only() -> None:
    app = page("pipeline", "rep")
    assert not app.exception
    with make_engine().connect() as conn:
        rep_id = conn.scalar(select(User.rep_id).where(User.username == "rep"))
        mine = pipeline_db.open_deals(conn, Scope.for_rep(rep_id), AS_OF)
    assert {m.label: m.value for m in app.metric}["Open deals"] == fmt.count(len(mine))
    for table in styled_tables_with(app, "Coverage"):
        assert all(label.endswith(f"({rep_id})") for label in table["Rep"])


def test_a_missing_value_reads_as_a_dash_not_none() -> None:
    # the funnel's "open pipeline" row has no probability, cohort or conversion: the grid
    # said "None" there; every table of every page now says "—" (docs/kpis.md: undefined)
    from ui.navigation import PAGES

    funnel = tables_with(page("pipeline", "director"), "Stage conversion")[0]
    assert funnel.iloc[-1][["Probability", "Entered", "Stage conversion"]].isna().all()
    shown = {}
    for spec in PAGES:  # the meeting screen's first slide has no table
        shown[spec.page_id] = {
            d.proto.placeholder for d in page(spec.page_id, "director").dataframe
        }
    assert shown == {spec.page_id: {"—"} for spec in PAGES if spec.page_id != "meeting"} | {
        "meeting": set()
    }


def test_a_month_without_targets_or_deals_says_what_is_missing() -> None:
    from ui.pipeline_view import coverage_missing

    columns = ["rep", "target", "actual", "remaining", "pipeline", "coverage", "status"]
    unsplit = pd.DataFrame([("E1", None, 0, None, 50_000, None, "no_target")], columns=columns)
    rows = [("E1", 100, 0, 100, 0, 0.0, "short"), ("E2", None, 0, None, None, None, "no_target")]
    no_deals = pd.DataFrame(rows, columns=columns)
    some = pd.DataFrame([("E1", 100, 0, 100, 30, 0.3, "short")], columns=columns)
    assert coverage_missing(unsplit) == "no_targets"
    assert coverage_missing(no_deals) == "no_deals"
    assert coverage_missing(some) is None
