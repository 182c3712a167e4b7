"""Drill-down (issue 14.5): region → rep → customer on Targets; the choice of each level is
kept in the URL; the customers under a rep add up to the rep's actual."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from crm_core.formatting import plain
from crm_core.presets import preset_period
from crm_core.scope import FactFilter, Scope
from db.engine import make_engine
from db.schema import Customer
from services import measures
from tests.app.conftest import AS_OF, page_path, signed_in

pytestmark = pytest.mark.usefixtures("demo_db")


def opened(page_id: str, username: str = "director", **params: str) -> AppTest:
    app = AppTest.from_file(page_path(page_id), default_timeout=30)
    for key, value in params.items():
        app.query_params[key] = value
    return signed_in(app, username).run()


def customers_table(app: AppTest) -> object:
    return next(d.value for d in app.dataframe if "Orders" in d.value.columns)


def rep_figures(region: str) -> object:
    period = preset_period("this_month", AS_OF)
    with make_engine().connect() as conn:
        table = measures.targets_table(
            conn, Scope.everything(), period, AS_OF, ["region", "rep"], ["revenue"], FactFilter()
        )
    return table[table.region == region].set_index("rep")


def test_a_linked_region_and_rep_open_that_reps_customers_adding_up_to_their_actual() -> None:
    figures = rep_figures("R002")
    rep = figures.actual.idxmax()
    app = opened("targets", region_detail="R002", rep_detail=rep)
    assert not app.exception and not app.error
    assert app.selectbox(key="t_drill").value == "R002"
    assert app.selectbox(key="t_rep").value == rep
    customers = customers_table(app)
    # the rep's revenue in yuan is the sum of their customers' revenue
    assert customers["Revenue"].sum() == pytest.approx(figures.actual[rep] / 100)
    assert all(label.endswith(")") for label in customers["Customer"])
    assert list(customers["Revenue"]) == sorted(customers["Revenue"], reverse=True)
    # the table says whose customers these are, and is the rep's own element (a row picked
    # for one rep cannot open a card under another)
    assert any(f"{plain(f'({rep})')}:" in c.value for c in app.caption)
    assert app.dataframe(key=f"t_rep_customers_{rep}") is not None


def test_choosing_a_rep_goes_into_the_link() -> None:
    figures = rep_figures("R001")
    app = opened("targets", region_detail="R001")
    other = [r for r in figures.index if r != app.selectbox(key="t_rep").value][0]
    app.selectbox(key="t_rep").set_value(other).run()
    assert not app.exception
    assert app.query_params["rep_detail"] in (other, [other])
    assert app.query_params["region_detail"] in ("R001", ["R001"])


def test_a_manager_cannot_drill_into_another_region_by_link() -> None:
    app = opened("targets", "manager", region_detail="R002", rep_detail="P0101")
    assert not app.exception
    assert app.selectbox(key="t_drill").value == "R001"  # the foreign region is ignored
    assert "R002" not in app.selectbox(key="t_drill").options


def test_a_linked_customer_opens_their_card_and_a_foreign_one_shows_nothing() -> None:
    with make_engine().connect() as conn:
        east = conn.scalar(select(Customer.customer_id).where(Customer.region_id == "R001"))
        west = conn.scalar(select(Customer.customer_id).where(Customer.region_id == "R002"))
        west_name = conn.scalar(select(Customer.name).where(Customer.customer_id == west))
    app = opened("customers", "manager", customer=east)
    assert not app.exception
    assert app.selectbox(key="card_pick").value == east
    assert app.query_params["customer"] in (east, [east])
    foreign = opened("customers", "manager", customer=west)
    assert not foreign.exception
    assert foreign.selectbox(key="card_pick").value != west
    assert west_name not in " ".join(str(m.value) for m in foreign.markdown)
