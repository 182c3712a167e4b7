"""The Forecast page (issue 38.3): a rep submits their own call, a manager adjusts their
region's reps' calls with a note, the director sees the roll-up by region; the figures shown
are the read's."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from crm_core import formatting as fmt
from crm_core.scope import Scope
from db.engine import make_engine
from db.schema import User
from services import reads
from tests.app.conftest import AS_OF, all_text, page

pytestmark = pytest.mark.usefixtures("demo_db")


def forecasts(scope: Scope) -> reads.Forecasts:
    with make_engine().connect() as conn:
        return reads.forecasts(conn, scope, "2026-11", AS_OF)


def demo_rep() -> str:
    with make_engine().connect() as conn:
        return str(conn.scalar(select(User.rep_id).where(User.username == "rep")))


def test_a_rep_submits_their_own_call_prefilled_with_the_last_one() -> None:
    rep_id = demo_rep()
    before = forecasts(Scope.for_rep(rep_id)).reps.set_index("rep").loc[rep_id]
    app = page("forecast", "rep")
    assert not app.exception and not app.error
    assert [h.value for h in app.subheader] == ["My forecast", "How the call moved",
                                                "Forecast accuracy"]  # fmt: skip
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Target"] == fmt.money(before["target"])
    assert metrics["Actual"] == fmt.money(before["actual"])
    shown = before["submitted_commit"] if before["submitted_on"] else before["pipeline_commit"]
    assert app.number_input(key="fc_my_commit").value == shown / 100
    app.number_input(key="fc_my_commit").set_value(432_100.0)
    app.number_input(key="fc_my_best").set_value(500_000.0)
    app.button(key="fc_send").click().run()
    assert not app.exception and not app.error
    after = forecasts(Scope.for_rep(rep_id)).reps.set_index("rep").loc[rep_id]
    assert (after["submitted_commit"], after["submitted_best_case"]) == (43_210_000, 50_000_000)
    assert after["submitted_on"] == AS_OF
    assert f"You submitted ¥432,100 commit, ¥500,000 best case on {AS_OF}." in all_text(app)


def test_a_best_case_under_the_commit_is_refused_and_nothing_is_written() -> None:
    rep_id = demo_rep()
    before = len(forecasts(Scope.for_rep(rep_id)).history)
    app = page("forecast", "rep")
    app.number_input(key="fc_my_commit").set_value(600_000.0)
    app.number_input(key="fc_my_best").set_value(500_000.0)
    app.button(key="fc_send").click().run()
    assert [e.value.replace("\\", "") for e in app.error] == [  # as markdown, escaped
        "Not saved: best case: expected at least the commit (¥600,000.00), found ¥500,000.00"
    ]
    assert len(forecasts(Scope.for_rep(rep_id)).history) == before


def test_a_manager_adjusts_only_their_region_with_a_note() -> None:
    mine = forecasts(Scope.for_manager(["R001"]))
    app = page("forecast", "manager")
    assert not app.exception and not app.error
    assert {h.value for h in app.subheader} >= {"Each rep's call", "Forecast by region"}
    choices = app.selectbox(key="fc_adjust_rep").options
    assert len(choices) == len(mine.reps) and all("(" in c for c in choices)
    assert {c.rsplit("(", 1)[1].rstrip(")") for c in choices} == set(mine.reps.rep)
    rep_id = str(mine.reps.rep.iloc[0])
    app.selectbox(key="fc_adjust_rep").set_value(rep_id)
    app.number_input(key="fc_adjust_commit").set_value(123_000.0)
    app.number_input(key="fc_adjust_best").set_value(150_000.0)
    app.button(key="fc_adjust_go").click().run()
    assert [e.value.replace("\\", "") for e in app.error] == [
        "Not saved: note: say why the forecast is adjusted"
    ]
    app.text_input(key="fc_adjust_note").input("大客户推迟到十二月")
    app.button(key="fc_adjust_go").click().run()
    assert not app.exception and not app.error
    row = forecasts(Scope.for_manager(["R001"])).reps.set_index("rep").loc[rep_id]
    assert (row["commit"], row["best_case"], row["adjusted_by"]) == (12_300_000, 15_000_000,
                                                                      "manager")  # fmt: skip
    assert row["note"] == "大客户推迟到十二月" and row["adjusted_on"] == AS_OF


def test_the_director_sees_every_region_rolled_up() -> None:
    everything = forecasts(Scope.everything())
    app = page("forecast", "director")
    assert not app.exception and not app.error
    table = next(f.value for f in app.dataframe if "Submitted" in f.value.columns)
    assert len(table) == len(everything.regions)
    assert list(table["Number of reps"]) == list(everything.regions.reps)
    assert list(table["Commit"]) == [None if v is None else v / 100
                                     for v in everything.regions.commit]  # fmt: skip
    assert list(table["Submitted"]) == list(everything.regions.submitted)


def test_the_accuracy_of_last_month_in_chinese() -> None:
    with make_engine().connect() as conn:
        found = reads.forecast_accuracy(conn, Scope.everything(), "2026-10")
    app = page("forecast", "director", lang="zh")
    assert not app.exception and not app.error
    assert "预测准确度" in [h.value for h in app.subheader]
    table = next(f.value for f in app.dataframe if "近 6 个月平均偏差" in f.value.columns
                 and "业务员" in f.value.columns)  # fmt: skip
    assert len(table) == len(found.reps)
    assert set(table["倾向"]) <= {"保守压数", "准确", "偏乐观", fmt.UNDEFINED}
