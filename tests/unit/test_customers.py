"""crm_core.customers at its boundaries (SPEC §4.5), rows written out here."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crm_core import customers as core

YUAN = 100


def revenue(**by_customer: int) -> pd.DataFrame:
    return pd.DataFrame(
        [(c, r * YUAN) for c, r in by_customer.items()], columns=["customer_id", "revenue"]
    )


def test_abc_boundaries_and_ties_by_id() -> None:
    # total 100: X1 80 (before 0 → A); X2 and X3 tie at 5 (before 80 % → B, 85 % → B);
    # X4 5 (before 90 % → B); X5 5 (before 95 % → C); X6 without revenue is left out
    table = core.abc_classes(revenue(X3=5, X1=80, X2=5, X5=5, X4=5, X6=0))
    assert table[["customer_id", "share_before", "abc"]].values.tolist() == [
        ["X1", 0.0, "A"],
        ["X2", 0.80, "B"],
        ["X3", 0.85, "B"],
        ["X4", 0.90, "B"],
        ["X5", 0.95, "C"],
    ]
    assert list(table["rank"]) == [1, 2, 3, 4, 5]
    assert table.cumulative.iloc[-1] == 1.0


def test_abc_thresholds_are_configurable_and_empty_is_empty() -> None:
    table = core.abc_classes(revenue(X1=50, X2=30, X3=20), (0.5, 0.9))
    assert list(table.abc) == ["A", "B", "B"]  # before: 0 → A; 50 % → B; 80 % < 90 % → B
    assert core.abc_classes(revenue()).empty


@pytest.mark.parametrize(
    ("yuan", "tier"),
    [
        (1_000_000, "vip"), (999_999.99, "large"), (500_000, "large"), (499_999.99, "medium"),
        (100_000, "medium"), (99_999.99, "small"), (0, "small"),
    ],
)  # fmt: skip
def test_value_tiers_at_their_thresholds(yuan: float, tier: str) -> None:
    assert core.value_tier(round(yuan * YUAN)) == tier


@pytest.mark.parametrize(
    ("revenue_yuan", "potential_yuan", "cell"),
    [
        (300_000, 1_000_000, "D2"),  # exactly 30 % is still D
        (300_001, 1_000_000, "R2"),
        (100_000, 1_000_000, "D2"),  # exactly 10 % is D
        (99_999, 1_000_000, "A2"),
        (200_000, 1_000_001, "D1"),  # potential above 1,000,000
        (100_000, 500_000, "D2"),  # 500,000 is row 2
        (100_000, 499_999, "D3"),
        (2_000_000, 1_000_000, "R2"),  # more than the potential: still R
    ],
)
def test_matrix_cell_boundaries(revenue_yuan: int, potential_yuan: int, cell: str) -> None:
    found = core.matrix_cell(revenue_yuan * YUAN, potential_yuan * YUAN)
    assert found is not None and found.name == cell
    assert found.strategy == {"R": "maintain", "D": "develop", "A": "open_up"}[cell[0]]


@pytest.mark.parametrize("potential", [None, 0])
def test_no_potential_means_no_cell(potential: int | None) -> None:
    assert core.matrix_cell(100, potential) is None


@pytest.mark.parametrize(
    ("given", "stage", "grade"),
    [("B", "committed", "B"), (None, "committed", "A"), (None, "developed", "B"),
     (None, "qualified", "C"), (None, "contacted", "D"), (None, None, "D")],
)  # fmt: skip
def test_prospect_grade(given: str | None, stage: str | None, grade: str) -> None:
    assert core.prospect_grade(given, stage) == grade


def test_year_base_rates_and_band() -> None:
    table = core.attrition_table(
        {("all", 2025): core.YearBase(active_start=40, lost=4, new=6),
         ("all", 2026): core.YearBase(active_start=0, lost=0, new=3)},
        {2025: True, 2026: False},
    )  # fmt: skip
    assert table.values.tolist() == [
        ["all", 2025, 40, 4, 6, 4 / 40, 6 / 40, True, True],
        ["all", 2026, 0, 0, 3, None, None, None, False],
    ]


@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(["active", "prospect", "lost"]),
            st.integers(0, 3_000_000 * YUAN),
            st.one_of(st.none(), st.integers(0, 3_000_000 * YUAN)),
            st.sampled_from([None, "A", "B", "C", "D"]),
            st.sampled_from([None, "identified", "qualified", "developed", "committed"]),
        ),
        max_size=30,
    )
)
def test_classify_agrees_with_the_rules_one_customer_at_a_time(rows: list[tuple]) -> None:
    frame = pd.DataFrame(
        [(f"X{i}", *row) for i, row in enumerate(rows)],
        columns=["customer_id", "status", "revenue", "potential", "prospect_grade",
                 "furthest_open_stage"],
    )  # fmt: skip
    frame["potential"] = frame.potential.astype(object)
    out = core.classify(frame).to_dict("records")
    for row, source in zip(out, rows, strict=True):
        cell = core.matrix_cell(row["revenue"], source[2])
        assert row["cell"] == (cell.name if cell else None)
        assert row["strategy"] == (cell.strategy if cell else None)
        assert row["share"] == (cell.share if cell else None)
        active = row["status"] == "active"
        assert row["value_tier"] == (core.value_tier(row["revenue"]) if active else None)
        prospect = row["status"] == "prospect"
        expected = core.prospect_grade(source[3], source[4])
        assert row["grade"] == (expected if prospect else None)


@pytest.mark.parametrize("count", [0, 1])
def test_key_lists_of_no_customer_or_one_are_lists_not_a_crash(count: int) -> None:
    """Issue 13.7: with one customer the growable rest is empty (it crashed on selecting with
    an empty list, which pandas reads as columns)."""
    one = pd.DataFrame(
        {"customer_id": ["C1"], "revenue": [100_00], "gross_margin": [-5_00],
         "potential": [None], "cost_to_serve": [0]}
    ).head(count)  # fmt: skip
    lists = core.key_lists(one)
    assert [len(lists[name]) for name in ("mvc", "mgc", "bzc")] == [count, 0, count]
    assert "headroom" in lists["mgc"].columns


def test_key_lists_order_by_their_figure_then_by_id() -> None:
    """Half the buying customers (4 of C1, C3, C4, C5: 2) by gross margin, ties by ID; as many
    of the rest by headroom, ties by ID; every negative net, most negative first, ties by ID.
    The rows come in an order that is not the IDs'."""
    customers = pd.DataFrame(
        [("C3", 100, 50, None, 0), ("C1", 100, 50, 1_000, 0), ("C2", 0, 0, 500, 10),
         ("C4", 200, 80, 1_200, 100), ("C5", 50, 50, 550, 60)],
        columns=["customer_id", "revenue", "gross_margin", "potential", "cost_to_serve"],
    )  # fmt: skip
    lists = core.key_lists(customers, share=0.5)

    # margins: C4 80, then C1 = C3 = C5 = 50: C1 first by ID
    assert lists["mvc"].customer_id.tolist() == ["C4", "C1"]
    # the rest: C2 headroom 500, C3 none, C5 550 − 50 = 500: C2 before C5
    assert lists["mgc"].customer_id.tolist() == ["C2", "C5"]
    assert lists["mgc"].headroom.tolist() == [500, 500]
    # net = margin − cost: C4 −20, C2 −10, C5 −10
    assert lists["bzc"].customer_id.tolist() == ["C4", "C2", "C5"]
    assert lists["bzc"].net.tolist() == [-20, -10, -10]
    assert [list(f.index) for f in lists.values()] == [[0, 1], [0, 1], [0, 1, 2]]


