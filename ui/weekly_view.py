"""Rendering helpers of the weekly page: formatted sections and the three downloads."""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from crm_core.scope import Scope
from crm_core.weekly import MondayReport
from reports import files as report_files
from ui import data, tables
from ui.i18n import language, t


def scope_label(scope: Scope) -> str:
    """The regions a page's Monday report covers: their names, or "all regions" above three."""
    regions = data.dimensions(scope)["regions"]
    return "、".join(regions.name) if len(regions) <= 3 else t("all_regions")


def sections(report: MondayReport) -> list[str]:
    return report_files.sections_of(report)


def summary(report: MondayReport) -> pd.DataFrame:
    rows = report_files.summary_rows(report, language())
    return pd.DataFrame(rows, columns=[t("metric"), t("this_week"), t("last_week"), t("change")])


# what people wrote or the report says in words: shown whole, the table scrolls sideways
FREE_TEXT = {"reasons", "reason", "summary", "text"}
COUNT_COLUMNS = {"rank", "done", "reports_late", "reports_missing", "planned", "needed",
                 "shortfall", "pushes"}  # fmt: skip


def section(
    report: MondayReport, name: str
) -> tuple[Styler | pd.DataFrame, dict[str, object]] | None:
    """A section as a table (numbers kept numbers, so a header click sorts by value) with
    exception rows shaded, and its column_config; ``None`` when it lists nothing."""
    if name == "summary":
        return summary(report), {}
    lang = language()
    frame = report_files.section_frame(report, name, lang)
    if frame.empty:
        return None
    kinds: dict[str, str] = {}
    columns: dict[str, list] = {}
    for column in report_files.SECTION_COLUMNS[name]:
        key = report_files.HEADER_KEYS.get(column, column)
        values = frame[column].tolist()  # pandas 3 steps through a str column a value at a time
        if column in report_files.MONEY_COLUMNS:
            kinds[key] = "money"
        elif column in report_files.RATIO_COLUMNS:
            kinds[key] = "ratio"
        elif column in COUNT_COLUMNS:
            kinds[key] = "count"
        else:
            values = [report_files.cell_text(column, v, lang) for v in values]
        columns[key] = values
    shown, config = tables.numeric_view(pd.DataFrame(columns), kinds)
    for column in FREE_TEXT & set(report_files.SECTION_COLUMNS[name]):
        header = t(report_files.HEADER_KEYS.get(column, column))
        width = tables.fit_width(shown[header], header)
        config[header] = st.column_config.TextColumn(header, width=width)
    flags = list(report.reps.exception) if name == "reps" else [False] * len(shown)
    return tables.shade_rows(shown, [tables.BEHIND if flag else None for flag in flags]), config


def downloads(report: MondayReport) -> None:
    """Excel, PDF and Markdown of the report, each built only when its button is clicked (the
    PDF with its embedded CJK font takes seconds; building all three on every run made the
    page slow). The builders get the language now: they run outside the script run."""
    lang = language()
    stem = report_files.file_stem(report, lang)
    excel, pdf, md = st.columns(3)
    excel.download_button(
        t("download_xlsx"), partial(report_files.xlsx, report, lang), f"{stem}.xlsx",
        key="weekly_xlsx",
    )  # fmt: skip
    try:
        report_files.cjk_font()
        pdf.download_button(
            t("download_pdf"), partial(report_files.pdf, report, lang), f"{stem}.pdf",
            mime="application/pdf", key="weekly_pdf",
        )  # fmt: skip
    except report_files.ReportFontMissing:
        pdf.warning(t("pdf_font_missing"))
    md.download_button(
        t("download_md"), partial(report_files.markdown, report, lang), f"{stem}.md",
        key="weekly_md",
    )  # fmt: skip
