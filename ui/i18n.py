"""One translation function for every UI string: English and Simplified Chinese."""

from __future__ import annotations

import streamlit as st

from crm_core.catalog import CATALOG, LANGUAGES, text

__all__ = ["CATALOG", "LANGUAGES", "language", "t"]


def language() -> str:
    lang = st.session_state.get("lang") or st.query_params.get("lang", "en")
    return lang if lang in LANGUAGES else "en"


def t(key: str, **values: object) -> str:
    """The UI string ``key`` in the current language, with ``{placeholders}`` filled in."""
    return text(key, language(), **values)
