"""Meeting mode: the Monday report as slides for the meeting screen, one section a slide, in
large type, with the sidebar hidden; ← / → (or the buttons) move between slides, and the URL
(``?week=2026-W46&slide=3``) opens the same slide of the same week."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
import streamlit as st

from crm_core import formatting as fmt
from crm_core.periods import iso_week_of, parse_week
from crm_core.weekly import MondayReport
from reports import charts as report_charts
from reports import files as report_files
from ui import charts
from ui.i18n import language, t

REP_ROWS = 15  # reps on the reps slide (largest gaps first); the Excel file has all

STYLE = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
header[data-testid="stHeader"] {display: none;}
.block-container {max-width: 100%; padding-top: 1.5rem;}
h1 {font-size: 2.6rem !important;}
[data-testid="stTable"] table {font-size: 1.35rem;}
[data-testid="stMetricValue"] {font-size: 3rem;}
[data-testid="stCaptionContainer"] {font-size: 1.1rem;}
</style>
"""


@dataclass(frozen=True)
class Slide:
    title: str
    show: Callable[[], None]


def chosen_week(as_of: date) -> str:
    """The week in the URL, else the last complete one."""
    default = iso_week_of(as_of - timedelta(days=7))
    requested = st.query_params.get("week", default)
    try:
        parse_week(requested)
    except ValueError as problem:
        if requested != default:  # a hand-edited link: say why the last week is shown
            st.warning(t("link_date_refused", problem=fmt.plain(str(problem))))
        return default
    return requested


def slides(report: MondayReport) -> list[Slide]:
    lang = language()
    table = _table_slide(report, lang)
    title = f"{t('monday_report')} · {fmt.plain(report.scope_label)} · {report.week_label}"
    deck = [Slide(title, lambda: _opening(report))]
    deck += [Slide(t("section_decisions"), table("decisions"))]
    deck += [Slide(t("section_summary"), table("summary"))]
    deck += [
        Slide(t(f"chart_{key}"), _chart(chart)) for key, chart in report_charts.chart_specs(
            report, lang)
    ]  # fmt: skip
    for name in report_files.sections_of(report)[2:]:
        deck.append(Slide(t(f"section_{name}"), table(name)))
    return deck


def _opening(report: MondayReport) -> None:
    """The week's headline figures and how many exceptions wait."""
    shown = dict(
        zip(report.summary.metric, report_files.summary_rows(report, language()), strict=True)
    )
    columns = st.columns(3)
    for column, metric in zip(columns, ("week_revenue", "week_attainment", "mtd_attainment"),
                              strict=True):  # fmt: skip
        column.metric(t(metric), shown[metric][1] if metric in shown else "—")
    reps = len(set(report.flags.rep)) if len(report.flags) else 0
    st.caption(t("meeting_flags", count=fmt.count(len(report.flags)), reps=fmt.count(reps)))


def _table_slide(report: MondayReport, lang: str) -> Callable[[str], Callable[[], None]]:
    def make(name: str) -> Callable[[], None]:
        def show() -> None:
            header, body = report_files.section_rows(report, name, lang)
            if not body:
                st.info(t("nothing_listed"))
                return
            if name == "reps" and len(body) > REP_ROWS:
                st.caption(t("cut_notice", shown=REP_ROWS, total=len(body)))
                body = body[:REP_ROWS]
            st.table(as_text(pd.DataFrame(body, columns=header).set_index(header[0])))

        return show

    return make


def as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` for ``st.table``, which renders Markdown in cells and headers: every text
    (a rep's name, a market report typed by someone) shown as typed, no image or link."""
    return frame.map(lambda cell: fmt.plain(cell) if isinstance(cell, str) else cell).rename(
        index=lambda v: fmt.plain(v) if isinstance(v, str) else v,
        columns=lambda v: fmt.plain(v) if isinstance(v, str) else v,
    )


def _chart(chart: object) -> Callable[[], None]:
    def show() -> None:
        charts.draw(st, chart, width="stretch")

    return show


def navigate(count: int) -> int:
    """The slide number (1-based) from the URL, moved by the ← / → buttons, written back."""
    try:
        current = min(max(int(st.query_params.get("slide", "1")), 1), count)
    except ValueError:
        current = 1
    back, where, forward = st.columns([1, 6, 1])
    if back.button("←", key="slide_back", shortcut="Left", disabled=current == 1):
        current -= 1
    if forward.button("→", key="slide_next", shortcut="Right", disabled=current == count):
        current += 1
    where.caption(t("slide_of", number=current, count=count))
    st.query_params["slide"] = str(current)
    return current
