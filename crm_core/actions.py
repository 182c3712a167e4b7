"""Actions decided in the Monday meeting (issue 37.2, 过程控制: a decision has an owner and a
due date, and the next Monday asks whether it was done).

An action belongs to the week of the report it was decided on. The report of week W opens
with the actions of earlier weeks that were still open when W began: last week's, and older
ones carried over until they are closed; an action closed during or after W shows as done
once more, so the meeting sees it closed. Status on a day: ``done`` (closed on or before
it), ``overdue`` (open and due before it) or ``open``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from crm_core import inputs
from crm_core.periods import Period, checked_day

TEXT_MAX = 500
STATUSES = ("done", "open", "overdue")
ACTION_COLUMNS = ["id", "week", "about", "about_name", "owner", "due", "text", "status",
                  "done_on", "created_by"]  # fmt: skip


@dataclass(frozen=True)
class NewAction:
    """An action as typed: checked by :func:`new_action`."""

    week: str
    about: str
    owner: str
    due: date
    text: str


def action_text(text: str) -> str:
    """What is to be done: one to :data:`TEXT_MAX` characters of text."""
    said = (inputs.free_text(text, "text", TEXT_MAX) or "").strip()
    if not said:
        raise inputs.InputRefused("text: say what is to be done")
    return said


def new_action(week: Period, week_label: str, about: str, owner: str, due: date,
               text: str) -> NewAction:  # fmt: skip
    """The action checked: a due date inside the accepted range and not before the week it was
    decided on, a text."""
    checked_day(due, "due")
    if due < week.start:
        raise inputs.InputRefused(
            f"due: expected a day from {week.start} (the week {week_label} on), found {due}"
        )
    return NewAction(week_label, about, owner, due, action_text(text))


def status(due: date, done_on: date | None, on: date) -> str:
    """``done``, ``overdue`` or ``open`` on the day ``on``."""
    if done_on is not None and done_on <= on:
        return "done"
    return "overdue" if due < on else "open"


def carried_into(actions: pd.DataFrame, week: Period, week_label: str, on: date) -> pd.DataFrame:
    """The actions the report of ``week`` opens with, each with its status on ``on``: decided
    in an earlier week and not closed before ``week`` began. ``actions``: ``id, week, due,
    done_on`` and the rest of :data:`ACTION_COLUMNS` but ``status``. Open ones first (overdue
    before open), then done; by due date."""
    if actions.empty:
        return pd.DataFrame(columns=ACTION_COLUMNS)
    earlier = actions[actions.week < week_label]
    still = earlier[[d is None or pd.isna(d) or d >= week.start for d in earlier.done_on]]
    shown = still.assign(
        status=[
            status(due, None if pd.isna(done) else done, on)
            for due, done in zip(still.due, still.done_on, strict=True)
        ]
    )
    order = {"overdue": 0, "open": 1, "done": 2}
    shown = shown.assign(_order=shown.status.map(order)).sort_values(["_order", "due", "id"])
    return shown.drop(columns="_order")[ACTION_COLUMNS].reset_index(drop=True)
