"""The monthly page (issue 5): ranked attainment, pipeline snapshot and base change."""

from __future__ import annotations

import pytest

from crm_core import formatting as fmt
from crm_core.scope import Scope
from db.engine import make_engine
from services import monthly
from tests.app.conftest import AS_OF, page

pytestmark = pytest.mark.usefixtures("demo_db")
EAST = Scope.for_manager(["R001"])


def test_a_managers_monthly_review_shows_the_cores_numbers() -> None:
    app = page("monthly", "manager")
    app.selectbox(key="monthly_month").set_value("2026-10").run()
    assert not app.exception and not app.error
    with make_engine().connect() as conn:
        reps = monthly.ranked_attainment(conn, EAST, "2026-10", AS_OF, "rep")
        pipeline = monthly.pipeline_snapshot(
            conn, EAST, AS_OF.replace(day=1).replace(day=31, month=10)
        )
        base = monthly.customer_base(conn, EAST, "2026-10")
    shown = [
        d.value for d in app.dataframe if "Rank" in d.value.columns and "Rep" in d.value.columns
    ][0]
    # numbers stay numbers (issue 14.1): sortable by value, money in yuan
    assert list(shown["Rank"]) == [float(r) for r in reps["rank"]]
    assert list(shown["Actual"]) == [v / 100 for v in reps.actual]
    assert [None if v != v else v for v in shown["vs last month"]] == [
        None if v is None else pytest.approx(v * 100) for v in reps.mom
    ]  # in percent
    pipe = [d.value for d in app.dataframe if "Stage" in d.value.columns][0]
    assert list(pipe["Count"]) == list(pipeline["count"])
    assert list(pipe["Amount"]) == [v / 100 for v in pipeline.amount], "¥, not fen as text"
    figures = {m.label: m.value for m in app.metric}
    assert figures["New"] == fmt.count(base.new)
    assert figures["Active at the end"] == fmt.count(base.active_end)
