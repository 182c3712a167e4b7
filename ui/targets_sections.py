"""The Targets page's attainment sections: the rep × month heat map, the region → rep →
customer drill-down and the product table. Each takes what the page chose (scope, facts,
period, metric) and draws its section."""

from __future__ import annotations

from datetime import date
from functools import partial

import pandas as pd
import streamlit as st

from crm_core.overview import MONTHS_BACK, comparison_period
from crm_core.periods import Period, month_period, months_between, shift_month, years_before
from crm_core.scope import FactFilter, Scope
from ui import data, drill, tables, targets_view
from ui.i18n import t
from ui.layout import csv_download, section


def heat(scope: Scope, facts: FactFilter, period: Period, as_of: date, metric: str,
         labels: dict[str, pd.Series], compare: str = "target") -> None:  # fmt: skip
    """Rep × month over the 12 months up to the period's end: attainment, or each month's
    change on the month before or the same month a year before."""
    with section(t("heatmap_title" if compare == "target" else "heatmap_change_title")):
        first = months_between(years_before(period.end), period.end)[1]
        year = Period(month_period(first).start, period.end)
        frame = data.targets_table(scope, facts, year, as_of, ("rep", "month"), metric)
        if frame.empty:
            st.info(t("no_data"))
            return
        earlier = None
        if compare != "target":
            earlier = earlier_months(scope, facts, year, as_of, metric, compare)
        targets_view.heat_map(frame, labels["rep"], metric, as_of, compare, earlier)


def earlier_months(scope: Scope, facts: FactFilter, months: Period, as_of: date, metric: str,
                   compare: str) -> pd.DataFrame:  # fmt: skip
    """``rep, month, compared``: each rep's actual of the months ``months`` are compared with
    (one or twelve earlier); the counterpart of a month in progress cut to as many working days
    as have elapsed in it."""
    step = MONTHS_BACK[compare]
    shown = months_between(months.start, months.end)
    span = Period(month_period(shift_month(shown[0], step)).start,
                  month_period(shift_month(shown[-1], step)).end)  # fmt: skip
    found = data.compared_actuals(scope, facts, span, ("rep", "month"), metric)
    running = f"{as_of:%Y-%m}"
    cut = comparison_period(compare, month_period(running), as_of)
    if running not in shown or cut is None:
        return found
    counterpart = shift_month(running, step)
    part = data.compared_actuals(scope, facts, cut, ("rep",), metric).assign(month=counterpart)
    return pd.concat([found[found.month != counterpart], part], ignore_index=True)


def compared(frame: pd.DataFrame, scope: Scope, facts: FactFilter, period: Period, as_of: date,
             by: tuple[str, ...], metric: str, compare: str) -> pd.DataFrame:  # fmt: skip
    """``frame`` with what each row is compared with (the period before or a year before, as
    many working days in) and the change on it; as it is against the target."""
    earlier = comparison_period(compare, period, as_of)
    if earlier is None:
        return frame
    before = data.compared_actuals(scope, facts, earlier, by, metric)
    return tables.with_compared(frame, before, list(by), compare)


def regions(scope: Scope, facts: FactFilter, period: Period, as_of: date, metric: str,
            labels: dict[str, pd.Series], compare: str) -> None:  # fmt: skip
    """The regions' attainment; a region (row or box) opens its reps, a rep their customers;
    with what each is compared with."""
    with section(t("by_region_then_rep")):
        frame = data.targets_table(scope, facts, period, as_of, ("region",), metric)
        frame = compared(frame, scope, facts, period, as_of, ("region",), metric, compare)
        st.caption(t("region_reps_caption"))
        if tables.any_rolled_up(frame):
            st.caption(t("target_rolled_up"))
        shown, config, numbers = tables.measures_view(frame, metric, labels)
        event = drill.selectable(shown, config, "t_regions")
        csv_download(numbers, f"targets_{metric}_regions.csv", "t_regions_dl")
        region = drill.choose(
            t("drill_region"), list(frame.region), "t_drill", "region_detail",
            partial(tables.label, labels["region"]),
            drill.picked_row(event, tables.in_shown_order(frame).region),
        )  # fmt: skip
        reps_of(scope, facts, period, as_of, metric, labels, region, compare)


def reps_of(scope: Scope, facts: FactFilter, period: Period, as_of: date, metric: str,
            labels: dict[str, pd.Series], region: str, compare: str) -> None:  # fmt: skip
    by: tuple[str, ...] = ("region", "rep")
    reps = data.targets_table(scope, facts, period, as_of, by, metric)
    reps = compared(reps, scope, facts, period, as_of, by, metric, compare)
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
        drill.rep_customers(scope, facts, period, as_of, rep, labels["rep"], "t_rep")


def products(scope: Scope, facts: FactFilter, period: Period, as_of: date, metric: str,
             labels: dict[str, pd.Series], compare: str) -> None:  # fmt: skip
    """Attainment by product (products carry revenue and margin targets only)."""
    with section(t("by_product")):
        if metric not in ("revenue", "gross_margin"):
            st.info(t("product_metric_note"))
            return
        frame = data.targets_table(scope, facts, period, as_of, ("product",), metric)
        frame = compared(frame, scope, facts, period, as_of, ("product",), metric, compare)
        shown, config, _ = tables.measures_view(frame, metric, labels)
        tables.grid(shown, key="t_prod", config=config)
