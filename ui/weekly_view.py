"""Rendering helpers of the weekly page: formatted sections and the three downloads."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from crm_core.weekly import MondayReport
from db import report_files
from ui.i18n import language, t


def summary(report: MondayReport) -> pd.DataFrame:
    rows = report_files.summary_rows(report, language())
    return pd.DataFrame(rows, columns=[t("metric"), t("this_week"), t("last_week"), t("change")])


def section(report: MondayReport, name: str) -> Styler | None:
    """A section as a table with exception rows shaded; ``None`` when it lists nothing."""
    header, body = report_files.section_rows(report, name, language())
    if not body:
        return None
    frame = pd.DataFrame(body, columns=header)
    flags = list(getattr(report, name).get("exception", [False] * len(frame)))
    return frame.style.apply(
        lambda row: ["background-color: #fde0dd" if flags[row.name] else ""] * len(row), axis=1
    )


def downloads(report: MondayReport) -> None:
    lang, stem = language(), f"monday_report_{report.week_label}"
    excel, pdf, md = st.columns(3)
    excel.download_button(
        t("download_xlsx"), report_files.xlsx(report, lang), f"{stem}.xlsx", key="weekly_xlsx"
    )
    try:
        pdf.download_button(
            t("download_pdf"), report_files.pdf(report, lang), f"{stem}.pdf", key="weekly_pdf"
        )
    except report_files.ReportFontMissing as missing:
        pdf.warning(str(missing))
    md.download_button(
        t("download_md"), report_files.markdown(report, lang), f"{stem}.md", key="weekly_md"
    )
