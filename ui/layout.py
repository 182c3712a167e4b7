"""Page building blocks: a section that fails on its own, downloadable tables."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pandas as pd
import streamlit as st

from crm_core.formatting import plain
from crm_core.spreadsheet import csv_safe_frame
from ui import tables
from ui.i18n import CATALOG, choices, kept, t


@contextmanager
def section(title: str | None = None) -> Iterator[None]:
    """Render a part of a page; an error inside shows its own box and the rest still renders."""
    if title:
        st.subheader(title)
    try:
        yield
    except Exception as problem:  # noqa: BLE001 - the page must survive a failing section
        st.error(t("section_failed", error=plain(f"{type(problem).__name__}: {problem}")))


def table_with_download(
    frame: pd.DataFrame | tuple[pd.DataFrame, dict[str, object]], key: str, filename: str
) -> None:
    """A table (or a ``numeric_view`` pair: frame and column_config) and its CSV download."""
    shown, config = frame if isinstance(frame, tuple) else (frame, None)
    tables.grid(shown, width="stretch", key=f"{key}_table", config=config)
    csv_download(shown, filename, f"{key}_download")


SHOWN_ROWS = 500  # a longer list is cut on screen (the download keeps every row)


def capped(frame: pd.DataFrame) -> pd.DataFrame:
    """The first :data:`SHOWN_ROWS` rows of ``frame``, with a caption saying so when it is
    longer (nobody reads tens of thousands of rows on a screen, and sending them takes
    seconds)."""
    if len(frame) > SHOWN_ROWS:
        st.caption(t("first_rows", shown=f"{SHOWN_ROWS:,}", total=f"{len(frame):,}"))
    return frame.head(SHOWN_ROWS)


def csv_download(frame: pd.DataFrame | Callable[[], pd.DataFrame], filename: str, key: str) -> None:
    """Every row of ``frame`` (or of what the callable returns) as a UTF-8 CSV with BOM, for
    Excel, built only when the button is clicked: building every list's file on every run
    made the pages with long lists wait for files nobody asked for."""

    viewer = choices()  # the click builds the file outside this run: keep language and unit

    def data() -> bytes:
        with kept(viewer):
            rows = frame() if callable(frame) else frame
            rows = rows.rename(columns=lambda c: t(c) if c in CATALOG else c)  # no codes
        return csv_safe_frame(rows).to_csv(index=False).encode("utf-8-sig")

    st.download_button(t("download_csv"), data, filename, mime="text/csv", key=key)


PHONE_CSS = """<style>
@media (max-width: 640px) {
  [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] [data-testid="stMetric"]) {
    flex-direction: row !important; flex-wrap: wrap !important; gap: 0.5rem !important;
  }
  [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] [data-testid="stMetric"])
    > [data-testid="stColumn"] {
    flex: 1 1 calc(50% - 0.25rem) !important; min-width: calc(50% - 0.25rem) !important;
    width: calc(50% - 0.25rem) !important;
  }
  [data-testid="stMetric"] { padding: 0.4rem 0.6rem !important; }
  [data-testid="stMetricValue"] { font-size: 1.35rem !important; }
  [data-testid="stMetricLabel"] p { font-size: 0.8rem !important; }
  h1 { font-size: 1.7rem !important; padding-top: 0 !important; }
  [data-testid="stTable"] { overflow-x: auto !important; }
  [data-testid="stTable"] :is(th, td, th *, td *) {
    white-space: nowrap !important; word-break: keep-all !important;
    overflow-wrap: normal !important;
  }
  [data-testid="stMainBlockContainer"] { padding: 3rem 0.75rem 2rem !important; }
}
@media (min-width: 641px) and (max-width: 1279px) {
  [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"]:nth-child(4))
    [data-testid="stMetricValue"] { font-size: 1.6rem !important; }
}
</style>"""


def phone_style() -> None:
    """At phone width (≤ 640 px): KPI cards two a row and compact, a smaller title, narrow
    page margins. Below 1,280 px the figures of a row of four or more cards are smaller (at
    1,024 px with the sidebar open such a card has about 100 px for ``¥4.514M``); the meeting
    screen's three large figures keep their size on a projector. A table keeps each label and
    figure on one line (销售额 broke one character per line, "-" and "¥" apart) and scrolls
    sideways instead. (Data grids pin their key column; see ``tables.numeric_view``.)"""
    st.html(PHONE_CSS)
