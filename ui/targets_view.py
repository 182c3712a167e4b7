"""The Targets page's heat map for teams of any size: reps lowest attainment first, a page of
:data:`crm_core.heatmap.PAGE_SIZE` at a time (the page kept in the URL), months along the top,
the month in progress judged by pace."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from crm_core import heatmap
from crm_core.vocabulary import MONEY_METRICS
from ui import charts, drill, filters, tables
from ui.i18n import t
from ui.layout import table_with_download

TITLES = ("attainment", "pace", "target", "actual", "rep", "month")


def heat_map(heat: pd.DataFrame, names: pd.Series, metric: str, as_of: date) -> None:
    reps = heatmap.rep_order(heat)
    count = heatmap.pages(reps)
    if count > 1:
        choices = list(range(1, count + 1))
        page = filters.in_url_widget(
            st.segmented_control, "heat_page", t("heat_page", size=heatmap.PAGE_SIZE,
            total=len(reps)), choices, valid=choices, kind=int, key="heat_page", default=1,
        )  # fmt: skip
        reps = heatmap.page_of(reps, page or 1)
    st.caption(t("heat_caption"))
    tiles = heatmap.tiles(heat, reps, f"{as_of:%Y-%m}")
    scale = 100 if metric in MONEY_METRICS else 1
    tiles = tiles.assign(
        rep_label=[tables.label(names, r) for r in tiles.rep],
        target=[None if v is None else v / scale for v in tiles.target],
        actual=tiles.actual / scale,
    )
    titles = {k: t(k) for k in TITLES}
    st.caption(t("heat_click"))
    chart = charts.attainment_heatmap(tiles, titles)
    key = filters.click_key("heat_map")
    event = charts.draw(st, chart, width="stretch", on_select="rerun", key=key)
    filters.filter_to("rep", drill.picked_point(event, "pick", "rep"), key)
    with st.expander(t("show_numbers")):
        grid = tiles.pivot(index="rep_label", columns="month", values="attainment")
        grid = grid.reindex(list(dict.fromkeys(tiles.rep_label))).reset_index()
        kinds = dict.fromkeys(grid.columns[1:], "ratio")
        shown, config = tables.numeric_view(grid.rename(columns={"rep_label": "rep"}), kinds)
        table_with_download((shown, config), "heat", f"attainment_{metric}.csv")
