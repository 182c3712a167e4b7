"""The weekly page (issue 5): the Monday report for a manager's region, with its downloads."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from crm_core import formatting as fmt
from crm_core.periods import iso_week_period
from crm_core.scope import Scope
from db import weekly
from db.engine import make_engine
from db.schema import Rep
from tests.app.conftest import all_text, page

pytestmark = pytest.mark.usefixtures("demo_db")


def test_a_manager_sees_their_regions_monday_report_and_can_download_it() -> None:
    app = page("weekly", "manager")
    assert not app.exception and not app.error
    assert app.selectbox(key="weekly_week").value == "2026-W46"  # as of Wed 18 Nov
    with make_engine().connect() as conn:
        facts = weekly.week_facts(conn, Scope.for_manager(["R001"]), iso_week_period("2026-W46"))
        others = list(conn.scalars(select(Rep.name).where(Rep.region_id != "R001")))
    summary = next(d.value for d in app.dataframe if "Metric" in d.value.columns)
    summary = summary.set_index("Metric")
    assert summary.loc["Week revenue", "This week"] == fmt.money(facts.revenue)
    assert summary.loc["Collections", "This week"] == fmt.money(facts.collections)
    text = all_text(app)
    assert not [name for name in others if name in text]
    downloads = [element for element in app.get("download_button")]
    assert len(downloads) == 3


def test_a_director_picks_another_week() -> None:
    app = page("weekly", "director")
    app.selectbox(key="weekly_week").set_value("2026-W44").run()
    assert not app.exception
    assert "2026-W44: 2026-10-26 – 2026-11-01" in app.caption[0].value
