"""Money as the viewer chose to read it: yuan (``¥1,816,400``) or, in 中文, 万元
(``¥181.6万``). The choice is a sidebar toggle kept in the URL (``unit=wan``)."""

from __future__ import annotations

from crm_core import formatting as fmt
from ui.i18n import language, money_in_wan

CENTS_PER_WAN = 1_000_000  # ¥10,000 in fen
# A headline card holds about ten characters of its large type: from ¥1,000,000 up (¥646,381,330
# was cut to "¥646,381,…" on a 1,400-pixel screen) it shows the sum short.
CARD_SHORT_FROM = 100_000_000  # ¥1,000,000 in fen


def in_wan() -> bool:
    """True when money is shown in 万元 (only offered in Chinese)."""
    return money_in_wan()


def money(cents: float | None) -> str:
    """``cents`` as the viewer reads money: ``¥1,816,400`` or ``¥181.6万``."""
    if not in_wan() or fmt.missing(cents):
        return fmt.money(None if fmt.missing(cents) else round(cents))
    return fmt.wan(cents)


def card_money(cents: float | None) -> tuple[str, str | None]:
    """Money for a headline card and the exact figure for its tooltip: below ¥1,000,000 as
    :func:`money` (no tooltip); from there four significant digits with the language's scale
    word (``¥646.4M``; ``¥6.464亿``, ``¥181.6万``) and the exact :func:`money` to hover."""
    exact = money(cents)
    if fmt.missing(cents) or abs(cents) < CARD_SHORT_FROM:
        return exact, None
    return fmt.short_money(cents, language()), exact


def money_scale() -> tuple[int, str]:
    """(cents per shown unit, header suffix) for a money column of a table."""
    return (CENTS_PER_WAN, "（万元）") if in_wan() else (100, "")
