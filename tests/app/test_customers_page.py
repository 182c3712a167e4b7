"""The customers page (issue 8): ABC and the matrix as the core computes them, one click to the
customers of a strategy, a rep opens only their own customers' cards."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import select

from crm_core import customers as core
from crm_core.scope import Scope
from db import customers as customers_db
from db.engine import make_engine
from db.schema import Customer, User
from tests.app.conftest import AS_OF, all_text, page

pytestmark = pytest.mark.usefixtures("demo_db")


def frames(app: object) -> list:
    return [getattr(d.value, "data", d.value) for d in app.dataframe]


def with_column(app: object, column: str) -> list:
    return [f for f in frames(app) if column in f.columns]


def test_a_director_sees_abc_and_lists_the_customers_to_develop_in_one_click() -> None:
    app = page("customers", "director")
    assert not app.exception and not app.error
    with make_engine().connect() as conn:
        values = customers_db.customer_values(conn, Scope.everything(), AS_OF)
    abc = core.abc_classes(values[["customer_id", "revenue"]])
    summary = with_column(app, "Class")[0].set_index("Class")
    for name in "ABC":
        assert summary.loc[name, "Customers"] == int((abc.abc == name).sum())
    develop = core.classify(values)
    develop = develop[develop.strategy == "develop"]
    app.segmented_control(key="cust_strategy").set_value("develop").run()
    assert not app.exception
    listed = [f for f in with_column(app, "Share of wallet") if len(f) == len(develop)]
    assert listed and len(develop) > 0
    shown = {c.rsplit("(", 1)[1].rstrip(")") for c in listed[0]["Customer"]}
    assert shown == set(develop.customer_id)


def test_a_rep_searches_and_opens_only_their_own_customers_cards() -> None:
    app = page("customers", "rep")
    assert not app.exception
    with make_engine().connect() as conn:
        rep_id = conn.scalar(select(User.rep_id).where(User.username == "rep"))
        mine = set(
            conn.scalars(select(Customer.customer_id).where(Customer.owner_rep_id == rep_id))
        )
        foreign = list(conn.scalars(select(Customer.name).where(Customer.owner_rep_id != rep_id)))
    options = set(app.selectbox(key="card_pick").options)
    assert options and all(o.rsplit("(", 1)[1].rstrip(")") in mine for o in options)
    first = sorted(mine)[0]
    app.text_input(key="card_q").set_value(first).run()
    assert app.selectbox(key="card_pick").value == first
    assert [m for m in app.markdown if f"({first})" in m.value]
    profile = frames(app)[[i for i, f in enumerate(frames(app)) if "Customer card" in f.columns][0]]
    assert "Credit rating" in list(profile["Customer card"])
    text = all_text(app)
    assert not [name for name in foreign if name in text], "nobody else's customer"
    app.text_input(key="card_q").set_value("C9999999").run()  # not a customer of theirs
    assert [i.value for i in app.info] == ["No customer of yours matches."]


def test_no_card_opens_before_a_customer_is_chosen_and_a_chosen_one_is_in_the_link() -> None:
    app = page("customers", "director")
    pick = app.selectbox(key="card_pick")
    assert pick.value is None and pick.options
    assert not with_column(app, "Customer card"), "no card of an arbitrary customer"
    assert "customer" not in app.query_params
    chosen = pick.options[3].rsplit("(", 1)[1].rstrip(")")
    pick.set_value(chosen).run()
    assert not app.exception
    assert [m for m in app.markdown if f"({chosen})" in m.value]
    assert "Credit rating" in list(with_column(app, "Customer card")[0]["Customer card"])
    assert app.query_params["customer"] == chosen


def test_the_pareto_marks_say_how_many_customers_reach_80_and_95_percent() -> None:
    from ui import customers_view

    # 5 customers: revenue 50, 30, 10, 6, 4 → cumulative 50 %, 80 %, 90 %, 96 %, 100 %
    abc = pd.DataFrame(
        {
            "customer_id": ["C1", "C2", "C3", "C4", "C5"],
            "name": list("abcde"),
            "revenue": [5000, 3000, 1000, 600, 400],
            "rank": [1, 2, 3, 4, 5],
            "cumulative": [0.5, 0.8, 0.9, 0.96, 1.0],
            "abc": ["A", "B", "B", "C", "C"],
        }
    )
    marks = customers_view.pareto_marks(abc)
    assert list(marks.customer_share) == [2 / 5, 4 / 5]  # 80 % at the 2nd, 95 % at the 4th
    assert list(marks.text) == [
        "80% of revenue: 2 customers (40.0%)",
        "95% of revenue: 4 customers (80.0%)",
    ]
    curve = customers_view.pareto_frame(abc)
    assert list(curve.customer_share) == [0, 0.2, 0.4, 0.6, 0.8, 1.0]  # from (0, 0)
    assert list(curve.revenue) == [0, 50, 30, 10, 6, 4]  # yuan


def test_only_the_open_key_list_is_built_and_sent() -> None:
    """MVC by default; MGC (headroom) once chosen; the other lists are not sent."""
    first = page("customers", "director")
    assert with_column(first, "Gross margin") and not with_column(first, "Headroom")
    chosen = page("customers", "director", list="MGC: largest headroom")
    assert with_column(chosen, "Headroom")


def test_a_card_link_of_another_region_says_it_is_not_visible() -> None:
    from streamlit.testing.v1 import AppTest

    from tests.app.conftest import page_path, signed_in

    with make_engine().connect() as conn:
        other = conn.execute(
            select(Customer.customer_id).where(Customer.region_id != "R001").limit(1)
        ).scalar_one()
    app = AppTest.from_file(page_path("customers"), default_timeout=30)
    app.query_params["customer"] = other
    signed_in(app, "manager").run()
    assert not app.exception
    said = [w.value.replace("\\", "") for w in app.warning]
    assert f"Not visible to you and ignored: {other}" in said


def test_a_customer_never_contacted_says_so_on_the_card() -> None:
    from types import SimpleNamespace

    from ui.customers_view import cadence_text

    never = {"call_overdue": True, "visit_overdue": True, "days_since_contact": None}
    assert cadence_text(SimpleNamespace(cadence=never)).endswith("no call or visit done yet")
