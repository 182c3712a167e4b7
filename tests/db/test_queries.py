"""Read-side queries aggregate in SQL and apply the scope in SQL (SPEC §2), on both databases.

Expectations are worked out by hand from tests/world.py:
orders O1 C1/E02/R001 25,000.00 cost 15,000.00; O2 C1/E02/R001 5,000.50 cost 3,000.25;
O3 C3/E03/R002 20,000.00 cost 12,000.00; payment PM1 C1/E02 25,000.00;
activities A1 E02 done, A2 E02 missed, A3 E03 done.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine

from crm_core.scope import Scope
from db import queries
from db.transfer import export_records
from tests.world import load_world

OCT = (date(2026, 10, 1), date(2026, 10, 31))
DIRECTOR = Scope.everything()
EAST = Scope.for_manager(["R001"])
LINA = Scope.for_rep("E02")


@pytest.fixture
def world(engine: Engine) -> Engine:
    load_world(engine)
    return engine


def one_row(world: Engine, scope: Scope) -> dict[str, int]:
    with world.connect() as conn:
        return queries.actuals_by(conn, scope, *OCT).iloc[0].to_dict()


def test_director_sees_every_region(world: Engine) -> None:
    assert one_row(world, DIRECTOR) == {
        "revenue": 2_500_000 + 500_050 + 2_000_000,
        "gross_margin": (2_500_000 - 1_500_000) + (500_050 - 300_025) + (2_000_000 - 1_200_000),
        "collections": 2_500_000,
        "new_customers": 2,
        "visits": 2,
    }


def test_a_manager_sees_only_their_region(world: Engine) -> None:
    assert one_row(world, EAST) == {
        "revenue": 2_500_000 + 500_050,
        "gross_margin": 1_000_000 + 200_025,
        "collections": 2_500_000,
        "new_customers": 1,
        "visits": 1,
    }


def test_a_filter_naming_another_region_narrows_a_manager_to_nothing(world: Engine) -> None:
    row = one_row(world, EAST.narrow(region_ids=["R002"]))
    assert row == {
        "revenue": 0,
        "gross_margin": 0,
        "collections": 0,
        "new_customers": 0,
        "visits": 0,
    }


def test_a_rep_sees_only_their_own_rows(world: Engine) -> None:
    with world.connect() as conn:
        by_rep = queries.actuals_by(conn, LINA, *OCT, by=["rep", "product"])
    assert by_rep.to_dict("records") == [
        {"rep": "E02", "product": "P1", "revenue": 2_500_000, "gross_margin": 1_000_000},
        {"rep": "E02", "product": "P2", "revenue": 500_050, "gross_margin": 200_025},
    ]


def test_grouping_by_region_and_month_happens_in_sql(world: Engine) -> None:
    with world.connect() as conn:
        frame = queries.actuals_by(conn, DIRECTOR, *OCT, by=["month", "region"])
    assert frame[["month", "region", "revenue", "visits"]].to_dict("records") == [
        {"month": "2026-10", "region": "R001", "revenue": 3_000_050, "visits": 1},
        {"month": "2026-10", "region": "R002", "revenue": 2_000_000, "visits": 1},
    ]


@pytest.mark.parametrize(
    ("scope", "by", "expected"),
    [
        # the visits target exists only for E02: it rolls up to R001 and the company
        (DIRECTOR, [], {"revenue": 10_000_000, "visits": 40}),
        (EAST, [], {"revenue": 6_000_000, "visits": 40}),
        (LINA, [], {"revenue": 6_000_000, "visits": 40}),
        (
            DIRECTOR,
            ["region"],
            {
                ("R001", "revenue"): 6_000_000,
                ("R002", "revenue"): 4_000_000,
                ("R001", "visits"): 40,
            },
        ),
    ],
)
def test_targets_are_read_at_the_level_of_the_scope(
    world: Engine, scope: Scope, by: list[str], expected: dict
) -> None:
    with world.connect() as conn:
        frame = queries.targets_by(conn, scope, "2026-10", "2026-10", by)
    keys = [*by, "metric"]
    got = {
        (tuple(row[k] for k in keys) if by else row["metric"]): row["target"]
        for row in frame.to_dict("records")
    }
    assert got == expected


def test_scoped_export_never_contains_another_regions_rows(world: Engine) -> None:
    with world.connect() as conn:
        orders = [row[0] for row in export_records(conn, "orders", EAST)][1:]
        reports = [row[0] for row in export_records(conn, "market_reports", EAST)][1:]
        customers = [row[0] for row in export_records(conn, "customers", EAST)][1:]
        stages = [row[0] for row in export_records(conn, "opportunity_stages", EAST)][1:]
    assert orders == ["O1", "O2"]
    assert reports == ["MR2"], "MR2 has no customer: it belongs to its rep's region R001"
    assert customers == ["C1", "C2"]
    assert stages == ["OP1", "OP1", "OP1"]


def test_regions_and_reps_lists_follow_the_scope(world: Engine) -> None:
    with world.connect() as conn:
        assert list(queries.regions(conn, EAST).region_id) == ["R001"]
        assert list(queries.regions(conn, LINA).region_id) == ["R001"]
        assert list(queries.reps(conn, EAST).rep_id) == ["E01", "E02"]
        assert list(queries.reps(conn, LINA).rep_id) == ["E02"]
