"""Actions of the Monday meeting (issue 37.2): their status on a day and which ones a week's
report opens with, by hand."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from crm_core.actions import ACTION_COLUMNS, action_text, carried_into, new_action, status
from crm_core.inputs import InputRefused
from crm_core.periods import iso_week_period

W47 = iso_week_period("2026-W47")  # Mon 16 – Sun 22 Nov 2026


def test_status_on_a_day() -> None:
    due = date(2026, 11, 20)
    assert status(due, None, date(2026, 11, 20)) == "open"  # due today: not late yet
    assert status(due, None, date(2026, 11, 21)) == "overdue"
    assert status(due, date(2026, 11, 22), date(2026, 11, 21)) == "overdue"  # done later
    assert status(due, date(2026, 11, 22), date(2026, 11, 22)) == "done"


def _actions(*rows: tuple) -> pd.DataFrame:
    columns = [c for c in ACTION_COLUMNS if c != "status"]
    return pd.DataFrame(
        [(i, week, "E01", "张伟", "east", due, f"a{i}", done, "east")
         for i, week, due, done in rows],
        columns=columns,
    ).astype(object)  # fmt: skip


def test_the_report_opens_with_last_weeks_and_the_still_open_older_ones() -> None:
    actions = _actions(
        (1, "2026-W46", date(2026, 11, 20), None),  # last week's, open, due Friday
        (2, "2026-W46", date(2026, 11, 17), date(2026, 11, 17)),  # last week's, done in W47
        (3, "2026-W45", date(2026, 11, 13), None),  # two weeks old, still open: carried
        (4, "2026-W45", date(2026, 11, 13), date(2026, 11, 13)),  # closed before W47: gone
        (5, "2026-W47", date(2026, 11, 27), None),  # decided on this week's report: next
        (6, "2026-W44", date(2026, 11, 6), date(2026, 11, 16)),  # closed on W47's Monday
    )
    shown = carried_into(actions, W47, "2026-W47", date(2026, 11, 23))
    # on Monday 23 Nov: 3 (due 13th) overdue, 1 (due 20th) overdue; 6 and 2 done
    assert [(r.id, r.status) for r in shown.itertuples()] == [
        (3, "overdue"), (1, "overdue"), (6, "done"), (2, "done"),
    ]  # fmt: skip
    # on Monday 16 Nov: 2 (due the 17th, done then) and 1 are still open, 6 done that day
    early = carried_into(actions, W47, "2026-W47", date(2026, 11, 16))
    assert [(r.id, r.status) for r in early.itertuples()] == [
        (3, "overdue"), (2, "open"), (1, "open"), (6, "done"),
    ]  # fmt: skip


def test_no_actions_no_rows() -> None:
    assert carried_into(_actions(), W47, "2026-W47", date(2026, 11, 23)).empty


def test_a_new_action_needs_a_text_and_a_due_day_in_or_after_its_week() -> None:
    made = new_action(W47, "2026-W47", "E01", "east", date(2026, 11, 16), "  visit K1  ")
    assert (made.text, made.due) == ("visit K1", date(2026, 11, 16))
    with pytest.raises(InputRefused, match="due: expected a day from 2026-11-16"):
        new_action(W47, "2026-W47", "E01", "east", date(2026, 11, 15), "visit K1")
    with pytest.raises(InputRefused, match="text: say what is to be done"):
        action_text(" \n ")
    with pytest.raises(InputRefused, match="at most 500"):
        action_text("x" * 501)
