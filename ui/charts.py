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
