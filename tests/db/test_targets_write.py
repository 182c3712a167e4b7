"""Saving targets: the rules hold in the write path (SPEC §2, §4.1), on both databases.

World (tests/world.py), revenue 2026-10 in cents: company 10,000,000; R001 6,000,000;
R002 4,000,000; rep E02 (R001) 6,000,000. E01 is in R001 too, E03 in R002.
"""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select

from crm_core.scope import Role
from db import targets
from db.schema import AuditEntry
from db.targets import Cell, TargetRefused
from db.users import Account
from tests.world import load_world

DIRECTOR = Account("boss", "Boss", Role.DIRECTOR, None, (), "")
EAST = Account("east", "East", Role.MANAGER, None, ("R001",), "")
REP = Account("lina", "Lina", Role.REP, "E02", (), "")


@pytest.fixture
def world(engine: Engine) -> Engine:
    load_world(engine)
    return engine


def amounts(engine: Engine) -> dict[tuple, int]:
    with engine.connect() as conn:
        frame = targets.tree(conn, "revenue", ["2026-10"])
    return {(r.region_id, r.rep_id): r.amount for r in frame.itertuples()}


def audits(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(AuditEntry))


def revenue(amount: int, region: str | None = None, rep: str | None = None) -> Cell:
    return Cell("2026-10", "revenue", amount, region, rep)


def test_a_director_moves_target_between_regions_and_reps_follow(world: Engine) -> None:
    before = audits(world)
    changed = targets.save(
        world, DIRECTOR, [revenue(7_000_000, "R001"), revenue(3_000_000, "R002")]
    )
    assert amounts(world) == {
        (None, None): 10_000_000,
        ("R001", None): 7_000_000,
        ("R002", None): 3_000_000,
        ("R001", "E02"): 7_000_000,  # E02 is R001's only rep target: it takes all of it
    }
    assert changed == 3
    assert audits(world) == before + 3


def test_a_director_edit_that_breaks_the_company_sum_is_refused(world: Engine) -> None:
    before = amounts(world)
    with pytest.raises(TargetRefused) as refused:
        targets.save(world, DIRECTOR, [revenue(7_000_000, "R001")])
    assert str(refused.value) == (
        "target mismatch: revenue 2026-10 company is ¥100,000.00 but its parts sum to ¥110,000.00"
    )
    assert amounts(world) == before


def test_a_manager_splits_their_region_over_their_reps_exactly(world: Engine) -> None:
    before = audits(world)
    targets.save(
        world, EAST, [revenue(1_000_000, "R001", "E01"), revenue(5_000_000, "R001", "E02")]
    )
    assert amounts(world)[("R001", "E01")] == 1_000_000
    assert amounts(world)[("R001", "E02")] == 5_000_000
    with world.connect() as conn:
        entries = conn.execute(
            select(
                AuditEntry.username, AuditEntry.row_key, AuditEntry.old_value, AuditEntry.new_value
            ).order_by(AuditEntry.id)
        ).all()
    entries = entries[before:]
    assert [tuple(e) for e in entries] == [
        ("east", "2026-10|revenue|R001|E01|", None, '{"amount": 1000000}'),
        ("east", "2026-10|revenue|R001|E02|", '{"amount": 6000000}', '{"amount": 5000000}'),
    ]


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ([revenue(5_000_000, "R001", "E02")],
         "target mismatch: revenue 2026-10 region R001 is ¥60,000.00 but its parts sum to "
         "¥50,000.00"),
        ([revenue(4_000_000, "R002", "E03")], "E03 2026-10: not in your regions (R001)"),
        ([revenue(4_000_000, "R001", "E03")], "E03 2026-10: not in your regions (R001)"),
        ([revenue(7_000_000, "R001")],
         "revenue 2026-10: a manager cannot change a region or company total; that is the "
         "director's"),
        ([Cell("2026-11", "revenue", 1, "R001", "E02")],
         "revenue 2026-11: region R001 has no target yet; the director sets it first"),
    ],
)  # fmt: skip
def test_a_managers_edit_outside_the_rules_is_refused_by_the_write_path(
    world: Engine, cells: list[Cell], message: str
) -> None:
    before, logged = amounts(world), audits(world)
    with pytest.raises(TargetRefused) as refused:
        targets.save(world, EAST, cells)
    assert str(refused.value) == message
    assert amounts(world) == before and audits(world) == logged


def test_a_rep_cannot_change_targets(world: Engine) -> None:
    with pytest.raises(TargetRefused, match="a rep cannot change targets"):
        targets.save(world, REP, [revenue(6_000_000, "R001", "E02")])


def test_saving_the_same_numbers_changes_nothing(world: Engine) -> None:
    before = audits(world)
    assert (
        targets.save(world, DIRECTOR, [revenue(6_000_000, "R001"), revenue(4_000_000, "R002")]) == 0
    )
    assert audits(world) == before


def test_customer_potential_per_rep(world: Engine) -> None:
    with world.connect() as conn:
        # E02 owns C1 (1,200,000.00) and C2 (300,000.00); E03 owns C3 (no potential).
        assert targets.potential_by_rep(conn, ["E02", "E03"]) == {"E02": 150_000_000, "E03": 0}
