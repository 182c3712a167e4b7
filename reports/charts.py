"""The Monday report's charts as PNG images for the PDF and the Excel file: attainment by
region (a report over several regions) or by rep with the 100 % target line, the 8-week trend
of revenue against target, and the week's call funnel. Built with Altair in the app's colours
and rendered by vl-convert (no hand-drawn plotting), with a CJK font so Chinese labels show."""

from __future__ import annotations

from dataclasses import dataclass

import altair as alt
import pandas as pd

from crm_core import formatting as fmt
from crm_core.catalog import text
from crm_core.weekly import MondayReport

BAR, TARGET, BEHIND = "#4C78A8", "#E45756", "#F58518"
FONT = "Noto Sans CJK SC"
MAX_BARS = 30  # reps or regions in the attainment chart: the largest gaps first


@dataclass(frozen=True)
class ReportChart:
    key: str  # attainment | trend | funnel
    title: str
    png: bytes


def chart_specs(report: MondayReport, lang: str) -> list[tuple[str, alt.TopLevelMixin]]:
    """Every chart of ``report`` that has data, as Altair charts (the meeting page shows
    these; the files get them as PNG)."""
    charts = [
        ("attainment", _attainment(report, lang)),
        ("trend", _trend(report, lang)),
        ("funnel", _funnel(report, lang)),
    ]
    return [(key, chart) for key, chart in charts if chart is not None]


def report_charts(report: MondayReport, lang: str, scale: float = 2.0) -> list[ReportChart]:
    """Every chart of ``report`` that has data, as PNG."""
    import vl_convert as vlc

    return [
        ReportChart(
            key, text(f"chart_{key}", lang), vlc.vegalite_to_png(chart.to_json(), scale=scale)
        )
        for key, chart in chart_specs(report, lang)
    ]


def _styled(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    return chart.configure(font=FONT).configure_view(strokeWidth=0)


def _attainment(report: MondayReport, lang: str) -> alt.TopLevelMixin | None:
    if report.by_region:
        frame = report.regions.assign(label=report.regions.region_name)
    else:
        frame = report.reps.assign(label=report.reps.name)
    frame = frame[[a is not None for a in frame.attainment]].head(MAX_BARS)
    if frame.empty:
        return None
    data = pd.DataFrame(
        {"label": list(frame.label), "attainment": [float(a) for a in frame.attainment]}
    )
    data["behind"] = data.attainment < 1
    base = alt.Chart().encode(y=alt.Y("label:N", sort=None, title=None))
    bars = base.mark_bar().encode(
        x=alt.X("attainment:Q", title=text("week_attainment", lang), axis=alt.Axis(format="%")),
        color=alt.ColorValue(**alt.condition("datum.behind", alt.value(BEHIND), alt.value(BAR))),
    )
    labels = base.mark_text(align="left", dx=3, fontSize=10).encode(
        x=alt.X("attainment:Q"), text=alt.Text("attainment:Q", format=".0%")
    )
    line = alt.Chart(pd.DataFrame({"x": [1.0]})).mark_rule(color=TARGET, strokeDash=[4, 3])
    layered = alt.layer(bars, labels, line.encode(x=alt.X("x:Q")), data=data).properties(
        width=520, height=max(120, 18 * len(data)), title=text("chart_attainment", lang)
    )
    return _styled(layered)


def _trend(report: MondayReport, lang: str) -> alt.TopLevelMixin | None:
    if report.trend.empty:
        return None
    data = report.trend.assign(
        revenue=[fmt.yuan(v) for v in report.trend.revenue],
        target=[fmt.yuan(v) for v in report.trend.target],
    )
    base = alt.Chart().encode(x=alt.X("week:O", title=None, axis=alt.Axis(labelAngle=0)))
    bars = base.mark_bar(color=BAR).encode(
        y=alt.Y("revenue:Q", title=text("week_revenue", lang), axis=alt.Axis(format=",.0f"))
    )
    line = base.mark_line(point=True, color=TARGET, strokeDash=[4, 3]).encode(y=alt.Y("target:Q"))
    layered = alt.layer(bars, line, data=data)
    return _styled(layered.properties(width=520, height=220, title=text("chart_trend", lang)))


def _funnel(report: MondayReport, lang: str) -> alt.TopLevelMixin | None:
    if report.funnel.empty or not int(report.funnel["count"].iloc[0]):
        return None
    data = pd.DataFrame(
        {
            "label": [text(f"step_{s}", lang) for s in report.funnel.step],
            "count": [int(c) for c in report.funnel["count"]],
        }
    )
    base = alt.Chart().encode(y=alt.Y("label:N", sort=None, title=None))
    bars = base.mark_bar(color=BAR).encode(x=alt.X("count:Q", title=None))
    labels = base.mark_text(align="left", dx=3).encode(x=alt.X("count:Q"), text=alt.Text("count:Q"))
    return _styled(
        alt.layer(bars, labels, data=data).properties(
            width=520, height=160, title=text("chart_funnel", lang)
        )
    )
