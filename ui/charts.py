"""Altair chart builders (the numbers behind each chart are shown beside it by the page)."""

from __future__ import annotations

import altair as alt
import pandas as pd


def actual_vs_target(frame: pd.DataFrame, actual_label: str, target_label: str) -> alt.Chart:
    """Bars of ``actual`` per ``month`` with ``target`` as a line of points."""
    base = alt.Chart(frame).encode(x=alt.X("month:O", title=None))
    bars = base.mark_bar(color="#4C78A8").encode(
        y=alt.Y("actual:Q", title=None, axis=alt.Axis(format=",.0f")),
        tooltip=[
            "month",
            alt.Tooltip("actual:Q", title=actual_label, format=",.0f"),
            alt.Tooltip("target:Q", title=target_label, format=",.0f"),
        ],
    )
    line = base.mark_line(point=True, color="#E45756", strokeDash=[4, 3]).encode(y="target:Q")
    return (bars + line).properties(height=300)


def attainment_heatmap(frame: pd.DataFrame, attainment_label: str) -> alt.Chart:
    """Rep × month heat map of attainment: red below 80 %, yellow near 100 %, green above;
    grey where the target is undefined. ``frame``: ``rep_label, month, attainment, target,
    actual`` (attainment as a fraction or None)."""
    data = frame.assign(attainment_pct=frame.attainment.astype(float) * 100)
    return (
        alt.Chart(data)
        .mark_rect()
        .encode(
            x=alt.X("month:O", title=None),
            y=alt.Y("rep_label:N", title=None, sort=None, axis=alt.Axis(labelOverlap=False)),
            color=alt.Color(
                "attainment_pct:Q",
                title=attainment_label,
                scale=alt.Scale(
                    domain=[50, 80, 100, 120], range=["#b2182b", "#f4a582", "#fee08b", "#1a9850"],
                    clamp=True,
                ),
            ),
            tooltip=[
                "rep_label",
                "month",
                alt.Tooltip("attainment_pct:Q", title=attainment_label, format=".1f"),
                alt.Tooltip("target:Q", format=",.0f"),
                alt.Tooltip("actual:Q", format=",.0f"),
            ],
        )
        .properties(height=max(200, 24 * frame.rep_label.nunique()))
    )  # fmt: skip


def pipeline_bars(frame: pd.DataFrame, amount_label: str) -> alt.Chart:
    """Open amount per stage (yuan), stages in funnel order; ``frame``: stage, count, amount."""
    return (
        alt.Chart(frame)
        .mark_bar(color="#4C78A8")
        .encode(
            y=alt.Y("stage:N", sort=None, title=None),
            x=alt.X("amount:Q", title=amount_label, axis=alt.Axis(format=",.0f")),
            tooltip=["stage", "count", alt.Tooltip("amount:Q", format=",.0f")],
        )
        .properties(height=200)
    )
