"""Money and ratios as people read them (crm_core.formatting), expectations written out."""

from __future__ import annotations

import pytest

from crm_core import formatting as fmt


@pytest.mark.parametrize(
    ("cents", "shown"),
    [
        (123_456_789, "¥1,234,568"),  # ¥1,234,567.89 rounds up
        (50, "¥1"),  # half a yuan rounds away from zero
        (-150, "-¥2"),
        (0, "¥0"),
        (None, "—"),
    ],
)
def test_money_in_yuan(cents: int | None, shown: str) -> None:
    assert fmt.money(cents) == shown


@pytest.mark.parametrize(
    ("cents", "shown"),
    [
        (121_000_000_000, "¥121,000.0万"),  # ¥1.21 billion = 121,000 万元
        (1_816_400_00, "¥181.6万"),  # ¥1,816,400
        (1_000_000, "¥1.0万"),  # ¥10,000
        (-25_000_000, "-¥25.0万"),
        (None, "—"),
    ],
)
def test_money_in_wan(cents: int | None, shown: str) -> None:
    assert fmt.wan(cents) == shown
