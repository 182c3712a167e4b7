"""The Monthly page's sections: regions and reps ranked (a rep's row opens their customers),
the 12-month trend, the pipeline snapshot and the customer base."""

from __future__ import annotations

from datetime import date
from functools import partial

import pandas as pd
import streamlit as st

from crm_core import formatting as fmt
from crm_core.periods import month_period, trailing_months
from crm_core.scope import FactFilter, Scope
from services.reads import MonthlyData
from ui import charts, data, drill, monthly_view, tables
from ui.i18n import t
from ui.layout import section, table_with_download


def ranked(loaded: MonthlyData, labels: dict[str, pd.Series], scope: Scope, month: str,
           as_of: date, compare: str) -> None:  # fmt: skip
    """Regions, then reps, ranked by attainment (``compare="target"``) or by their change on
    the month before or a year before; a bar filters the page to its region or rep, a rep
    (row or box) opens their customers."""
    for key, frame, title in (("region", loaded.regions, "by_region"),
                              ("rep", loaded.reps, "by_rep")):  # fmt: skip
        with section(t(title)):
            frame = monthly_view.in_order_of(frame, compare)
            measure = monthly_view.GROWTH_COLUMNS.get(compare, "attainment")
            drill.filter_bars(frame, key, labels[key], f"monthly_{key}_bars", measure)
            shown, config = monthly_view.ranked_table(frame, key, labels)
            event = drill.selectable(shown, config, f"monthly_{key}")
    if not len(loaded.reps):
        return
    with section():
        st.caption(t("rep_row_caption"))
        reps = list(loaded.reps.rep)
        rep = drill.choose(
            t("drill_rep"), reps, "monthly_rep_detail", "rep_detail",
            partial(tables.label, labels["rep"]), drill.picked_row(event, reps),
        )  # fmt: skip
        whole_month = month_period(month)
        drill.rep_customers(scope, FactFilter(), whole_month, as_of, rep, labels["rep"], "m")


def trend(scope: Scope, month: str, as_of: date, compare: str) -> None:
    """Revenue over the 12 months up to ``month`` against what each month is compared with:
    its target, the month before or the same month a year before."""
    with section(t("trend_title")):
        span = trailing_months(month, 12 if compare == "target" else 24)
        frame = data.targets_table(scope, FactFilter(), span, as_of, ("month",), "revenue")
        if frame.empty:
            st.info(t("no_data"))
            return
        compared = monthly_view.trend_compared(frame, month, compare)
        line = t(f"compare_{compare}")
        chart = charts.actual_vs_target(monthly_view.in_yuan(compared), t("actual"), line)
        charts.draw(st, chart, width="stretch")
        with st.expander(t("show_numbers")):
            shown = (tables.trend_view(frame, "revenue") if compare == "target"
                     else monthly_view.compared_numbers(compared, compare))  # fmt: skip
            table_with_download(shown, "monthly_trend", f"trend_{month}.csv")


def pipeline(loaded: MonthlyData) -> None:
    with section(t("pipeline_snapshot")):
        bars = monthly_view.pipeline(loaded.pipeline)
        charts.draw(st, charts.pipeline_bars(bars, t("amount")), width="stretch")
        shown, config = monthly_view.pipeline_table(loaded.pipeline)
        tables.grid(shown, key="monthly_pipe", config=config)


def customer_base(loaded: MonthlyData) -> None:
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
