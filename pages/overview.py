"""Overview: the owner's and director's results against target
(docs/kpis.md#tracking-daily-weekly-monthly owner view)."""

import pandas as pd
import streamlit as st

from crm_core import formatting as fmt
from crm_core.overview import (
    MONEY,
    OWNER_METRICS,
    actual_vs_target_by_month,
    comparable_previous,
    owner_results,
)
from ui import auth, charts, data, filters, tables, units
from ui.i18n import t
from ui.layout import csv_download, section, table_with_download

viewer = auth.guard("overview")
chosen = filters.current()
scope, period = chosen.scope(viewer.scope), chosen.period
st.title(t("page_overview"))

with st.spinner(t("loading")):
    previous = comparable_previous(period, chosen.as_of)
    loaded = data.overview(scope, chosen.facts, period, previous)
results = owner_results(
    loaded.actual, loaded.previous, loaded.monthly_targets, period, chosen.as_of
)


def shown(metric: str, value: int | None) -> str:
    return units.money(value) if metric in MONEY else fmt.count(value)


st.caption(
    t(
        "overview_caption",
        start=period.start,
        end=period.end,
        as_of=chosen.as_of,
        elapsed=fmt.ratio(results[0].time_elapsed, 0),
    )
)
if chosen.product_ids:
    st.caption(t("product_filter_note"))
if loaded.rolled_up:
    st.caption(t("target_rolled_up"))

since = t("vs_previous", start=previous.start, end=previous.end)
with section(t("results")):
    for column, result in zip(st.columns(len(results)), results, strict=True):
        behind = result.pace is not None and result.pace < 1
        column.metric(
            t(result.metric),
            shown(result.metric, result.actual),
            fmt.signed_ratio(result.change) if result.change is not None else None,
            border=True,
        )
        column.caption(
            f"{t('target')} {shown(result.metric, result.target)} · "
            f"{fmt.ratio(result.attainment)} · {t('pace')} {fmt.ratio(result.pace)}"
            + (f" · :red[{t('behind_pace')}]" if behind else "")
        )
        column.caption(f"{since}: {shown(result.metric, result.previous)}")
    table = [
        {
            t("metric"): t(r.metric),
            t("target"): shown(r.metric, r.target),
            t("actual"): shown(r.metric, r.actual),
            t("attainment"): fmt.ratio(r.attainment),
            t("variance"): shown(r.metric, r.variance),
            t("pace"): fmt.ratio(r.pace),
            t("previous"): shown(r.metric, r.previous),
            t("change"): fmt.signed_ratio(r.change),
        }
        for r in results
    ]
    st.table(pd.DataFrame(table).set_index(t("metric")))  # mixed units: read, not sorted
    csv_download(pd.DataFrame(table), "results.csv", "results_download")

with section(t("trend_12")):
    metric = st.selectbox(t("metric"), OWNER_METRICS, format_func=t, key="trend_metric")
    trend = actual_vs_target_by_month(
        loaded.trend_actuals, loaded.trend_targets, metric, loaded.trend_months
    )
    if trend.actual.sum() == 0 and trend.target.isna().all():
        st.info(t("no_data"))
    else:
        unit = 100 if metric in MONEY else 1
        shown_trend = trend.assign(actual=trend.actual / unit, target=trend.target / unit)
        chart = charts.actual_vs_target(shown_trend, t("actual"), t("target"))
        st.altair_chart(chart, width="stretch")
        with st.expander(t("show_numbers")):
            kind = "money" if metric in MONEY else "count"
            numbers = tables.numeric_view(
                trend, {"actual": kind, "target": kind, "attainment": "ratio"}
            )
            table_with_download(numbers, "trend", f"trend_{metric}.csv")
