"""The pipeline page's sections (docs/kpis.md#pipeline-health), each drawn by one function
the page calls inside its section."""

from __future__ import annotations

from datetime import date
from functools import partial
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from crm_core import formatting as fmt
from crm_core.periods import EARLIEST_DAY, monday_before
from crm_core.scope import Scope
from reports.files import change_value
from services.reads import PipelineData, PipelineHistory
from ui import charts, customer_card, data, drill, filters, pipeline_view, tables
from ui.filters import Filters
from ui.i18n import language, t
from ui.layout import capped, csv_download, table_with_download


def funnel(loaded: PipelineData, history: PipelineHistory) -> None:
    funnel = pipeline_view.funnel_frame(loaded.stages, history.conversion)
    charts.draw(st, charts.stage_funnel(funnel, t("count"), t("amount")), width="stretch")
    table_with_download(
        pipeline_view.funnel_table(loaded.stages, history.conversion), "pipe_funnel", "funnel.csv"
    )


def coverage(loaded: PipelineData, reps: pd.Series, chosen: Filters, scope: Scope) -> None:
    st.caption(t("coverage_help"))
    picked = None
    for column, (month, table) in zip(st.columns(2), loaded.coverage.items(), strict=True):
        with column:
            st.markdown(f"**{month}**")
            if table.empty:
                st.info(t("no_data"))
                continue
            missing = pipeline_view.coverage_missing(table)
            if missing == "no_targets":  # nothing to cover: say so, and where targets are set
                st.info(t("coverage_no_targets", month=month))
                if scope.rep_ids is None:  # a rep sets no targets
                    where = urlencode({"tab": t("tab_breakdown")})
                    st.markdown(f"[{t('coverage_to_breakdown')}](targets?{where})")
                continue
            if missing == "no_deals":
                st.warning(t("coverage_no_deals", month=month))
            else:
                frame = pipeline_view.coverage_frame(table, reps)
                st.caption(t("thinnest", shown=len(frame), total=len(table)))
                chart = charts.coverage_bars(frame, t("coverage"), t("status"))
                key = filters.click_key(f"pipe_cov_bars_{month[5:]}")
                event = charts.draw(st, chart, width="stretch", on_select="rerun", key=key)
                filters.filter_to("rep", drill.picked_point(event, "pick", "rep"), key)
            shown, config = pipeline_view.coverage_table(capped(table), reps)
            event = drill.selectable(shown, config, f"pipe_cov_{month[5:]}")
            picked = drill.picked_row(event, list(table.rep)) or picked
    in_scope = list(reps.index)
    if in_scope:
        st.caption(t("rep_row_caption"))
        rep = drill.choose(
            t("drill_rep"), in_scope, "pipe_rep", "rep_detail", partial(tables.label, reps), picked
        )
        drill.rep_customers(scope, chosen.facts, chosen.period, chosen.as_of, rep, reps, "pipe_rep")


def stale(loaded: PipelineData, reps: pd.Series, scope: Scope, as_of: date) -> None:
    st.caption(t("stale_help", days=pipeline_view.stale_days(loaded.stale_limits)))
    listed = capped(loaded.stale)
    shown, config = pipeline_view.stale_table(listed, reps)
    event = drill.selectable(shown, config, "pipe_stale")
    csv_download(
        partial(pipeline_view.stale_rows, loaded.stale, reps), "stale.csv", "pipe_stale_dl"
    )
    if customer := drill.picked_row(event, list(listed.customer_id)):
        customer_card.show(scope, customer, as_of, "pipe_card")
    else:
        st.caption(t("row_opens_card"))


def days_in_stage(loaded: PipelineData, as_of: date) -> None:
    if loaded.deals.empty:
        st.info(t("no_data"))
    else:
        days = pipeline_view.days_frame(loaded.deals, as_of)
        charts.draw(st, charts.days_in_stage(days, t("days_in_stage")), width="stretch")


def win_trend(history: PipelineHistory) -> None:
    left, right = st.columns(2)
    trend = pipeline_view.trend_in_yuan(history.trend)
    charts.draw(left, charts.monthly_line(trend, "win_rate", t("win_rate"), "%"), width="stretch")
    charts.draw(
        right, charts.monthly_line(trend, "velocity", t("velocity"), "money"), width="stretch"
    )
    with st.expander(t("show_numbers")):
        table_with_download(pipeline_view.trend_table(history.trend), "pipe_trend", "trend.csv")


def forecast(loaded: PipelineData, regions: pd.Series) -> None:
    st.caption(
        t("forecast_help", probabilities=pipeline_view.probabilities_text(loaded.probabilities))
    )
    titles = {k: t(k) for k in ("actual", "weighted", "target")}
    shown = pipeline_view.forecast_frame(loaded.forecast, regions)
    charts.draw(st, charts.forecast_bars(shown, titles), width="stretch")
    table_with_download(
        pipeline_view.forecast_table(loaded.forecast, regions), "pipe_forecast", "forecast.csv"
    )


def what_changed(scope: Scope, as_of: date, reps: pd.Series) -> None:
    """What moved between two days (default: the Monday before the as-of day to it): the
    month's open and weighted pipeline at the end of each, the count of each change, every
    change of every deal."""
    start, end = st.columns(2)
    monday = max(monday_before(as_of), EARLIEST_DAY)
    first = start.date_input(t("changes_from"), value=monday, min_value=EARLIEST_DAY,
                             max_value=as_of, key="changes_from")  # fmt: skip
    last = end.date_input(t("changes_to"), value=as_of, min_value=first, max_value=as_of,
                          key="changes_to")  # fmt: skip
    moves = data.pipeline_changes(scope, first, last)
    open_now, weighted_now = st.columns(2)
    open_now.metric(t("changes_open"), fmt.money(moves.open_after),
                    delta=fmt.signed_money(moves.open_after - moves.open_before))  # fmt: skip
    moved = round(moves.weighted_after - moves.weighted_before)
    weighted_now.metric(t("changes_weighted"), fmt.money(round(moves.weighted_after)),
                        delta=fmt.signed_money(moved))  # fmt: skip
    changes = moves.changes
    if changes.empty:
        st.info(t("changes_none"))
        return
    counts = changes.change.value_counts()
    st.caption(" · ".join(f"{t('change_' + kind)} {counts[kind]}" for kind in CHANGE_ORDER
                          if kind in counts))  # fmt: skip
    lang, kinds = language(), list(changes.change)
    shown = changes.assign(
        rep=[f"{reps.get(r, r)} ({r})" for r in changes.rep],
        change=[t(f"change_{c}") for c in changes.change],
        before=[change_value(v, c, lang) for v, c in zip(changes.before, kinds, strict=True)],
        after=[change_value(v, c, lang) for v, c in zip(changes.after, kinds, strict=True)],
    )
    frame, config = tables.numeric_view(shown, {"amount": "money", "pushes": "count"})
    tables.grid(frame, key="pipe_changes", config=config)


CHANGE_ORDER = ("new", "advanced", "moved_back", "won", "lost", "pushed", "pulled_in",
                "amount_up", "amount_down")  # fmt: skip
