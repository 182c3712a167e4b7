"""Forecasts composed (docs/kpis.md#forecasts): what :mod:`db.forecasts` reads, through the
formulas of :mod:`crm_core.forecasts`."""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Connection

from crm_core import forecasts as core
from crm_core.periods import month_period
from crm_core.scope import Scope
from db import forecasts as forecasts_db


def month_table(conn: Connection, scope: Scope, month: str,
                as_of: date) -> tuple[pd.DataFrame, pd.DataFrame]:  # fmt: skip
    """``(crm_core.forecasts.forecast_table, the month's records)`` of ``month`` in ``scope``
    at the end of ``as_of``."""
    calls = forecasts_db.records(conn, scope, [month])
    inputs = forecasts_db.month_inputs(conn, scope, month_period(month), as_of)
    return core.forecast_table(inputs, calls, as_of), calls


def accuracy_tables(conn: Connection, scope: Scope,
                    month: str) -> tuple[pd.DataFrame, pd.DataFrame]:  # fmt: skip
    """Accuracy of ``month`` per rep (largest error first) and per region, with the bias of
    the months before (crm_core.forecasts.accuracy, region_accuracy)."""
    window = core.bias_months(month)
    calls = forecasts_db.records(conn, scope, window)
    actuals = forecasts_db.revenue_by_rep_month(conn, scope, window)
    reps = forecasts_db.reps_of(conn, scope)
    return (core.by_error(core.accuracy(reps, calls, actuals, month)),
            core.region_accuracy(reps, calls, actuals, month))  # fmt: skip
