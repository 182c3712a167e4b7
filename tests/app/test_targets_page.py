"""The targets page (issue 4): numbers equal the core's, the editor saves reconciled targets."""

from __future__ import annotations

import pandas as pd
import pytest

from crm_core.breakdown import mismatches
from crm_core.periods import Period, month_period
from crm_core.presets import preset_period
from crm_core.scope import Role, Scope
from db import queries, targets, users
from db.engine import make_engine
from db.users import Account
from services import measures
from services.reads import history_window
from tests.app.conftest import AS_OF, page, page_as

pytestmark = pytest.mark.usefixtures("demo_db")
EAST = Scope.for_manager(["R001"])
YEAR_2027 = [f"2027-{m:02d}" for m in range(1, 13)]


def core_table(scope: Scope, by: list[str], period: Period) -> pd.DataFrame:
    with make_engine().connect() as conn:
        return measures.targets_table(conn, scope, period, AS_OF, by, ["revenue"])


def test_a_managers_region_and_rep_tables_show_the_cores_numbers() -> None:
    app = page("targets", "manager")
    assert not app.exception
    period = preset_period("this_month", AS_OF)
    regions = core_table(EAST, ["region"], period)
    shown = table_with(app, "Region")
    assert list(shown["Region"]) == ["华东区 (R001)"]
    # numbers stay numbers (issue 14.1): money in yuan, ratios in percent (one decimal shown)
    assert list(shown["Target"]) == [v / 100 for v in regions.target]
    assert list(shown["Actual"]) == [v / 100 for v in regions.actual]
    assert list(shown["Attainment"]) == pytest.approx([v * 100 for v in regions.attainment])
    assert list(shown["Pace"]) == pytest.approx([v * 100 for v in regions.pace])
    reps = core_table(EAST, ["region", "rep"], period)
    shown_reps = [
        d.value for d in app.dataframe if "Rep" in d.value.columns and "Pace" in d.value.columns
    ][0]
    by_shortfall = reps.sort_values("variance", kind="stable")
    assert list(shown_reps["Actual"]) == [v / 100 for v in by_shortfall.actual], "largest gap first"
    assert list(shown_reps["Variance"]) == sorted(shown_reps["Variance"])


def table_with(app, column: str) -> pd.DataFrame:
    return [d.value for d in app.dataframe if column in d.value.columns][0]


def test_the_heat_map_numbers_are_the_cores_rep_by_month_attainment() -> None:
    app = page("targets", "manager")
    year = Period(month_period("2025-12").start, month_period("2026-11").end)
    expected = core_table(EAST, ["rep", "month"], year)
    numbers = table_with(app, "2026-11")
    shown = {
        label[-6:-1]: value for label, value in zip(numbers.Rep, numbers["2026-11"], strict=True)
    }
    core = expected[expected.month == "2026-11"].set_index("rep").attainment.to_dict()
    assert {rep: value for rep, value in shown.items() if value == value} == {
        rep: pytest.approx(value * 100) for rep, value in core.items() if value is not None
    }


def test_the_heat_map_lists_reps_lowest_attainment_first() -> None:
    app = page("targets", "director")
    year = Period(month_period("2025-12").start, month_period("2026-11").end)
    expected = core_table(Scope.everything(), ["rep", "month"], year)
    totals = {}
    for rep, rows in expected.groupby("rep"):
        defined = rows[rows.target.notna() & (rows.target > 0)]
        if len(defined):
            totals[rep] = defined.actual.sum() / defined.target.sum()
    numbers = table_with(app, "2026-11")
    shown = [label[-6:-1] for label in numbers.Rep]
    assert shown[: len(totals)] == sorted(totals, key=lambda r: (totals[r], r))


def saved_2027() -> pd.DataFrame:
    with make_engine().connect() as conn:
        return targets.tree(conn, "revenue", YEAR_2027)


EDITOR = {"tab": "Breakdown editor"}  # only the open tab runs (it is kept in the URL)


def test_a_rep_sees_the_editor_refused() -> None:
    app = page("targets", "rep", **EDITOR)
    assert "Reps cannot change targets." in [i.value for i in app.info]
    assert not [b for b in app.button if b.key == "bd_save"]


def test_a_director_splits_12_million_by_share_and_seasonality_and_it_reconciles() -> None:
    app = page("targets", "director", bd_total=12_000_000, **EDITOR)
    app.radio(key="bd_w").set_value("weights_last_year").run()
    app.radio(key="bd_m").set_value("weights_seasonality").run()
    app.button(key="bd_save").click().run()
    assert not app.exception
    # 12 months × (1 company row + one row per region); no rep rows exist for 2027 yet.
    regions = len(app.session_state["bd_grid"].index)
    assert [s.value for s in app.success] == [f"Saved: {12 * (1 + regions)} target rows changed."]
    tree = saved_2027()
    company = tree[tree.region_id.isna()]
    assert int(company.amount.sum()) == 12_000_000 * 100, "the year sums to the yuan"
    assert all(int(a) % 100 == 0 for a in tree.amount), "rounded to whole yuan"
    assert mismatches(tree) == []
    by_month = company.set_index("period").amount
    assert by_month["2027-02"] < by_month["2027-12"], "Spring Festival dip, year-end peak"


