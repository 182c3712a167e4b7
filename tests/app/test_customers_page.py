"""The customers page (issue 8): ABC and the matrix as the core computes them, one click to the
customers of a strategy, a rep opens only their own customers' cards."""

from __future__ import annotations

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
