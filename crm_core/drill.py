"""Drill-down below a rep: the customers behind the rep's figures (docs/kpis.md#targets)."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

CUSTOMER_COLUMNS = [
    "customer_id", "customer", "revenue", "gross_margin", "orders", "open_deals", "open_amount",
]  # fmt: skip


def customers_of(
    sales: pd.DataFrame, deals: pd.DataFrame, names: Mapping[str, str]
) -> pd.DataFrame:
    """One row per customer that bought in the period (``sales``: ``customer, revenue,
    gross_margin, orders``) or has a deal open (``deals``: ``customer_id, amount``), with its
    name (the ID when ``names`` lacks it): :data:`CUSTOMER_COLUMNS`, the largest revenue
    first, then the largest open amount, then the ID. Money in cents."""
    bought = {
        row.customer: (int(row.revenue), int(row.gross_margin), int(row.orders))
        for row in sales.itertuples()
    }
    open_: dict[str, list[int]] = {}
    for customer, amount in zip(deals.get("customer_id", []), deals.get("amount", []), strict=True):
        counted = open_.setdefault(customer, [0, 0])
        counted[0] += 1
        counted[1] += int(amount)
    rows = [
        (
            customer,
            names.get(customer, customer),
            *bought.get(customer, (0, 0, 0)),
            *open_.get(customer, (0, 0)),
        )
        for customer in {*bought, *open_}
    ]
    frame = pd.DataFrame(rows, columns=CUSTOMER_COLUMNS)
    return frame.sort_values(
        ["revenue", "open_amount", "customer_id"], ascending=[False, False, True]
    ).reset_index(drop=True)
