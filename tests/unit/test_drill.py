"""The customers behind a rep's figures (crm_core.drill), expectations written out."""

from __future__ import annotations

import pandas as pd

from crm_core.drill import CUSTOMER_COLUMNS, customers_of


def test_buyers_and_open_deals_meet_in_one_row_per_customer() -> None:
    sales = pd.DataFrame(
        [("C1", 50_000, 20_000, 2), ("C2", 90_000, 30_000, 1)],
        columns=["customer", "revenue", "gross_margin", "orders"],
    )
    # C1 has two open deals (¥100 + ¥250), C3 bought nothing but has one (¥1,000)
    deals = pd.DataFrame({"customer_id": ["C1", "C3", "C1"], "amount": [10_000, 100_000, 25_000]})
    frame = customers_of(sales, deals, {"C1": "Alpha", "C2": "Beta"})
    assert list(frame.columns) == CUSTOMER_COLUMNS
    assert frame.values.tolist() == [
        ["C2", "Beta", 90_000, 30_000, 1, 0, 0],  # the largest revenue first
        ["C1", "Alpha", 50_000, 20_000, 2, 2, 35_000],
        ["C3", "C3", 0, 0, 0, 1, 100_000],  # no name known: its ID
    ]


def test_no_sales_and_no_deals_give_an_empty_table_with_its_columns() -> None:
    empty = customers_of(
        pd.DataFrame(columns=["customer", "revenue", "gross_margin", "orders"]),
        pd.DataFrame(columns=["customer_id", "amount"]),
        {},
    )
    assert empty.empty and list(empty.columns) == CUSTOMER_COLUMNS