def test_a_cell_edit_keeps_the_regions_year_and_rebalances_its_other_months() -> None:
    app = page("targets", "director", bd_total=12_000_000, **EDITOR)
    before = app.session_state["bd_grid"]
    region = before.index[0]
    app.session_state["bd_editor_0"] = {
        "edited_rows": {0: {"2027-03": 500_000}}, "added_rows": [], "deleted_rows": []
    }  # fmt: skip
    app.run()
    after = app.session_state["bd_grid"]
    assert after.at[region, "2027-03"] == 500_000 * 100
    assert int(after.loc[region].sum()) == int(before.loc[region].sum())
    assert int(after.to_numpy().sum()) == 12_000_000 * 100


def test_an_impossible_edit_is_refused_with_the_reason() -> None:
    app = page("targets", "director", bd_total=12_000_000, **EDITOR)
    before = app.session_state["bd_grid"]
    app.session_state["bd_editor_0"] = {
        "edited_rows": {0: {"2027-03": 99_000_000}}, "added_rows": [], "deleted_rows": []
    }  # fmt: skip
    app.run()
    assert any("Edit refused" in e.value and "more than the total" in e.value for e in app.error)
    assert app.session_state["bd_grid"].equals(before), "nothing changed"
    assert not app.run().error, "the refusal is shown once, not replayed"


def test_then_the_manager_splits_the_region_over_reps_by_customer_potential() -> None:
    director = page("targets", "director", **EDITOR)
    director.button(key="bd_save").click().run()
    app = page("targets", "manager", **EDITOR)
    app.radio(key="bd_rw").set_value("weights_potential").run()
    app.button(key="bd_save").click().run()
    assert not app.exception
    assert app.success and app.success[0].value.startswith("Saved:")
    tree = saved_2027()
    reps = tree[tree.rep_id.notna()]
    assert set(reps.region_id) == {"R001"}
    assert mismatches(tree) == []
    region = tree[tree.rep_id.isna() & (tree.region_id == "R001")].amount.sum()
    assert int(reps.amount.sum()) == int(region)


def test_the_editor_starts_from_last_years_total_and_warns_far_from_it() -> None:
    app = page("targets", "director", **EDITOR)
    with make_engine().connect() as conn:
        window = history_window(2027, AS_OF)
        done = queries.Actuals(["revenue"])(conn, Scope.everything(), window.start,
                                            window.end).revenue.sum()  # fmt: skip
    assert app.number_input(key="bd_total").value == round(done / 100)  # whole yuan
    assert not [w for w in app.warning if "check the figure" in w.value]
    labels = [r.label for r in app.radio]
    assert "Split over regions by" in labels and "Split over months by" in labels
    months = next(d.value for d in app.dataframe if "Same month last year" in d.value.columns)
    assert len(months) == 12
    assert months["Same month last year"].sum() == pytest.approx(done / 100)
    low = page("targets", "director", bd_total=round(done / 100 / 100), **EDITOR)  # a hundredth
    assert [w for w in low.warning if "check the figure" in w.value and "1%" in w.value]


def test_a_manager_is_told_which_months_still_wait_for_a_split(world_app, monkeypatch) -> None:
    monkeypatch.setenv("CRM_AS_OF", "2026-11-18")
    with world_app.begin() as conn:
        users.add_user(conn, "east", "East", "manager", "pw", regions=["R001"])
    boss = Account("boss", "Boss", Role.DIRECTOR, None, (), "")
    # the director sets February 2027 for the company and the region, no rep yet
    cells = [
        targets.Cell("2027-02", "revenue", 500_000),
        targets.Cell("2027-02", "revenue", 500_000, "R001"),
    ]
    targets.save(world_app, boss, cells)
    manager = page_as("targets", "east", "manager")
    notice = [w.value for w in manager.warning if "not yet split over reps" in w.value]
    assert notice == [
        "Your region has targets not yet split over reps for: 2027-02. Split them in the "
        "Breakdown tab."
    ]


def test_only_the_open_tab_runs() -> None:
    """The attainment tab by default, the editor (three years of history) only when chosen."""
    attainment = page("targets", "director")
    assert not [n for n in attainment.number_input if n.key == "bd_total"]
    assert attainment.selectbox(key="targets_metric").value == "revenue"
    editor = page("targets", "director", **EDITOR)
    assert [n for n in editor.number_input if n.key == "bd_total"]
    assert not [s for s in editor.selectbox if s.key == "targets_metric"]


def test_the_editor_splits_by_last_year_by_default_and_sets_the_total_by_growth() -> None:
    app = page("targets", "director", **EDITOR)
    assert app.radio(key="bd_w").value == "weights_last_year"
    assert app.radio(key="bd_m").value == "weights_seasonality"
    start = app.number_input(key="bd_total").value
    said = [c.value for c in app.caption]
    assert f"Annual target ¥{start:,}, 0.0% on the last 12 months." in said
    app.number_input(key="bd_growth").set_value(10.0).run()
    # the last 12 months + 10 %, rounded to the unit (¥1)
    total = app.number_input(key="bd_total").value
    assert abs(total - start * 1.1) <= 1 and isinstance(total, int)
    assert any(c.value.endswith("+10.0% on the last 12 months.") for c in app.caption)
