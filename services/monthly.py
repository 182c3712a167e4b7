"""The monthly tier (docs/kpis.md#tracking-daily-weekly-monthly), composed: ranked attainment,
the pipeline snapshot and the customer base, from what :mod:`db` fetches and the formulas of
:mod:`crm_core`."""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Connection

from crm_core.monthly import BaseChange, base_change, ranked
from crm_core.periods import elapsed_working_days, first_working_days, month_period, shift_month
from crm_core.pipeline import open_pipeline
from crm_core.scope import Scope
from db import monthly as monthly_db
from db import pipeline, queries
from db.queries import Dim
from services.measures import targets_table


def ranked_attainment(
    conn: Connection, scope: Scope, month: str, as_of: date, key: Dim, metric: str = "revenue"
) -> pd.DataFrame:
    """Attainment of ``month`` by ``key`` with rank, MoM and YoY
    (docs/kpis.md#tracking-daily-weekly-monthly monthly). A month in progress is compared with
    the same number of working days of last month and of the month a year ago (the first 13
    of each, not 13 against a whole month); a month not started has no growth (``None``)."""
    whole = month_period(month)
    days = elapsed_working_days(whole, as_of)

    def actuals(which: str) -> pd.DataFrame:
        """``key, actual`` of the first ``days`` working days of ``which``: growth compares
        actuals only, so the earlier months' targets are not read."""
        period = first_working_days(month_period(which), days)
        found = queries.Actuals([metric])(conn, scope, period.start, period.end, [key])
        return found[[key, metric]].rename(columns={metric: "actual"})

    current = targets_table(conn, scope, whole, as_of, [key], [metric])
    frame = ranked(current, actuals(shift_month(month, -1)), actuals(shift_month(month, -12)), key)
    if as_of < whole.start:
        frame["mom"] = frame["yoy"] = None
    return frame


def pipeline_snapshot(conn: Connection, scope: Scope, as_of: date) -> pd.DataFrame:
    """Open opportunities on ``as_of`` by stage: ``stage, count, amount`` (cents), in stage
    order (created by then and not closed by then, at the stage they had reached)."""
    stages = open_pipeline(pipeline.open_deals(conn, scope, as_of))
    return stages[stages.stage != "total"][["stage", "count", "amount"]]


def customer_base(conn: Connection, scope: Scope, month: str) -> BaseChange:
    """The customer base change of ``month`` (crm_core.monthly.base_change)."""
    return base_change(*monthly_db.customer_sets(conn, scope, month))
