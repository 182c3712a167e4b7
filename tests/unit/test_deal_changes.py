"""What moved in the pipeline (issue 38.2), by hand on deals' states at the end of two days."""

from __future__ import annotations

from datetime import date

import pandas as pd

from crm_core.deal_changes import deal_changes

COLUMNS = ["opportunity_id", "rep_id", "stage", "amount_cents", "expected_close", "closed_on",
           "pushes"]  # fmt: skip
BEFORE = pd.DataFrame(
    [
        ("D1", "E1", "qualified", 100_000, date(2026, 12, 1), None, 0),
        ("D2", "E1", "committed", 50_000, date(2026, 11, 30), None, 0),
        ("D3", "E2", "developed", 80_000, date(2026, 12, 15), None, 1),
        ("D4", "E2", "contacted", 30_000, date(2026, 12, 1), None, 0),
        ("D5", "E2", "identified", 10_000, date(2027, 1, 31), None, 0),
    ],
    columns=COLUMNS,
).astype(object)
AFTER = pd.DataFrame(
    [
        ("D1", "E1", "committed", 100_000, date(2026, 12, 1), None, 0),  # advanced
        ("D2", "E1", "won", 55_000, date(2026, 11, 30), date(2026, 11, 20), 0),  # won, more
        ("D3", "E2", "qualified", 80_000, date(2027, 1, 15), None, 2),  # back, pushed again
        ("D4", "E2", "contacted", 30_000, date(2026, 12, 1), None, 0),  # nothing
        ("D5", "E2", "identified", 10_000, date(2026, 12, 20), None, 0),  # pulled in
        ("D6", "E1", "identified", 20_000, date(2027, 2, 1), None, 0),  # new
    ],
    columns=COLUMNS,
).astype(object)


def test_each_change_of_each_deal_is_one_row_and_unchanged_deals_are_left_out() -> None:
    got = [tuple(r) for r in deal_changes(BEFORE, AFTER).itertuples(index=False)]
    assert got == [
        ("D1", "E1", "advanced", "qualified", "committed", 100_000, 0),
        ("D2", "E1", "won", "committed", "won", 55_000, 0),
        ("D2", "E1", "amount_up", 50_000, 55_000, 5_000, 0),  # the difference
        ("D3", "E2", "moved_back", "developed", "qualified", 80_000, 2),
        ("D3", "E2", "pushed", date(2026, 12, 15), date(2027, 1, 15), 80_000, 2),
        ("D5", "E2", "pulled_in", date(2027, 1, 31), date(2026, 12, 20), 10_000, 0),
        ("D6", "E1", "new", None, "identified", 20_000, 0),
    ]


def test_a_lost_deal_and_a_reopened_one() -> None:
    lost = AFTER.copy()
    lost.loc[0, "stage"], lost.loc[0, "expected_close"] = "lost", date(2027, 3, 1)
    changes = deal_changes(BEFORE.head(1), lost.head(1))
    # a closed deal's close date is not a push
    assert [tuple(r)[2:5] for r in changes.itertuples(index=False)] == [
        ("lost", "qualified", "lost")
    ]
    reopened = deal_changes(lost.head(1), BEFORE.head(1))
    assert list(reopened.change) == ["moved_back", "pulled_in"]


def test_no_deals_no_rows() -> None:
    assert deal_changes(BEFORE.head(0), AFTER.head(0)).empty
