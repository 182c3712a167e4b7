"""A product or tier filter holds actuals against the right targets (issue 14.3, in part), on
SQLite and PostgreSQL: October 2026 in tests/world.py, R001's revenue target 60,000.00; one
product target added: R001 sells 20,000.00 of P1. R001's P1 orders: O1 25,000.00."""

from __future__ import annotations

from sqlalchemy import Engine

from crm_core.periods import month_period
from crm_core.scope import FactFilter, Scope
from db.transfer import import_rows
from services import measures
from tests.world import load_world, rows_of

OCTOBER = month_period("2026-10")
AS_OF = OCTOBER.end


def region_row(engine: Engine, flt: FactFilter) -> dict:
    load_world(engine)
    product_target = (
        "period,metric,amount,region_id,rep_id,product_id\n2026-10,revenue,20000,R001,,P1\n"
    )
    assert import_rows(engine, "targets", rows_of(product_target), "t.csv").ok
    with engine.connect() as conn:
        table = measures.targets_table(conn, Scope.everything(), OCTOBER, AS_OF, ["region"],
                                   ["revenue"], flt)  # fmt: skip
    return table.set_index("region").loc["R001"].to_dict()


def test_a_product_filter_holds_the_products_sales_against_the_products_target(
    engine: Engine,
) -> None:
    row = region_row(engine, FactFilter(frozenset({"P1"})))
    assert (row["actual"], row["target"]) == (2_500_000, 2_000_000)
    assert row["attainment"] == 2_500_000 / 2_000_000


def test_a_product_without_a_target_has_no_attainment_not_a_share_of_the_region(
    engine: Engine,
) -> None:
    row = region_row(engine, FactFilter(frozenset({"P2"})))
    assert row["actual"] == 500_050  # O2
    assert row["target"] is None and row["attainment"] is None


def test_a_tier_filter_has_no_target_to_be_held_against(engine: Engine) -> None:
    row = region_row(engine, FactFilter(None, frozenset({"key"})))
    assert row["actual"] == 2_500_000 + 500_050  # C1 is a key customer: O1 and O2
    assert row["target"] is None and row["attainment"] is None
