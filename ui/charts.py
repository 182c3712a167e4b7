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
                    domain=[50, 80, 100, 120],
                    range=["#b2182b", "#f4a582", "#fee08b", "#1a9850"],
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
    )


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


def efficiency_scatter(
    frame: pd.DataFrame, x: str, y: str, medians: dict[str, float | None], titles: dict[str, str]
) -> alt.Chart:
    """One point per rep (``rep, label, <x>, <y>, attainment``) with the team medians as
    rules: bottom-right = many activities, few sales. Clicking a point selects the rep."""
    pick = alt.selection_point(name="pick", fields=["rep"], on="click")
    base = alt.Chart(frame)
    points = (
        base.mark_circle(size=120)
        .encode(
            x=alt.X(f"{x}:Q", title=titles[x]),
            y=alt.Y(f"{y}:Q", title=titles[y], axis=alt.Axis(format="%")),
            color=alt.Color(
                "attainment:Q",
                title=titles["attainment"],
                scale=alt.Scale(
                    domain=[0.5, 1, 1.5], range=["#b2182b", "#fee08b", "#1a9850"], clamp=True
                ),
                legend=alt.Legend(format="%"),
            ),
            opacity=alt.condition(pick, alt.value(1), alt.value(0.4)),
            tooltip=[
                "label",
                alt.Tooltip(f"{x}:Q", format=".2f"),
                alt.Tooltip(f"{y}:Q", format=".1%"),
                alt.Tooltip("attainment:Q", format=".0%"),
            ],
        )
        .add_params(pick)
    )
    layers = [points]
    if medians.get(x) is not None:
        layers.append(
            alt.Chart(pd.DataFrame({x: [medians[x]]}))
            .mark_rule(strokeDash=[4, 3])
            .encode(x=f"{x}:Q")
        )
    if medians.get(y) is not None:
        layers.append(
            alt.Chart(pd.DataFrame({y: [medians[y]]}))
            .mark_rule(strokeDash=[4, 3])
            .encode(y=f"{y}:Q")
        )
    return alt.layer(*layers).properties(height=360)


def funnel_bars(frame: pd.DataFrame) -> alt.Chart:
    """Counts per funnel step (``label, count, conversion_text``), in order, with labels."""
    base = alt.Chart(frame).encode(y=alt.Y("label:N", sort=None, title=None))
    bars = base.mark_bar(color="#4C78A8").encode(x=alt.X("count:Q", title=None))
    text = base.mark_text(align="left", dx=4).encode(x="count:Q", text="conversion_text:N")
    return (bars + text).properties(height=200)


def share_vs_guideline(frame: pd.DataFrame, share_label: str, guideline_label: str) -> alt.Chart:
    """Actual share of time per customer group against the guideline (``label, share,
    guideline``)."""
    long = frame.melt(id_vars="label", value_vars=["share", "guideline"], var_name="what")
    long["what"] = long.what.map({"share": share_label, "guideline": guideline_label})
    return (
        alt.Chart(long)
        .mark_bar()
        .encode(
            x=alt.X("label:N", sort=None, title=None),
            xOffset="what:N",
            y=alt.Y("value:Q", title=None, axis=alt.Axis(format="%")),
            color=alt.Color("what:N", title=None),
            tooltip=["label", "what", alt.Tooltip("value:Q", format=".1%")],
        )
        .properties(height=260)
    )
