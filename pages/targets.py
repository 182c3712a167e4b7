"""Targets: attainment by region → rep, month and product, and the breakdown editor
(docs/kpis.md#targets)."""

from functools import partial

import streamlit as st

from crm_core.periods import Period, month_period, months_between, years_before
from crm_core.scope import Role
from ui import auth, breakdown_editor, data, drill, filters, tables, targets_view
from ui.i18n import t
from ui.layout import csv_download, section

viewer = auth.guard("targets")
chosen = filters.current()
scope, period, facts = chosen.scope(viewer.scope), chosen.period, chosen.facts
names = data.dimensions(viewer.scope)
labels = {
    "region": names["regions"].set_index("region_id")["name"],
    "rep": names["reps"].set_index("rep_id")["name"],
    "product": names["products"].set_index("product_id")["name"],
}
st.title(t("page_targets"))
if viewer.role is Role.MANAGER:
    years = (chosen.as_of.year, chosen.as_of.year + 1)
    if unsplit := data.unsplit_months(tuple(viewer.account.region_ids), years):
        st.warning(t("unsplit_months", months=", ".join(unsplit)))
attainment_tab, breakdown_tab = st.tabs(
    [t("tab_attainment"), t("tab_breakdown")], key="tab", bind="query-params"
)

with attainment_tab:
    filters.in_url("targets_metric", "metric", list(tables.METRICS))
    metric = st.selectbox(t("metric"), tables.METRICS, format_func=t, key="targets_metric")
    filters.in_url("targets_metric", "metric", list(tables.METRICS))
    st.caption(t("period_caption", start=period.start, end=period.end, as_of=chosen.as_of))
    if chosen.product_ids or chosen.tiers:
        st.caption(t("target_filter_note"))
    with section(t("heatmap_title")):
        first = months_between(years_before(period.end), period.end)[1]
        year = Period(month_period(first).start, period.end)
        heat = data.targets_table(scope, facts, year, chosen.as_of, ("rep", "month"), metric)
        if heat.empty:
            st.info(t("no_data"))
        else:
            targets_view.heat_map(heat, labels["rep"], metric, chosen.as_of)
    with section(t("by_region")):
        regions = data.targets_table(scope, facts, period, chosen.as_of, ("region",), metric)
        st.caption(t("region_reps_caption"))
        if tables.any_rolled_up(regions):
            st.caption(t("target_rolled_up"))
        shown, config, numbers = tables.measures_view(regions, metric, labels)
        event = drill.selectable(shown, config, "t_regions")
        csv_download(numbers, f"targets_{metric}_regions.csv", "t_regions_dl")
        in_order = tables.in_shown_order(regions)
        region = drill.choose(
            t("drill_region"), list(regions.region), "t_drill", "region_detail",
            partial(tables.label, labels["region"]), drill.picked_row(event, in_order.region),
        )  # fmt: skip
        reps = data.targets_table(scope, facts, period, chosen.as_of, ("region", "rep"), metric)
        reps = reps[reps.region == region].drop(columns="region").reset_index(drop=True)
        shown, config, numbers = tables.measures_view(reps, metric, labels)
        event = drill.selectable(shown, config, "t_reps")
        csv_download(numbers, f"targets_{metric}_{region}_reps.csv", "t_reps_dl")
        if len(reps):
            rep = drill.choose(
                t("drill_rep"), list(reps.rep), "t_rep", "rep_detail",
                partial(tables.label, labels["rep"]),
                drill.picked_row(event, tables.in_shown_order(reps).rep),
            )  # fmt: skip
            drill.rep_customers(scope, facts, period, chosen.as_of, rep, "t_rep")
    with section(t("by_product")):
        if metric not in ("revenue", "gross_margin"):
            st.info(t("product_metric_note"))
        else:
            products = data.targets_table(scope, facts, period, chosen.as_of, ("product",), metric)
            shown, config, _ = tables.measures_view(products, metric, labels)
            st.dataframe(shown, hide_index=True, key="t_prod", column_config=config)

with breakdown_tab:
    with section():
        breakdown_editor.render(viewer, chosen.as_of)
