"""Money as the viewer chose to read it: yuan (``¥1,816,400``) or, in 中文, 万元
(``¥181.6万``). The choice is a sidebar toggle kept in the URL (``unit=wan``)."""

from __future__ import annotations

from crm_core import formatting as fmt
from ui.i18n import money_in_wan

CENTS_PER_WAN = 1_000_000  # ¥10,000 in fen


def in_wan() -> bool:
    """True when money is shown in 万元 (only offered in Chinese)."""
    return money_in_wan()


def money(cents: float | None) -> str:
    """``cents`` as the viewer reads money: ``¥1,816,400`` or ``¥181.6万``."""
    if not in_wan() or fmt.missing(cents):
        return fmt.money(None if fmt.missing(cents) else round(cents))
    return fmt.wan(cents)


def money_scale() -> tuple[int, str]:
    """(cents per shown unit, header suffix) for a money column of a table."""
    return (CENTS_PER_WAN, "（万元）") if in_wan() else (100, "")
