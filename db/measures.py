"""The targets an actual is held against, fetched for the computations of
:mod:`services.measures`."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from sqlalchemy import Connection

from crm_core.scope import FactFilter, Scope
from db import queries
from db.queries import NO_FILTER, Dim


def targets_held_against(
    conn: Connection,
    scope: Scope,
    first: str,
    last: str,
    keys: Sequence[Dim],
    flt: FactFilter = NO_FILTER,
    metrics: Sequence[str] | None = None,
) -> pd.DataFrame:
    """:func:`db.queries.targets_by` of months ``first``–``last`` for the actuals that ``flt``
    keeps: with a product filter the targets of those products only (none: undefined, never
    the whole region's); with a customer-tier filter none at all (targets are not set per
    tier)."""
    keys = list(keys)
    if flt.tiers:
        return pd.DataFrame(columns=[*keys, "metric", "target", "rolled_up"])
    if not flt.product_ids or "product" in keys:
        return queries.targets_by(conn, scope, first, last, keys, metrics)
    rows = queries.targets_by(conn, scope, first, last, sorted(set(keys) | {"product"}), metrics)
    rows = rows[rows["product"].isin(flt.product_ids)]
    if rows.empty:
        return pd.DataFrame(columns=[*keys, "metric", "target", "rolled_up"])
    return rows.groupby([*keys, "metric"], as_index=False).agg(
        target=("target", "sum"), rolled_up=("rolled_up", "any")
    )
