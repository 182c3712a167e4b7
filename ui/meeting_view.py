"""Meeting mode: the Monday report as slides for the meeting screen, in large type, with the
sidebar hidden; ← / → (or the buttons) move between slides, the URL (``?week=2026-W46&slide=3``)
opens the same slide of the same week, and a button on every slide leaves for the Weekly page
of that week. Every slide fits a 1,280 × 720 projector: a long section runs over as many
slides as its rows need."""

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

REP_ROWS = 7  # reps shown (largest gaps first); the Excel file has all
SLIDE_ROWS = 8  # table rows a 1,280 × 720 slide holds in the meeting's type
WRAPPED_ROWS = 5  # the same for sections whose rows carry a sentence (a reason, a report)
WRAPPING = frozenset({"actions", "decisions", "competitors", "complaints"})
OPENING_DECISIONS = 3  # the top decisions under the opening slide's headline figures
OPENING_COLUMNS = ("about", "name", "reason")
# Columns a slide leaves out: a rep's reasons are the decision slides' own, and at the reps'
# slide's width they would make each row many lines tall (the files keep them).
LEFT_OFF = {"reps": "reasons"}

STYLE = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
header[data-testid="stHeader"] {display: none;}
.block-container {max-width: 100%; padding-top: 0.75rem; padding-bottom: 1rem;}
[data-testid="stElementContainer"]:has([data-testid="stHtml"]) {display: none;}
h1 {font-size: 2.4rem !important; padding-top: 0.5rem !important;}
[data-testid="stTable"] table {font-size: 1.2rem;}
[data-testid="stTable"] td [data-testid="stMarkdownContainer"] {max-width: none;}
[data-testid="stTable"] td:not(:last-child) p {white-space: nowrap; word-break: keep-all;}
[data-testid="stMetricValue"] {font-size: 2.75rem;}
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
    title = f"{t('monday_report')} · {fmt.plain(report.scope_label)} · {report.week_label}"
    deck = [Slide(title, lambda: _opening(report, lang))]
    deck += _table_slides(report, "actions", lang)
    deck += _table_slides(report, "decisions", lang)
    deck += _table_slides(report, "summary", lang)
    deck += [
        Slide(t(f"chart_{key}"), _chart(chart)) for key, chart in report_charts.chart_specs(
            report, lang)
    ]  # fmt: skip
    for name in report_files.sections_of(report)[3:]:
        deck += _table_slides(report, name, lang)
    return deck


def _opening(report: MondayReport, lang: str) -> None:
    """The week's headline figures, how many exceptions wait, and the first decisions."""
    shown = dict(
        zip(report.summary.metric, report_files.summary_rows(report, language()), strict=True)
    )
    columns = st.columns(3)
    for column, metric in zip(columns, ("week_revenue", "week_attainment", "mtd_attainment"),
                              strict=True):  # fmt: skip
        column.metric(t(metric), shown[metric][1] if metric in shown else "—")
    kinds = list(report.items.kind) if len(report.items) else []
    st.caption(t("meeting_flags", count=fmt.count(len(kinds)),
                 regions=fmt.count(kinds.count("region")), reps=fmt.count(kinds.count("rep")),
                 total=fmt.count(len(report.reps))))  # fmt: skip
    header, body = report_files.section_rows(report, "decisions", lang)
    if body:
        st.markdown(f"**{t('section_decisions')}**")
        # who and why only: the reasons get the width, so three fit under the figures
        keep = [report_files.SECTION_COLUMNS["decisions"].index(c) for c in OPENING_COLUMNS]
        _table(
            [header[i] for i in keep], [[row[i] for i in keep] for row in body[:OPENING_DECISIONS]]
        )


def _table_slides(report: MondayReport, name: str, lang: str) -> list[Slide]:
    """The slides of one section: :data:`SLIDE_ROWS` rows each (:data:`WRAPPED_ROWS` where a
    row carries a sentence), titled "(2/3)" when it runs over several; the reps' list cut to
    the :data:`REP_ROWS` largest gaps."""
    header, body = report_files.section_rows(report, name, lang)
    if name in LEFT_OFF:
        place = report_files.SECTION_COLUMNS[name].index(LEFT_OFF[name])
        header = header[:place] + header[place + 1 :]
        body = [row[:place] + row[place + 1 :] for row in body]
    title = t(f"section_{name}")
    if not body:
        return [Slide(title, lambda: st.info(t("nothing_listed")))]
    total = len(body)
    if name in ("reps", "activity", "changes", "forecast"):
        body = body[:REP_ROWS]
    size = WRAPPED_ROWS if name in WRAPPING else SLIDE_ROWS
    pages = [body[start : start + size] for start in range(0, len(body), size)]

    def show(rows: list[list[str]]) -> Callable[[], None]:
        def draw() -> None:
            if len(body) < total:
                st.caption(t("cut_notice", shown=len(body), total=total))
            _table(header, rows)

        return draw

    if len(pages) == 1:
        return [Slide(title, show(pages[0]))]
    return [
        Slide(f"{title} ({number}/{len(pages)})", show(rows))
        for number, rows in enumerate(pages, start=1)
    ]


def _table(header: list[str], rows: list[list[str]]) -> None:
    st.table(as_text(pd.DataFrame(rows, columns=header).set_index(header[0])))


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


def navigate(count: int, week_label: str, record: Callable[[], None] | None = None) -> int:
    """The slide number (1-based) from the URL, moved by the ← / → buttons, written back; a
    button leaves the meeting for the Weekly page of the same week, and a popover records an
    action (``record`` draws its form) without leaving the slide."""
    try:
        current = min(max(int(st.query_params.get("slide", "1")), 1), count)
    except ValueError:
        current = 1
    back, where, note, leave, forward = st.columns([1, 4, 2, 2, 1], vertical_alignment="center")
    if record is not None:
        with note.popover(t("record_action"), icon=":material/add_task:", width="stretch"):
            record()
    if back.button("←", key="slide_back", shortcut="Left", disabled=current == 1):
        current -= 1
    if forward.button("→", key="slide_next", shortcut="Right", disabled=current == count):
        current += 1
    if leave.button(t("leave_meeting"), key="leave_meeting", icon=":material/logout:"):
        st.switch_page("pages/weekly.py", query_params={"week": week_label})
    where.caption(t("slide_of", number=current, count=count))
    st.query_params["slide"] = str(current)
    return current
