"""Numbers as people read them: thousands separators, ¥ for money, % for ratios, "—" for an
undefined value (docs/kpis.md#targets: never 0 or ∞)."""

from __future__ import annotations

import re

import pandas as pd

UNDEFINED = "—"


def money(cents: int | None, currency: str = "¥") -> str:
    """``123456789`` cents → ``"¥1,234,568"`` (rounded to the yuan, half away from zero)."""
    if cents is None:
        return UNDEFINED
    yuan = (abs(int(cents)) + 50) // 100
    return f"{'-' if cents < 0 else ''}{currency}{yuan:,}"


def wan(cents: float | None) -> str:
    """``18164000000`` cents → ``"¥18,164.0万"`` (万元, one decimal: how Chinese sales reports
    write large sums)."""
    if cents is None:
        return UNDEFINED
    return f"{'-' if cents < 0 else ''}¥{abs(cents) / 1_000_000:,.1f}万"


def missing(value: object) -> bool:
    """``None`` or NaN: a value that is not there (undefined, shown as "—")."""
    return value is None or (isinstance(value, float) and value != value)


def yuan(cents: object, places: int | None = None) -> float | None:
    """Cents (fen, as stored) as yuan for charts, files and the CLI, rounded to ``places``
    when given (``None`` or NaN stays ``None``). The one cents-to-yuan rule."""
    if cents is None or pd.isna(cents):
        return None
    value = float(cents) / 100
    return value if places is None else round(value, places)


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


MARKDOWN_SPECIALS = re.compile(r"([!-/:-@\[-`{-~])")


def plain(text: object) -> str:
    """``text`` (a name, a summary, a comment typed by someone) for a Markdown surface —
    captions, headings, expander labels — shown as typed: every ASCII punctuation character is
    backslash-escaped, so ``![x](http://…)`` fetches no image, ``[a](b)``, ``http://…`` and
    ``www.…`` make no link, ``**x**`` no bold, ``:red[x]`` no colour and ``$x$`` no formula;
    line breaks stay line breaks."""
    if text is None or (isinstance(text, float) and text != text):
        return ""
    lines = str(text).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "  \n".join(MARKDOWN_SPECIALS.sub(r"\\\1", line) for line in lines)
