"""Numbers as people read them: thousands separators, ¥ for money, % for ratios, "—" for an
undefined value (docs/kpis.md#targets: never 0 or ∞)."""

from __future__ import annotations

import re
from typing import SupportsFloat

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


# The scale words of a short sum, largest first: thousands of millions in English, 亿 and 万
# in Chinese (how Chinese sales reports write large sums).
_SCALES = {
    "en": ((1_000_000_000, "B"), (1_000_000, "M")),
    "zh": ((100_000_000, "亿"), (10_000, "万")),
}


def short_money(cents: float | None, language: str = "en") -> str:
    """Money in four significant digits with the scale word of ``language``, for a figure that
    has about ten characters of room: ``64638133000`` cents → ``"¥646.4M"`` (en) or
    ``"¥6.464亿"`` (zh); ``18164000000`` → ``"¥181.6M"`` or ``"¥1.816亿"``; ``1816400000``
    → ``"¥18.16M"`` or ``"¥1,816万"``. Below the smallest scale, as :func:`money`. A sum
    that rounds up to the next scale is written in it (¥999.96M → ``"¥1.000B"``)."""
    if cents is None or missing(cents):
        return UNDEFINED
    yuan = abs(float(cents)) / 100
    for size, word in _SCALES.get(language, _SCALES["en"]):
        value = round(yuan / size, _places(yuan / size))
        if value >= 1:
            return f"{'-' if cents < 0 else ''}¥{value:,.{_places(value)}f}{word}"
    return money(round(cents))


def _places(value: float) -> int:
    """Decimal places that leave four significant digits of ``value`` from 1 up (none from
    1,000 up), and four below 1 (0.99996 rounds to 1, 0.99994 does not)."""
    if value < 1:
        return 4
    digits = 1
    while value >= 10**digits:
        digits += 1
    return max(0, 4 - digits)


def missing(value: object) -> bool:
    """``None`` or NaN: a value that is not there (undefined, shown as "—")."""
    return value is None or (isinstance(value, float) and value != value)


def yuan(cents: SupportsFloat | None, places: int | None = None) -> float | None:
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
# Streamlit's Markdown links bare URLs and addresses in the text it has already unescaped, so
# a word joiner (U+2060, invisible) goes between the scheme or "www" and what follows, and
# after an "@": the text reads the same and makes no link.
AUTOLINKED = re.compile(r"(?i)(\b(?:https?|ftp|mailto|www)(?=[:.])|@)")
WORD_JOINER = "\u2060"


def plain(text: object) -> str:
    """``text`` (a name, a summary, a comment typed by someone) for a Markdown surface —
    captions, headings, expander labels — shown as typed: every ASCII punctuation character is
    backslash-escaped, so ``![x](http://…)`` fetches no image, ``[a](b)`` makes no link,
    ``**x**`` no bold, ``:red[x]`` no colour and ``$x$`` no formula; bare ``http://…``,
    ``www.…`` and ``a@b.c`` get an invisible word joiner so they make no link either; line
    breaks stay line breaks."""
    if text is None or (isinstance(text, float) and text != text):
        return ""
    lines = str(text).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "  \n".join(
        MARKDOWN_SPECIALS.sub(r"\\\1", AUTOLINKED.sub(rf"\1{WORD_JOINER}", line)) for line in lines
    )
