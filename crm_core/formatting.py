"""Numbers as people read them: thousands separators, ¥ for money, % for ratios, "—" for an
undefined value (docs/kpis.md#targets: never 0 or ∞)."""

from __future__ import annotations

import pandas as pd

UNDEFINED = "—"


def money(cents: int | None, currency: str = "¥") -> str:
    """``123456789`` cents → ``"¥1,234,568"`` (rounded to the yuan, half away from zero)."""
    if cents is None:
        return UNDEFINED
    yuan = (abs(int(cents)) + 50) // 100
    return f"{'-' if cents < 0 else ''}{currency}{yuan:,}"


def yuan(cents: object) -> float | None:
    """Cents as yuan for charts and downloads (``None`` or NaN stays ``None``)."""
    return None if cents is None or pd.isna(cents) else float(cents) / 100


def signed_money(cents: int | None, currency: str = "¥") -> str:
    if cents is None:
        return UNDEFINED
    return ("+" if cents > 0 else "") + money(cents, currency)


def count(value: int | float | None) -> str:
    if value is None:
        return UNDEFINED
    return f"{value:,.0f}"


def ratio(value: float | None, digits: int = 1) -> str:
    """``0.8734`` → ``"87.3%"``."""
    if value is None:
        return UNDEFINED
    return f"{value * 100:,.{digits}f}%"


def signed_ratio(value: float | None, digits: int = 1) -> str:
    if value is None:
        return UNDEFINED
    return ("+" if value > 0 else "") + ratio(value, digits)
