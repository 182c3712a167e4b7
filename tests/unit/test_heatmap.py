"""The heat map's order and pages for large teams (crm_core.heatmap), written out by hand."""

from __future__ import annotations

import pandas as pd

from crm_core import heatmap


def heat(rows: list[tuple[str, str, int | None, int]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["rep", "month", "target", "actual"])


def test_reps_go_lowest_attainment_first_over_all_months() -> None:
    frame = heat(
        [
            ("P1", "2026-10", 100, 90), ("P1", "2026-11", 100, 30),  # 120 / 200 = 60 %
            ("P2", "2026-10", 100, 150), ("P2", "2026-11", None, 999),  # 150 / 100 = 150 %
            ("P3", "2026-10", 200, 100), ("P3", "2026-11", 200, 100),  # 200 / 400 = 50 %
            ("P4", "2026-10", None, 500), ("P4", "2026-11", 0, 10),  # no target: last
        ]
    )  # fmt: skip
    assert heatmap.rep_order(frame) == ["P3", "P1", "P2", "P4"]


def test_200_reps_make_five_pages_of_40() -> None:
    reps = [f"P{i:03}" for i in range(200)]
    assert heatmap.pages(reps) == 5
    assert heatmap.page_of(reps, 2) == reps[40:80]
    assert heatmap.page_of(reps, 9) == reps[160:200]  # past the end: the last page
    assert heatmap.pages([]) == 1 and heatmap.page_of([], 1) == []


def test_tiles_keep_the_order_and_mark_the_month_in_progress() -> None:
    frame = heat([("P1", "2026-10", 1, 1), ("P1", "2026-11", 1, 0), ("P2", "2026-11", 1, 1)])
    shown = heatmap.tiles(frame, ["P2", "P1"], "2026-11")
    assert list(zip(shown.rep, shown.month, shown.in_progress, strict=True)) == [
        ("P2", "2026-11", True),
        ("P1", "2026-10", False),
        ("P1", "2026-11", True),
    ]


def test_a_tile_is_set_against_the_same_reps_month_before() -> None:
    """Issue 40.3: E1 sold ¥600 in November against ¥500 in October (+20 %) and ¥300 in
    October against nothing in September (undefined); E2 sold ¥0 in November against ¥400."""
    import pandas as pd

    from crm_core.heatmap import with_change

    tiles = pd.DataFrame({"rep": ["E1", "E1", "E2"], "month": ["2026-10", "2026-11", "2026-11"],
                          "actual": [30_000, 60_000, 0]})  # fmt: skip
    earlier = pd.DataFrame({"rep": ["E1", "E2"], "month": ["2026-10", "2026-10"],
                            "compared": [50_000, 40_000]})  # fmt: skip
    found = with_change(tiles, earlier, -1)
    assert list(found.compared) == [0, 50_000, 40_000]
    assert [None if pd.isna(v) else v for v in found.change] == [None, 0.2, -1.0]
