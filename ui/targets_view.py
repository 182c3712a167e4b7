"""The Targets page's heat map for teams of any size: reps lowest attainment first, a page of
:data:`crm_core.heatmap.PAGE_SIZE` at a time (the page kept in the URL), months along the top,
the month in progress judged by pace."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from crm_core import heatmap
from crm_core.overview import MONTHS_BACK
from crm_core.vocabulary import MONEY_METRICS
from ui import charts, drill, filters, tables
from ui.i18n import t
from ui.layout import table_with_download

TITLES = ("attainment", "pace", "target", "actual", "rep", "month")


def heat_map(heat: pd.DataFrame, names: pd.Series, metric: str, as_of: date,
             compare: str = "target", earlier: pd.DataFrame | None = None) -> None:  # fmt: skip
    """The heat map of attainment, or with ``earlier`` (``rep, month, compared``) of each
    month's change on the month ``compare`` names."""
    reps = heatmap.rep_order(heat)
    count = heatmap.pages(reps)
    if count > 1:
        choices = list(range(1, count + 1))
        page = filters.in_url_widget(
            st.segmented_control, "heat_page", t("heat_page", size=heatmap.PAGE_SIZE,
            total=len(reps)), choices, valid=choices, kind=int, key="heat_page", default=1,
        )  # fmt: skip
        reps = heatmap.page_of(reps, page or 1)
    tiles = heatmap.tiles(heat, reps, f"{as_of:%Y-%m}")
    value = "attainment"
    if earlier is not None:
        tiles, value = heatmap.with_change(tiles, earlier, MONTHS_BACK[compare]), "change"
    scale = 100 if metric in MONEY_METRICS else 1
    tiles = tiles.assign(
        rep_label=[tables.label(names, r) for r in tiles.rep],
        target=[None if v is None else v / scale for v in tiles.target],
        actual=tiles.actual / scale,
    )
    if earlier is None:
        st.caption(t("heat_caption"))
        chart = charts.attainment_heatmap(tiles, {k: t(k) for k in TITLES})
    else:
        st.caption(t(f"heat_vs_{compare}"))
        tiles = tiles.assign(compared=tiles.compared / scale)
        titles = {"change": t("change_vs"), "compared": t(f"heat_month_{compare}"),
                  "actual": t("actual"), "rep": t("rep"), "month": t("month")}  # fmt: skip
        chart = charts.change_heatmap(tiles, titles)
    st.caption(t("heat_click"))
    key = filters.click_key("heat_map")
    event = charts.draw(st, chart, width="stretch", on_select="rerun", key=key)
    filters.filter_to("rep", drill.picked_point(event, "pick", "rep"), key)
    with st.expander(t("show_numbers")):
        grid = tiles.pivot(index="rep_label", columns="month", values=value)
        grid = grid.reindex(list(dict.fromkeys(tiles.rep_label))).reset_index()
        kinds = dict.fromkeys(grid.columns[1:], "ratio")
        shown, config = tables.numeric_view(grid.rename(columns={"rep_label": "rep"}), kinds)
        table_with_download((shown, config), "heat", f"{value}_{metric}.csv")
