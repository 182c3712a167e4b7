"""What the activity a target needs reads (crm_core.activity_plan), fetched per active rep."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
from sqlalchemy import Connection

from crm_core.periods import Period, months_between
from crm_core.scope import Scope
from crm_core.targets import target_for_range
from crm_core.weekly import targets_by_rep, totals_by_rep
from db import queries
from db.daily import activity_counts


def plan_inputs(
    conn: Connection, scope: Scope, period: Period, as_of: date, window: Period
) -> pd.DataFrame:
    """Per active rep of ``scope``: ``rep, name``, the revenue ``target`` of ``period`` (cents,
    ``None`` without one), the ``actual`` sold in it up to ``as_of``, the revenue and the done
    calls and visits of ``window`` (``window_revenue``, ``window_done``) and the calls and
    visits still planned after ``as_of`` up to the period's end (``planned``)."""
    reps = queries.reps(conn, scope)
    active = reps[reps.active.astype(bool)]
    months = months_between(period.start, period.end)
    monthly = queries.targets_by(conn, scope, months[0], months[-1], ["rep", "month"], ["revenue"])
    targets = targets_by_rep(monthly)
    sold = totals_by_rep(queries.sales_by(conn, scope, period.start, min(period.end, as_of),
                                          ["rep"]))  # fmt: skip
    earned = totals_by_rep(queries.sales_by(conn, scope, window.start, window.end, ["rep"]))
    done = totals_by_rep(activity_counts(conn, scope, window.start, window.end), "done")
    after = as_of + timedelta(days=1)
    ahead = totals_by_rep(activity_counts(conn, scope, after, period.end), "open")
    rows = []
    for rep in active.itertuples():
        target = target_for_range(targets.get(rep.rep_id, {}), period)
        rows.append((rep.rep_id, rep.name, None if target is None else round(target),
                     sold.get(rep.rep_id, 0), earned.get(rep.rep_id, 0), done.get(rep.rep_id, 0),
                     ahead.get(rep.rep_id, 0)))  # fmt: skip
    columns = ["rep", "name", "target", "actual", "window_revenue", "window_done", "planned"]
    frame = pd.DataFrame(rows, columns=columns).astype(object)
    return frame.where(frame.notna(), None)
