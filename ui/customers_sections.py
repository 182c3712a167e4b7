"""The customers page's sections (docs/kpis.md#customers), each drawn by one function the
page calls inside its section."""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from crm_core import customers as customers_core
from services.reads import CustomersData, CustomerYears
from ui import charts, customers_view, drill, filters, tables
from ui.i18n import t
from ui.layout import capped, csv_download


def pareto(loaded: CustomersData) -> None:
    """The Pareto curve of every buying customer, the ABC summary and its download."""
    st.caption(t("pareto_help"))
    curve, marks = customers_view.pareto_frame(loaded.abc), customers_view.pareto_marks(loaded.abc)
    titles = {"x": t("share_of_customers"), "y": t("cumulative_share"), "abc": t("abc_class")}
    if curve.empty:
        st.info(t("no_data"))
    else:
        charts.draw(st, charts.pareto(curve, marks, titles), width="stretch")
    shown, config = customers_view.abc_summary(loaded.abc)
    tables.grid(shown, key="cust_abc", config=config)


def classes_by(loaded: CustomersData, names: dict[str, pd.Series]) -> None:
    """The buying customers of each ABC class by region, or by owner rep where one region is
    in view (the largest counts of A first); a click on a bar filters the page to it."""
    field = "region" if loaded.abc.region.nunique() > 1 else "rep"
    frame = customers_core.classes_by(loaded.abc, loaded.classified, field)
    if frame.empty:
        return
    frame = drill.at_the_ends(frame, field)
    frame = frame.assign(label=[tables.label(names[field], v) for v in frame[field]])
    st.caption(t("click_class_bar"))
    titles = {"customers": t("customers"), "abc_class": t("abc_class")}
    key = filters.click_key(f"cust_{field}_bars")
    event = charts.draw(st, charts.class_bars(frame, field, titles), width="stretch",
                        on_select="rerun", key=key)  # fmt: skip
    filters.filter_to(field, drill.picked_point(event, "pick", field), key)
    csv_download(partial(customers_view.abc_rows, loaded.abc), "abc.csv", "cust_abc_dl")


def tiers(loaded: CustomersData) -> None:
    """Value tiers of active customers and grades of prospects."""
    left, right = st.columns(2)
    tier_bars = charts.count_bars(customers_view.tiers_frame(loaded.classified), t("value_tier"))
    grade_bars = charts.count_bars(
        customers_view.grades_frame(loaded.classified), t("prospect_grade")
    )
    charts.draw(left, tier_bars, width="stretch")
    charts.draw(right, grade_bars, width="stretch")


def matrix(loaded: CustomersData, reps: pd.Series) -> None:
    """The share-of-wallet × potential matrix; a clicked cell or a strategy lists its
    customers, and a clicked customer opens the card below."""
    missing = int(loaded.classified.cell.isna().sum())
    st.caption(t("matrix_help", missing=missing))
    matrix = customers_view.matrix_frame(loaded.matrix)
    event = charts.draw(
        st, charts.wallet_matrix(matrix, t("customers")), on_select="rerun", key="cust_matrix"
    )
    picked = [p["cell"] for p in (event.selection.get("cell") or []) if "cell" in p]
    strategy = st.segmented_control(
        t("strategy"), ["maintain", "develop", "open_up"],
        format_func=lambda s: t(f"strategy_{s}"), key="cust_strategy",
    )  # fmt: skip
    rows = loaded.classified
    chosen_rows = rows[rows.cell.isin(picked)] if picked else rows[rows.strategy == strategy]
    if picked or strategy:
        label = ", ".join(picked) if picked else t(f"strategy_{strategy}")
        st.caption(t("cell_customers", cell=label, count=len(chosen_rows)))
        ordered = chosen_rows.sort_values(["revenue", "customer_id"], ascending=[False, True])
        listed = capped(ordered)
        shown, config = customers_view.customer_list(listed, reps)
        event = drill.selectable(shown, config, "cust_cell_table")
        drill.follow("card_pick", drill.picked_row(event, list(listed.customer_id)))
        csv_download(partial(customers_view.list_rows, ordered, reps), "cell.csv", "cust_cell_dl")


def key_lists(loaded: CustomersData, reps: pd.Series) -> None:
    """MVC, MGC and BZC, one tab each (kept in the URL, so only the open one runs); a clicked
    customer opens the card."""
    extras = {"mvc": ("gross_margin",), "mgc": ("headroom",), "bzc": ("cost_to_serve", "net")}
    st.caption(t("row_opens_card_below"))
    tabs = st.tabs([t(k) for k in extras], key="list", bind="query-params")
    for tab, key in zip(tabs, extras, strict=True):
        if tab.open is False:  # only the chosen list is built and sent (500 rows each)
            continue
        with tab:
            listed = loaded.lists[key]
            top = capped(listed)
            shown, config = customers_view.customer_list(top, reps, extras[key])
            event = drill.selectable(shown, config, f"cust_{key}")
            drill.follow("card_pick", drill.picked_row(event, list(top.customer_id)))
            rows = partial(customers_view.list_rows, listed, reps, extras[key])
            csv_download(rows, f"{key}.csv", f"cust_{key}_dl")


def attrition(loaded: CustomerYears, regions: pd.Series) -> None:
    """Attrition and new-customer rate per year, for the scope and each region."""
    st.caption(t("attrition_help"))
    years = customers_view.with_regions(loaded.years, loaded.years_by_region)
    lines = customers_view.attrition_frame(years, regions)
    charts.draw(st, charts.attrition_lines(lines, t("attrition")), width="stretch")
    shown, config = customers_view.attrition_table(years, regions)
    tables.grid(shown, key="cust_attrition", config=config)
