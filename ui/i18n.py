"""One translation function for every UI string: English and Simplified Chinese."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import streamlit as st

from crm_core.catalog import CATALOG, LANGUAGES, text

__all__ = [
    "CATALOG", "LANGUAGES", "choices", "kept", "language", "money_in_wan", "t", "t_each",
]  # fmt: skip


# The viewer's choices for work done outside the script run (a download built on click).
_KEPT: ContextVar[tuple[str, bool] | None] = ContextVar("viewer_choices", default=None)


def language() -> str:
    if (kept := _KEPT.get()) is not None:
        return kept[0]
    lang = st.session_state.get("lang") or st.query_params.get("lang", "en")
    return lang if lang in LANGUAGES else "en"


def choices() -> tuple[str, bool]:
    """The viewer's language and whether money is shown in 万元, to be :func:`kept`."""
    return language(), money_in_wan()


def money_in_wan() -> bool:
    if (kept := _KEPT.get()) is not None:
        return kept[1]
    return language() == "zh" and bool(st.session_state.get("money_wan"))


@contextmanager
def kept(chosen: tuple[str, bool]) -> Iterator[None]:
    """Run with the viewer's ``chosen`` language and money unit, e.g. when a download that
    was deferred to its click is built outside the script run."""
    token = _KEPT.set(chosen)
    try:
        yield
    finally:
        _KEPT.reset(token)


def t(key: str, **values: object) -> str:
    """The UI string ``key`` in the current language, with ``{placeholders}`` filled in."""
    return text(key, language(), **values)


def t_each(keys: Iterable[str]) -> list[str]:
    """:func:`t` of each of ``keys`` (a column of codes), each distinct key looked up once: the
    language is read from the session once, not once per row of a long table."""
    keys = list(keys)
    lang = language()
    found = {key: text(key, lang) for key in set(keys)}
    return [found[key] for key in keys]
