"""Customer classification on both databases, on the customer world of tests/world.py as of
2026-11-18; every expectation is worked out by hand from the rows written there."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine

from crm_core import customers as core
from crm_core.scope import Scope
from db import customers
from tests.world import CUSTOMERS, load_world

AS_OF = date(2026, 11, 18)
ALL = Scope.everything()
YUAN = 100


@pytest.fixture
def world(engine: Engine) -> Engine:
    load_world(engine, CUSTOMERS)
    return engine


def classified(engine: Engine, scope: Scope = ALL) -> dict[str, dict]:
    with engine.connect() as conn:
        frame = core.classify(customers.customer_values(conn, scope, AS_OF))
    return {row["customer_id"]: row for row in frame.to_dict("records")}


def test_trailing_twelve_months_exclude_older_and_later_orders_and_costs(world: Engine) -> None:
    rows = classified(world)
    assert rows["K2"]["revenue"] == 500_000 * YUAN  # not the ¥999,999 of 2025-11-18
    assert rows["K7"]["revenue"] == 100_000 * YUAN  # 2025-11-19 is the window's first day
    assert rows["K5"]["revenue"] == 100_000 * YUAN  # not the order of 2026-11-25
    assert rows["K3"]["cost_to_serve"] == 0  # its ¥99,999 visit was 2025-10-01
    assert rows["K1"]["gross_margin"] == (1_000_000 - 800_000) * YUAN


def test_abc_with_a_customer_whose_predecessors_hold_exactly_80_percent(world: Engine) -> None:
    rows = classified(world)
    # total ¥2,000,000; before: K1 0, K2 50 %, K3 75 %, K4 80 % (→ B), K5 85 %, K6 90 %,
    # K7 95 % (→ C); K3–K7 tie at ¥100,000 and are ranked by ID
    assert {c: rows[c]["abc"] for c in ("K1", "K2", "K3", "K4", "K5", "K6", "K7")} == {
        "K1": "A", "K2": "A", "K3": "A", "K4": "B", "K5": "B", "K6": "B", "K7": "C"
    }  # fmt: skip
    assert rows["K9"]["abc"] is None  # active, but nothing bought in the window


def test_value_tiers_and_prospect_grades(world: Engine) -> None:
    rows = classified(world)
    assert rows["K1"]["value_tier"] == "vip"  # exactly ¥1,000,000
    assert rows["K2"]["value_tier"] == "large"  # exactly ¥500,000
    assert rows["K3"]["value_tier"] == "medium"  # exactly ¥100,000
    assert rows["K9"]["value_tier"] == "small"
    assert rows["K8"]["value_tier"] is None  # a prospect has no value tier
    assert rows["K8"]["grade"] == "A"  # open deal at committed
    assert rows["K10"]["grade"] == "C"  # given
    assert rows["K11"]["grade"] == "D"  # open deal only at contacted; its committed deal was lost


def test_matrix_cells_at_their_boundaries(world: Engine) -> None:
    rows = classified(world)
    cells = {c: rows[c]["cell"] for c in rows}
    assert cells == {
        "K1": "R1",  # 50 % of ¥2,000,000
        "K2": "R2",  # 50 % of exactly ¥1,000,000 (row 2)
        "K3": "D2",  # exactly 10 % → D
        "K4": "D2",  # 20 % of exactly ¥500,000 (row 2)
        "K5": "D3",  # potential ¥499,999.99 → row 3
        "K6": "A1",  # 1 %
        "K7": None,  # no potential: no cell
        "K8": "A3",
        "K9": "A2",
        "K10": None,
        "K11": None,
    }
    assert rows["K3"]["strategy"] == "develop" and rows["K6"]["strategy"] == "open_up"
    with world.connect() as conn:
        table = core.matrix(core.classify(customers.customer_values(conn, ALL, AS_OF)))
    d2 = table.set_index("cell").loc["D2"]
    assert (d2.customers, d2.revenue) == (2, 200_000 * YUAN)


def test_most_valuable_growable_and_below_zero_customers(world: Engine) -> None:
    with world.connect() as conn:
        lists = core.key_lists(customers.customer_values(conn, ALL, AS_OF))
    # 7 customers bought: top 20 % rounded up = 2; margins K2 ¥250,000, K1 ¥200,000
    assert list(lists["mvc"].customer_id) == ["K2", "K1"]
    # headroom of the rest: K6 ¥9,900,000, K3 ¥900,000, K9 ¥600,000, …
    assert list(lists["mgc"].customer_id) == ["K6", "K3"]
    # K7 margin ¥1,000 − visit ¥2,000; K9 margin 0 − call ¥500
    assert list(lists["bzc"].customer_id) == ["K7", "K9"]
    assert list(lists["bzc"].net) == [-1_000 * YUAN, -500 * YUAN]


def test_attrition_and_new_customer_rate_per_year_and_region(world: Engine) -> None:
    with world.connect() as conn:
        total = core.attrition_table(*customers.year_bases(conn, ALL, AS_OF))
        regions = core.attrition_table(*customers.year_bases(conn, ALL, AS_OF, by_region=True))
    # 2025: active at start (an order in 2024) K1 K2 K3 K9; K3 and K9 bought nothing in 2025;
    # new in 2025: K7. 2026 so far: active K1 K2 K7 (2025 orders); K7 lost; new K4 K5 K6
    assert total.values.tolist() == [
        ["all", 2025, 4, 2, 1, 2 / 4, 1 / 4, False, True],
        ["all", 2026, 3, 1, 3, 1 / 3, 3 / 3, False, False],
    ]
    assert regions.values.tolist()[-1] == ["R002", 2026, 0, 0, 2, None, None, None, False]
    with world.connect() as conn:
        by_region, complete = customers.year_bases(conn, ALL, AS_OF, by_region=True)
    assert core.attrition_table(core.summed(by_region), complete).equals(total)


def test_the_customer_card(world: Engine) -> None:
    with world.connect() as conn:
        card = customers.customer_card(conn, ALL, "K1", AS_OF)
    assert card is not None
    assert card.profile["credit_rating"] == "A" and card.profile["payment_terms_days"] == 60
    assert card.profile["owner"] == "李娜" and card.profile["region_name"] == "华东区"
    assert len(card.sales) == 24 and card.sales.month.iloc[0] == "2024-12"
    sales = card.sales.set_index("month").revenue
    assert (sales["2025-12"], sales["2026-02"], sales.sum()) == (
        600_000 * YUAN, 400_000 * YUAN, 1_000_000 * YUAN
    )  # fmt: skip
    assert list(card.activities.status) == ["missed", "done"]  # newest first
    assert card.outcomes.values.tolist() == [["call", "missed", 1], ["visit", "presentation", 1]]
    assert card.reports.summary.tolist() == ["交货延迟"]
    assert card.cadence["days_since_visit"] == 17 and card.cadence["call_overdue"] is True


def test_a_prospects_card_grades_it_by_its_furthest_open_deal(world: Engine) -> None:
    with world.connect() as conn:
        k8 = customers.customer_card(conn, ALL, "K8", AS_OF)
        k10 = customers.customer_card(conn, ALL, "K10", AS_OF)
        k1 = customers.customer_card(conn, ALL, "K1", AS_OF)
    assert k8.profile["grade"] == "A"  # no grade on file; OK1 is committed
    assert list(k8.opportunities.opportunity_id) == ["OK1"]
    assert k10.profile["grade"] == "C"  # given
    assert k1.profile["grade"] is None  # an active customer has no prospect grade


def test_a_rep_opens_only_their_own_customers_cards(world: Engine) -> None:
    with world.connect() as conn:
        foreign = customers.customer_card(conn, Scope.for_rep("E03"), "K1", AS_OF)
        own = customers.customer_card(conn, Scope.for_rep("E03"), "K4", AS_OF)
        found = customers.search(conn, Scope.for_rep("E03"), "客户")
        manager = classified(world, Scope.for_manager(["R002"]))
    assert foreign is None and own is not None
    assert set(found.customer_id) == {"K4", "K6"}
    assert set(manager) == {"K4", "K6"}


def test_a_reps_and_a_managers_customers_keep_every_row_of_their_customers(
    engine: Engine,
) -> None:
    # K3 (E01's) also bought ¥20,000 (cost ¥15,000) from E02 and had E02's ¥300 visit: a
    # scoped read sums only the scope's customers, but all of their rows, whoever made them
    rows = dict(CUSTOMERS)
    rows["orders"] += "Q15,2026-06-15,K3,E02,P1,1,20000.00,15000.00\n"
    rows["activities"] += "V6,2026-10-15,E02,K3,visit,service,done,true,contacted,30,300.00,\n"
    load_world(engine, rows)
    with engine.connect() as conn:
        rep = customers.customer_values(conn, Scope.for_rep("E01"), AS_OF)
        other = customers.customer_values(conn, Scope.for_rep("E02"), AS_OF)
        region = customers.customer_values(conn, Scope.for_manager(["R001"]), AS_OF)
        company = customers.customer_values(conn, ALL, AS_OF)
    k3 = rep.set_index("customer_id").loc["K3"]
    assert list(rep.customer_id) == ["K3"]
    assert (k3.revenue, k3.gross_margin, k3.cost_to_serve) == (
        120_000 * YUAN, (50_000 + 5_000) * YUAN, 300 * YUAN
    )  # fmt: skip
    assert "K3" not in set(other.customer_id)
    k1 = other.set_index("customer_id").loc["K1"]
    assert (k1.revenue, k1.cost_to_serve) == (1_000_000 * YUAN, 300 * YUAN)
    in_r001 = company[company.region == "R001"].reset_index(drop=True)
    assert region.equals(in_r001) and len(region) == 9
