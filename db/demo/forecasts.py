"""Demo forecasts (crm_core.forecasts): every rep has a habit, from sandbagging to optimism,
and calls each of the last six months and the current one on its first working day, half of
them again in its third week, closer to what happened; some calls are adjusted by the
manager with a note. The current month's call starts from the rep's target, as a rep's does."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any

import numpy as np

from crm_core.periods import month_of, month_period, next_working_day, shift_month
from db.demo.world import World

MONTHS = 6  # complete months with calls, before the current one
NOTES = ("客户确认下单时间推迟到下月", "大单已签合同,调高", "重点客户预算冻结,调低",
         "竞品降价,成交把握下降", "新客户试单顺利,可期")  # fmt: skip


def _forecasts(
    world: World, orders: list[dict[str, Any]], targets: list[dict[str, Any]], rep_user: str
) -> list[dict[str, Any]]:
    """Submissions and adjustments of the last :data:`MONTHS` months and the current one
    (none dated after the demo's end). ``rep_user``: the rep the demo's rep user is, whose
    submissions carry that username (the others carry their rep ID)."""
    rng = world.rng
    sold: dict[tuple[str, str], int] = defaultdict(int)
    for order in orders:
        sold[(order["rep_id"], month_of(order["date"]))] += order["amount_cents"]
    target = {(t["rep_id"], t["period"]): t["amount"] for t in targets
              if t["rep_id"] and t["metric"] == "revenue"}  # fmt: skip
    current = month_of(world.end)
    months = [shift_month(current, k - MONTHS) for k in range(MONTHS + 1)]
    habit = np.clip(rng.normal(0.0, 0.14, len(world.rep_ids)), -0.35, 0.3)
    rows: list[dict[str, Any]] = []
    for rep, rid in enumerate(world.rep_ids):
        region = world.rep_region[rep]
        maker = "rep" if rid == rep_user else rid
        manager = "manager" if region == 0 else "director"
        for month in months:
            period = month_period(month)
            first = next_working_day(period.start - timedelta(days=1))
            third = first + timedelta(days=14)
            if first > world.end or rng.random() < 0.08:  # a few forget
                continue
            basis = target.get((rid, month), 0) if month == current else sold[(rid, month)]
            if basis <= 0:
                continue
            commit = basis * (1 + habit[rep] + rng.normal(0, 0.08))
            best = commit * rng.uniform(1.15, 1.4)
            rows.append(_row(rid, month, "submitted", commit, best, None, first, maker))
            if third <= world.end and rng.random() < 0.5:
                commit = basis * (1 + habit[rep] / 2 + rng.normal(0, 0.04))
                best = commit * rng.uniform(1.1, 1.25)
                rows.append(_row(rid, month, "submitted", commit, best, None, third, maker))
            if third + timedelta(days=1) <= world.end and rng.random() < 0.15:
                adjusted = commit - (commit - basis) / 2  # the manager knows the customers
                rows.append(_row(rid, month, "adjusted", adjusted, max(best, adjusted),
                                 NOTES[int(rng.integers(len(NOTES)))],
                                 third + timedelta(days=1), manager))  # fmt: skip
    return rows


def _row(rep_id: str, month: str, kind: str, commit: float, best_case: float | None,
         note: str | None, day: date, made_by: str) -> dict[str, Any]:  # fmt: skip
    """One forecast row, amounts rounded to ¥1,000 (a best case never under the commit)."""
    commit_cents = int(round(max(commit, 0) / 100_000)) * 100_000
    best = None if best_case is None else max(int(round(best_case / 100_000)) * 100_000,
                                              commit_cents)  # fmt: skip
    return {"rep_id": rep_id, "month": month, "kind": kind, "commit_cents": commit_cents,
            "best_case_cents": best, "note": note, "day": day, "made_by": made_by,
            "made_at": datetime.combine(day, time(9, 0))}  # fmt: skip
