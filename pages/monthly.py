"""Monthly: attainment per region and rep with rank, month-over-month and year-over-year,
12-month trend, pipeline snapshot and customer base change
(docs/kpis.md#tracking-daily-weekly-monthly monthly tier)."""

from functools import partial

import streamlit as st

from crm_core import formatting as fmt
from crm_core.periods import month_period, months_between, trailing_months, years_before
from crm_core.scope import FactFilter
from ui import auth, charts, data, drill, filters, monthly_view, tables
from ui.i18n import t
from ui.layout import section, table_with_download

viewer = auth.guard("monthly")
chosen = filters.current()
scope = chosen.scope(viewer.scope)
st.title(t("month_review"))
filters.not_applied_here(chosen, "why_monthly")
months = months_between(years_before(chosen.as_of, 2), chosen.as_of)[::-1]
filters.in_url("monthly_month", "month", months)
month = st.selectbox(t("month"), months, key="monthly_month")
filters.in_url("monthly_month", "month", months)
with st.spinner(t("loading")):
    loaded = data.monthly(scope, month, chosen.as_of)
st.caption(monthly_view.comparison_caption(month, chosen.as_of))
names = data.dimensions(viewer.scope)
labels = {
    "region": names["regions"].set_index("region_id")["name"],
    "rep": names["reps"].set_index("rep_id")["name"],
}

for key, frame, title in (("region", loaded.regions, "by_region"), ("rep", loaded.reps, "by_rep")):
    with section(t(title)):
        ranked, config = monthly_view.ranked_table(frame, key, labels)
        event = drill.selectable(ranked, config, f"monthly_{key}")
    if key == "rep" and len(frame):
        with section():
            st.caption(t("rep_row_caption"))
            rep = drill.choose(
                t("drill_rep"), list(frame.rep), "monthly_rep_detail", "rep_detail",
                partial(tables.label, labels["rep"]), drill.picked_row(event, list(frame.rep)),
            )  # fmt: skip
            drill.rep_customers(scope, FactFilter(), month_period(month), chosen.as_of, rep, "m")

with section(t("trend_title")):
    year = trailing_months(month)
    trend = data.targets_table(scope, FactFilter(), year, chosen.as_of, ("month",), "revenue")
    if trend.empty:
        st.info(t("no_data"))
    else:
        chart = charts.actual_vs_target(monthly_view.in_yuan(trend), t("actual"), t("target"))
        st.altair_chart(chart, width="stretch")
        with st.expander(t("show_numbers")):
            table_with_download(
                tables.trend_view(trend, "revenue"), "monthly_trend", f"trend_{month}.csv"
            )

with section(t("pipeline_snapshot")):
    pipeline = monthly_view.pipeline(loaded.pipeline)
    st.altair_chart(charts.pipeline_bars(pipeline, t("amount")), width="stretch")
    shown, config = monthly_view.pipeline_table(loaded.pipeline)
    st.dataframe(shown, hide_index=True, key="monthly_pipe", column_config=config)

with section(t("customer_base")):
    base = loaded.base
    figures = [
        ("active_start", fmt.count(base.active_start)),
        ("active_end", fmt.count(base.active_end)),
        ("new", fmt.count(base.new)),
        ("lapsed", fmt.count(base.lapsed)),
        ("attrition", fmt.ratio(base.attrition)),
    ]
    for column, (name, value) in zip(st.columns(len(figures)), figures, strict=True):
        column.metric(t(name), value)
