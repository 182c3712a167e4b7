"""The daily tier (docs/kpis.md#tracking-daily-weekly-monthly): per rep and day, activities against
the plan, sales and
collections, and the daily report's status and punctuality."""

from __future__ import annotations

from datetime import date, datetime, time

import pandas as pd

CUTOFF = time(20, 0)
MAX_DURATION_MIN = 600  # one activity lasts at most ten hours (the visit form's limit)
REPORT_STATES = ("missing", "submitted", "approved", "returned")
COUNTS = ("planned", "done", "missed", "unplanned", "effective", "open")


def on_time(submitted_at: datetime | None, day: date, cutoff: time = CUTOFF) -> bool | None:
    """Submitted by the cut-off (default 20:00, inclusive) on the report's own day; ``None``
    when there is no report."""
    if submitted_at is None:
        return None
    return submitted_at <= datetime.combine(day, cutoff)


def daily_table(
    reps: pd.DataFrame,
    counts: pd.DataFrame,
    sales: pd.DataFrame,
    collections: pd.DataFrame,
    reports: pd.DataFrame,
    day: date,
    cutoff: time = CUTOFF,
) -> pd.DataFrame:
    """One row per rep of ``reps`` (``rep_id, name``): the activity counts of ``counts``
    (``rep`` + :data:`COUNTS`; planned = on the day's plan whatever became of it; done and
    missed by status; unplanned = done but not planned; effective = done with an outcome
    beyond no contact; open = planned, not yet done or missed), ``revenue`` and
    ``collections`` (cents), and ``report_status`` (missing|submitted|approved|returned) with
    ``on_time`` (None without a report)."""
    table = reps[["rep_id", "name"]].rename(columns={"rep_id": "rep"}).copy()
    table = table.merge(counts[["rep", *COUNTS]], on="rep", how="left")
    table = table.merge(sales[["rep", "revenue"]], on="rep", how="left")
    table = table.merge(collections[["rep", "collections"]], on="rep", how="left")
    for column in (*COUNTS, "revenue", "collections"):
        table[column] = table[column].fillna(0).astype("int64")
    latest = reports.sort_values("submitted_at").groupby("rep").tail(1).set_index("rep")
    table["report_status"] = [
        latest.at[rep, "status"] if rep in latest.index else "missing" for rep in table.rep
    ]
    table["on_time"] = [
        on_time(latest.at[rep, "submitted_at"], day, cutoff) if rep in latest.index else None
        for rep in table.rep
    ]
    return table.astype({"on_time": object}).reset_index(drop=True)
