"""The overview page's sections: the KPI cards with their summary table, and the 12-month
trend of one metric against target."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from crm_core import formatting as fmt
from crm_core.overview import MONEY, OWNER_METRICS, Result, comparison_period, trend_compared
from crm_core.periods import Period
from crm_core.scope import FactFilter, Scope
from services.reads import OverviewData
from ui import charts, data, drill, tables, units
from ui.i18n import t
from ui.layout import csv_download, table_with_download


def shown(metric: str, value: float | None) -> str:
    return units.money(value) if metric in MONEY else fmt.count(value)


def card(metric: str, value: float | None) -> tuple[str, str | None]:
    """A card's figure and, when it is money shortened to fit, the exact sum to hover."""
    return units.card_money(value) if metric in MONEY else (fmt.count(value), None)


def cards(results: list[Result], kind: str, compared: Period | None) -> None:
    """One card per metric (actual, change on what it is compared with: ``kind``, over the
    period ``compared``), target · attainment · pace under it, then the whole as a table to
    read (mixed units: not sorted) and download."""
    since = None if compared is None else t(f"vs_{kind}", start=compared.start, end=compared.end)
    for column, result in zip(st.columns(len(results)), results, strict=True):
        behind = result.pace is not None and result.pace < 1
        change = fmt.signed_ratio(result.change) if result.change is not None else None
        value, exact = card(result.metric, result.actual)
        column.metric(t(result.metric), value, change, border=True, help=exact)
        column.caption(
            f"{t('target')} {shown(result.metric, result.target)} · "
            f"{fmt.ratio(result.attainment)} · {t('pace')} {fmt.ratio(result.pace)}"
            + (f" · :red[{t('behind_pace')}]" if behind else "")
        )
        if since:  # against the target, the line above says it
            column.caption(f"{since}: {shown(result.metric, result.previous)}")
    table = pd.DataFrame(
        [
            {
                t("metric"): t(r.metric),
                t("target"): shown(r.metric, r.target),
                t("actual"): shown(r.metric, r.actual),
                t("attainment"): fmt.ratio(r.attainment),
                t("variance"): shown(r.metric, r.variance),
                t("pace"): fmt.ratio(r.pace),
                t(f"compare_{kind}"): shown(r.metric, r.previous),
                t("change_vs"): fmt.signed_ratio(r.change),
            }
            for r in results
        ]
    )
    st.table(table.set_index(t("metric")))
    csv_download(table, "results.csv", "results_download")


def attainment_by(
    scope: Scope, facts: FactFilter, period: Period, as_of: date, compare: str
) -> None:
    """Revenue by region, or by rep where one region is in view: attainment, largest first,
    or the change on the period compared with, largest first; a click on a bar filters the
    page to it."""
    labels = data.labels(scope)
    field = "region" if len(labels["region"]) > 1 else "rep"
    frame = data.targets_table(scope, facts, period, as_of, (field,), "revenue")
    earlier = comparison_period(compare, period, as_of)
    measure = "attainment"
    if earlier is not None:
        before = data.compared_actuals(scope, facts, earlier, (field,), "revenue")
        frame, measure = tables.with_compared(frame, before, [field], compare), "change_vs"
    if frame[measure].isna().all():
        st.info(t("no_data"))
        return
    frame = frame.sort_values(measure, ascending=False, na_position="last")
    drill.filter_bars(frame, field, labels[field], f"ov_{field}_bars", measure)


def trend(loaded: OverviewData, compare: str) -> None:
    """A metric picker, its 12 months of actual against what they are compared with (the
    target, the month before, the same month last year), and the numbers."""
    metric = st.selectbox(t("metric"), OWNER_METRICS, format_func=t, key="trend_metric")
    frame = trend_compared(
        loaded.trend_actuals, loaded.trend_targets, metric, loaded.trend_months, compare
    )
    if frame.actual.sum() == 0 and frame.target.isna().all():
        st.info(t("no_data"))
        return
    unit = 100 if metric in MONEY else 1
    in_units = frame.assign(actual=frame.actual / unit, target=frame.target / unit)
    line = t(f"compare_{compare}")
    charts.draw(st, charts.actual_vs_target(in_units, t("actual"), line), width="stretch")
    with st.expander(t("show_numbers")):
        kind = "money" if metric in MONEY else "count"
        shown = frame.rename(columns={"target": f"compare_{compare}", "change": "change_vs"})
        # against the target its attainment says it; else attainment is not of what is shown
        shown = shown.drop(columns="change_vs" if compare == "target" else "attainment")
        numbers = tables.numeric_view(
            shown, {"actual": kind, f"compare_{compare}": kind, "attainment": "ratio",
                    "change_vs": "ratio"}
        )  # fmt: skip
        table_with_download(numbers, "trend", f"trend_{metric}.csv")
