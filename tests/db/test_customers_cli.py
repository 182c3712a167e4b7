"""`python cli.py kpi abc|tiers|matrix|attrition` on the customer world of tests/world.py as
of 2026-11-18 (the hand computation is in tests/db/test_customers.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from db import migrate
from db.engine import make_engine
from db.users import add_user
from tests.conftest import kpi_rows
from tests.world import CUSTOMERS, load_world

AS_OF = ["--as-of", "2026-11-18"]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "customers.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    load_world(engine, CUSTOMERS)
    with engine.begin() as conn:
        add_user(conn, "south", "South", "manager", "pw", regions=["R002"])
        add_user(conn, "lina", "李娜", "rep", "pw", rep_id="E02")
    engine.dispose()
    return path


def kpi(db: Path, name: str, *args: str) -> list[dict]:
    return kpi_rows(db, name, *AS_OF, *args)


def test_kpi_abc_gives_the_hand_computed_classes(db: Path) -> None:
    rows = kpi(db, "abc")
    assert [(r["customer_id"], r["revenue"], r["share_before"], r["abc"]) for r in rows] == [
        ("K1", 1_000_000.0, 0.0, "A"),
        ("K2", 500_000.0, 0.5, "A"),
        ("K3", 100_000.0, 0.75, "A"),
        ("K4", 100_000.0, 0.8, "B"),  # predecessors hold exactly 80 %
        ("K5", 100_000.0, 0.85, "B"),
        ("K6", 100_000.0, 0.9, "B"),
        ("K7", 100_000.0, 0.95, "C"),
    ]


def test_kpi_matrix_gives_the_hand_computed_cells(db: Path) -> None:
    rows = {r["customer_id"]: r for r in kpi(db, "matrix")}
    assert {c: (r["cell"], r["strategy"]) for c, r in rows.items() if r["cell"]} == {
        "K1": ("R1", "maintain"), "K2": ("R2", "maintain"), "K3": ("D2", "develop"),
        "K4": ("D2", "develop"), "K5": ("D3", "develop"), "K6": ("A1", "open_up"),
        "K8": ("A3", "open_up"), "K9": ("A2", "open_up"),
    }  # fmt: skip
    assert rows["K7"]["cell"] is None and rows["K7"]["potential"] is None
    assert rows["K5"]["potential"] == 499_999.99 and rows["K3"]["share"] == 0.1


def test_kpi_tiers_and_attrition(db: Path) -> None:
    tiers = {r["customer_id"]: (r["value_tier"], r["grade"]) for r in kpi(db, "tiers")}
    assert (
        tiers["K1"] == ("vip", None)
        and tiers["K8"] == (None, "A")
        and tiers["K9"]
        == (
            "small",
            None,
        )
    )
    years = kpi(db, "attrition")
    assert [(y["year"], y["active_start"], y["lost"], y["new"]) for y in years] == [
        (2025, 4, 2, 1),
        (2026, 3, 1, 3),
    ]
    assert years[0]["attrition"] == 0.5 and years[1]["complete"] is False
    regions = kpi(db, "attrition", "--by", "region")
    assert [(y["region"], y["year"]) for y in regions] == [
        ("R001", 2025), ("R001", 2026), ("R002", 2026)
    ]  # fmt: skip


def test_scoped_users_see_only_their_customers(db: Path) -> None:
    assert {r["customer_id"] for r in kpi(db, "abc", "--as", "south")} == {"K4", "K6"}
    mine = {r["customer_id"] for r in kpi(db, "tiers", "--as", "lina")}
    assert mine == {"K1", "K2", "K5", "K7", "K8", "K9", "K10", "K11"}  # K3 is E01's