def test_the_matrix_counts_and_sums_each_cell_and_leaves_out_customers_without_one() -> None:
    classified = pd.DataFrame(
        {"cell": ["R1", None, "R1", "A3"], "revenue": [10_00, 5_00, 20_00, 0]}
    )
    table = core.matrix(classified).set_index("cell")

    assert list(table.index) == ["R1", "D1", "A1", "R2", "D2", "A2", "R3", "D3", "A3"]
    assert table.loc["R1", ["customers", "revenue"]].tolist() == [2, 30_00]
    assert table.loc["A3", ["customers", "revenue"]].tolist() == [1, 0]
    assert table.customers.sum() == 3 and table.revenue.sum() == 30_00
    assert table.loc["D2", "strategy"] == "develop" and table.loc["A1", "row"] == "1"


def test_classes_by_region_and_by_owner_with_the_most_a_customers_first() -> None:
    """Issue 40.2's bars: five buying customers, counted by hand. R1: C1 A, C2 B, C3 C;
    R2: C4 A, C5 A. By region: R2 (2 A) before R1 (1 A). By owner: E1 owns C1, C4 (2 A),
    E2 owns C2, C5 (1 A), E3 owns C3 (no A), C6 is not buying (no ABC row)."""
    from crm_core.customers import classes_by

    abc = pd.DataFrame({"customer_id": ["C1", "C2", "C3", "C4", "C5"],
                        "region": ["R1", "R1", "R1", "R2", "R2"],
                        "abc": ["A", "B", "C", "A", "A"]})  # fmt: skip
    classified = pd.DataFrame({"customer_id": ["C1", "C2", "C3", "C4", "C5", "C6"],
                               "owner": ["E1", "E2", "E3", "E1", "E2", "E3"]})  # fmt: skip
    by_region = classes_by(abc, classified, "region")
    assert by_region.to_dict("records") == [
        {"region": "R2", "abc": "A", "customers": 2},
        {"region": "R1", "abc": "A", "customers": 1},
        {"region": "R1", "abc": "B", "customers": 1},
        {"region": "R1", "abc": "C", "customers": 1},
    ]
    by_rep = classes_by(abc, classified, "rep")
    assert by_rep.to_dict("records") == [
        {"rep": "E1", "abc": "A", "customers": 2},
        {"rep": "E2", "abc": "A", "customers": 1},
        {"rep": "E2", "abc": "B", "customers": 1},
        {"rep": "E3", "abc": "C", "customers": 1},
    ]
    assert classes_by(abc.iloc[0:0], classified, "region").empty
