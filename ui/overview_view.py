"""The overview page's sections: the KPI cards with their summary table, and the 12-month
trend of one metric against target."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from crm_core import formatting as fmt
from crm_core.overview import MONEY, OWNER_METRICS, Result, actual_vs_target_by_month
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


def cards(results: list[Result], previous: Period) -> None:
    """One card per metric (actual, change), target · attainment · pace under it, then the
    whole as a table to read (mixed units: not sorted) and download."""
    since = t("vs_previous", start=previous.start, end=previous.end)
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
                t("previous"): shown(r.metric, r.previous),
                t("change"): fmt.signed_ratio(r.change),
            }
            for r in results
        ]
    )
    st.table(table.set_index(t("metric")))
    csv_download(table, "results.csv", "results_download")


def attainment_by(scope: Scope, facts: FactFilter, period: Period, as_of: date) -> None:
    """Revenue attainment by region, or by rep where one region is in view, largest first; a
    click on a bar filters the page to it."""
    labels = data.labels(scope)
    field = "region" if len(labels["region"]) > 1 else "rep"
    frame = data.targets_table(scope, facts, period, as_of, (field,), "revenue")
    if frame.attainment.isna().all():
        st.info(t("no_data"))
        return
    frame = frame.sort_values("attainment", ascending=False, na_position="last")
    drill.filter_bars(frame, field, labels[field], f"ov_{field}_bars")


def trend(loaded: OverviewData) -> None:
    """A metric picker, its 12 months of actual against target, and the numbers."""
    metric = st.selectbox(t("metric"), OWNER_METRICS, format_func=t, key="trend_metric")
    frame = actual_vs_target_by_month(
        loaded.trend_actuals, loaded.trend_targets, metric, loaded.trend_months
    )
    if frame.actual.sum() == 0 and frame.target.isna().all():
        st.info(t("no_data"))
        return
    unit = 100 if metric in MONEY else 1
    in_units = frame.assign(actual=frame.actual / unit, target=frame.target / unit)
    charts.draw(st, charts.actual_vs_target(in_units, t("actual"), t("target")), width="stretch")
    with st.expander(t("show_numbers")):
        kind = "money" if metric in MONEY else "count"
        numbers = tables.numeric_view(
            frame, {"actual": kind, "target": kind, "attainment": "ratio"}
        )
        table_with_download(numbers, "trend", f"trend_{metric}.csv")
