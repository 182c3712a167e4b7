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


@pytest.mark.parametrize(
    ("cents", "english", "chinese"),
    [
        # ¥646,381,330: 646.38133 million, 6.4638133 亿; four significant digits
        (64_638_133_000, "¥646.4M", "¥6.464亿"),
        # ¥2,655,221,000: 2.655221 billion, 26.55221 亿
        (265_522_100_000, "¥2.655B", "¥26.55亿"),
        # ¥18,164,000: 18.164 million, 1,816.4 万 (no decimals from 1,000 up)
        (1_816_400_000, "¥18.16M", "¥1,816万"),
        # ¥1,000,000 exactly: 1 million, 100 万
        (100_000_000, "¥1.000M", "¥100.0万"),
        # ¥999,960,000 rounds up to the next scale; ¥999,940,000 does not
        (99_996_000_000, "¥1.000B", "¥10.00亿"),
        (99_994_000_000, "¥999.9M", "¥9.999亿"),
        # ¥99,996,000: 99.996 million; 9,999.6 万 rounds to 1 亿
        (9_999_600_000, "¥100.0M", "¥1.000亿"),
        # ¥999,900: under a million is the plain sum in English; 99.99 万
        (99_990_000, "¥999,900", "¥99.99万"),
        # ¥5,000: under 1 万 in both, the plain sum
        (500_000, "¥5,000", "¥5,000"),
        (-64_638_133_000, "-¥646.4M", "-¥6.464亿"),
        (None, "—", "—"),
    ],
)
def test_short_money(cents: int | None, english: str, chinese: str) -> None:
    assert fmt.short_money(cents, "en") == english
    assert fmt.short_money(cents, "zh") == chinese
