"""Page building blocks: a section that fails on its own, downloadable tables."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pandas as pd
import streamlit as st

from ui.i18n import t


@contextmanager
def section(title: str | None = None) -> Iterator[None]:
    """Render a part of a page; an error inside shows its own box and the rest still renders."""
    if title:
        st.subheader(title)
    try:
        yield
    except Exception as problem:  # noqa: BLE001 - the page must survive a failing section
        st.error(t("section_failed", error=f"{type(problem).__name__}: {problem}"))


def table_with_download(frame: pd.DataFrame, key: str, filename: str) -> None:
    st.dataframe(frame, hide_index=True, width="stretch", key=f"{key}_table")
    st.download_button(
        t("download_csv"),
        frame.to_csv(index=False).encode("utf-8-sig"),
        file_name=filename,
        mime="text/csv",
        key=f"{key}_download",
    )
