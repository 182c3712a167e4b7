"""What moved in the pipeline between two days (issue 38.2, docs/kpis.md#what-changed): each
deal's state at the end of the first day against its state at the end of the second.

Changes, one row each (a deal may have several): ``new`` (it did not exist at the end of the
first day), ``advanced`` / ``moved_back`` (an open stage further on or back), ``won``,
``lost``, ``pushed`` / ``pulled_in`` (the expected close of a deal still open moved later or
earlier), ``amount_up`` / ``amount_down``. A deal that did not change is not listed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from crm_core.periods import Period
from crm_core.pipeline import PROGRESS

CHANGE_COLUMNS = ["opportunity_id", "rep", "change", "before", "after", "amount", "pushes"]
CLOSED = frozenset({"won", "lost"})


@dataclass(frozen=True)
class PipelineMoves:
    """What moved between two days: the changes (:func:`deal_changes`) and the open and
    weighted pipeline expected to close in a month at the end of each day (cents)."""

    first: date
    last: date
    changes: pd.DataFrame
    open_before: int
    open_after: int
    weighted_before: float
    weighted_after: float


def month_pipeline(states: pd.DataFrame, month: Period,
                   probabilities: Mapping[str, float]) -> tuple[int, float]:  # fmt: skip
    """Open amount, and weighted by stage probability, of the deals of ``states`` still open
    and expected to close in ``month``."""
    open_total, weighted = 0, 0.0
    for deal in states.to_dict("records"):
        if deal["stage"] in CLOSED or not month.start <= deal["expected_close"] <= month.end:
            continue
        open_total += int(deal["amount_cents"])
        weighted += int(deal["amount_cents"]) * probabilities.get(deal["stage"], 0.0)
    return open_total, weighted


def deal_changes(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """``before`` and ``after``: deals' states (``opportunity_id, rep_id, stage, amount_cents,
    expected_close, closed_on, pushes``) at the end of the two days. Columns
    :data:`CHANGE_COLUMNS`: ``amount`` is the deal's amount after (cents; for an amount change
    the difference), ``pushes`` how many times its close has been pushed out by then."""
    was = {row["opportunity_id"]: row for row in before.to_dict("records")}
    rows: list[dict[str, Any]] = []
    for now in after.to_dict("records"):
        rows += _changes(was.get(now["opportunity_id"]), now)
    frame = pd.DataFrame(rows, columns=CHANGE_COLUMNS, dtype=object)
    return frame.where(frame.notna(), None)


def largest_first(changes: pd.DataFrame) -> pd.DataFrame:
    """``changes`` by the money they move, largest first (then by deal), for a meeting."""
    if changes.empty:
        return changes
    order = sorted(range(len(changes)), key=lambda i: (-abs(int(changes.amount[i])),
                                                       changes.opportunity_id[i]))  # fmt: skip
    return changes.iloc[order].reset_index(drop=True)


def _changes(was: dict[str, Any] | None, now: dict[str, Any]) -> list[dict[str, Any]]:
    base = {"opportunity_id": now["opportunity_id"], "rep": now["rep_id"],
            "amount": int(now["amount_cents"]), "pushes": int(now.get("pushes") or 0)}  # fmt: skip
    if was is None:
        return [{**base, "change": "new", "before": None, "after": now["stage"]}]
    found = []
    stage_before, stage_now = was["stage"], now["stage"]
    if stage_now != stage_before:
        if stage_now in CLOSED:
            kind = stage_now
        elif stage_before in CLOSED or PROGRESS.index(stage_now) < PROGRESS.index(stage_before):
            kind = "moved_back"
        else:
            kind = "advanced"
        found.append({**base, "change": kind, "before": stage_before, "after": stage_now})
    if stage_now not in CLOSED and now["expected_close"] != was["expected_close"]:
        kind = "pushed" if now["expected_close"] > was["expected_close"] else "pulled_in"
        found.append({**base, "change": kind, "before": was["expected_close"],
                      "after": now["expected_close"]})  # fmt: skip
    difference = int(now["amount_cents"]) - int(was["amount_cents"])
    if difference:
        found.append({**base, "change": "amount_up" if difference > 0 else "amount_down",
                      "before": int(was["amount_cents"]), "after": int(now["amount_cents"]),
                      "amount": difference})  # fmt: skip
    return found
