"""The monthly page's customer base (services.monthly.customer_base) on a few orders written out by
hand: which customers count as active at the start and the end of a month, new, lapsed, and
the year's attrition, for the company, a manager and a rep."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from crm_core.monthly import BaseChange
from crm_core.scope import Scope
from db.transfer import import_rows
from services import monthly
from tests.world import load_world

HEADER = "order_id,date,customer_id,rep_id,product_id,quantity,amount,cost"
# The world's orders: C1 (R001) on 2026-10-05 and 2026-10-20 by E02, C3 (R002) on 2026-10-12
# by E03. Added here, all by E02:
EXTRA = [
    "OB1,2025-10-15,C2,E02,P1,1,100.00,50.00",  # C2: in the 12 months before October 2026
    "OB2,2026-01-10,C1,E02,P1,1,100.00,50.00",  # C1: before October and in the 12 months to it
    "OB3,2025-05-02,C1,E02,P1,1,100.00,50.00",  # C1: in the year before those 12 months
]


@pytest.fixture
def world(engine: Engine) -> Engine:
    load_world(engine)
    result = import_rows(engine, "orders", [line.split(",") for line in [HEADER, *EXTRA]])
    assert result.ok, [str(e) for e in result.errors]
    return engine


def test_customer_base_of_october_2026(world: Engine) -> None:
    # October 2026: 12 months before = Oct 2025 – Sep 2026, 12 months to its end =
    # Nov 2025 – Oct 2026, the year before that = Nov 2024 – Oct 2025.
    # Company: before {C1 (OB2), C2 (OB1)}; to the end {C1, C3}; the year before {C1 (OB3),
    # C2 (OB1)}; new: C3 (first order 2026-10-12); lapsed: C2; attrition: C2 of {C1, C2} = 1/2.
    # R002: only C3, new in October. E02 (its own orders): before {C1, C2}, to the end {C1},
    # the year before {C1, C2}; C1's first order by E02 was in 2025, so none new.
    expected = {
        Scope.everything(): BaseChange(2, 2, 1, 1, 0.5),
        Scope.for_manager(["R002"]): BaseChange(0, 1, 1, 0, None),
        Scope.for_rep("E02", "R001"): BaseChange(2, 1, 0, 1, 0.5),
    }
    with world.connect() as conn:
        for scope, change in expected.items():
            assert monthly.customer_base(conn, scope, "2026-10") == change, scope
