"""docs/kpis.md computations as tables, composed here: the actuals and targets :mod:`db` fetches
fed into the pure formulas of :mod:`crm_core`. Shared by the CLI (``python cli.py kpi …``)
and the pages."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pandas as pd
from sqlalchemy import Connection

from crm_core.attainment import COLUMNS, attainment_by
from crm_core.periods import Period
from crm_core.scope import FactFilter, Scope
from crm_core.vocabulary import METRICS
from db import queries
from db.measures import targets_held_against
from db.queries import NO_FILTER, Dim


def targets_table(
    conn: Connection,
    scope: Scope,
    period: Period,
    as_of: date,
    by: Sequence[Dim] = (),
    metrics: Sequence[str] = METRICS,
    flt: FactFilter = NO_FILTER,
) -> pd.DataFrame:
    """Columns ``*by, metric`` then target, actual, attainment, variance, time_elapsed, pace,
    projection, required_run_rate (docs/kpis.md#targets) and rolled_up (the target is a sum of
    the level below) for ``period`` inside ``scope``. Money in cents. Metrics without a
    product (collections, new customers, visits) are left out when grouping by product."""
    by = list(by)
    if scope.is_empty:
        return pd.DataFrame(columns=[*by, "metric", *COLUMNS, "rolled_up"])
    month: list[Dim] = ["month"] if "month" in by else []
    actual_by = [d for d in by if d != "month"] + month
    actuals = queries.Actuals(metrics)(conn, scope, period.start, period.end, actual_by, flt)
    monthly = targets_held_against(
        conn,
        scope,
        f"{period.start:%Y-%m}",
        f"{period.end:%Y-%m}",
        sorted(set(by) | {"month"}),
        flt,
        metrics,
    )
    keys: list[str] = list(by) or ["scope"]
    if not by:
        actuals = actuals.assign(scope="all")
        monthly = monthly.assign(scope="all")
    frames = [
        attainment_by(actuals, monthly, keys, metric, period, as_of).assign(metric=metric)
        for metric in metrics
        if metric in actuals.columns or actuals.empty and "product" not in by
    ]
    frames = [frame for frame in frames if not frame.empty] or [
        pd.DataFrame(columns=[*keys, *COLUMNS, "metric"])
    ]
    table = pd.concat(frames, ignore_index=True)
    table = table[[*keys, "metric", *COLUMNS]]
    table["rolled_up"] = _rolled_up(table, monthly, keys)
    return table.drop(columns="scope") if not by else table


def _rolled_up(table: pd.DataFrame, monthly: pd.DataFrame, keys: list[str]) -> list[bool]:
    """Whether a row's target includes a total summed from the level below (see
    :func:`db.queries.targets_by`)."""
    if monthly.empty or "rolled_up" not in monthly:
        return [False] * len(table)
    group = [k for k in keys if k != "month"] + ["metric"]
    if "month" in keys:
        group.append("month")
    rolled = {
        tuple(k) for k in monthly[monthly.rolled_up.astype(bool)][group].itertuples(index=False)
    }
    return [tuple(k) in rolled for k in table[group].itertuples(index=False)]
