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


def stage_funnel(frame: pd.DataFrame, count_label: str, amount_label: str) -> alt.HConcatChart:
    """Open deals per stage as two bar charts side by side: how many (labelled with the stage
    conversion ``text``) and how much (yuan). ``frame``: ``label, count, amount, text``."""
    base = alt.Chart(frame).encode(
        y=alt.Y("label:N", sort=None, title=None),
        tooltip=["label", "count", alt.Tooltip("amount:Q", format=",.0f"), "text"],
    )
    count = base.mark_bar(color="#4C78A8").encode(x=alt.X("count:Q", title=count_label))
    amount = base.mark_bar(color="#72B7B2").encode(
        x=alt.X("amount:Q", title=amount_label, axis=alt.Axis(format=",.0f"))
    )
    text = base.mark_text(align="left", dx=4).encode(x="count:Q", text="text:N")
    return alt.hconcat((count + text).properties(height=220), amount.properties(height=220))


COVERAGE_COLOURS = {
    "short": "#d73027",
    "thin": "#fdae61",
    "ok": "#1a9850",
    "met": "#91cf60",
    "no_target": "#bdbdbd",
}


def coverage_bars(frame: pd.DataFrame, coverage_label: str, status_label: str) -> alt.LayerChart:
    """Coverage per rep (``label, shown, coverage, status, status_text``), thinnest on top,
    with rules at 1× and 3×; bars are capped at 5× so one huge pipeline does not flatten the
    rest (the tooltip has the true figure)."""
    statuses = [s for s in COVERAGE_COLOURS if s in set(frame.status)]
    bars = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y("label:N", sort=None, title=None, axis=alt.Axis(labelOverlap=False)),
            x=alt.X("shown:Q", title=coverage_label, scale=alt.Scale(domain=[0, 5])),
            color=alt.Color(
                "status:N",
                title=status_label,
                scale=alt.Scale(domain=statuses, range=[COVERAGE_COLOURS[s] for s in statuses]),
                legend=alt.Legend(labelExpr=_legend_labels(frame)),
            ),
            tooltip=["label", alt.Tooltip("coverage:Q", format=".2f"), "status_text"],
        )
    )
    rules = (
        alt.Chart(pd.DataFrame({"x": [1.0, 3.0]}))
        .mark_rule(strokeDash=[4, 3], color="#555")
        .encode(x="x:Q")
    )
    return (bars + rules).properties(height=max(160, 22 * len(frame)))


def _legend_labels(frame: pd.DataFrame) -> str:
    pairs = dict(zip(frame.status, frame.status_text, strict=True))
    cases = " : ".join(f"datum.label == '{k}' ? '{v}'" for k, v in pairs.items())
    return f"{cases} : datum.label" if cases else "datum.label"


def days_in_stage(frame: pd.DataFrame, days_label: str) -> alt.Chart:
    """Box plot of days in the current stage per stage (``label, days``), funnel order."""
    return (
        alt.Chart(frame)
        .mark_boxplot(extent="min-max", color="#4C78A8")
        .encode(
            y=alt.Y("label:N", sort=list(dict.fromkeys(frame.label)), title=None),
            x=alt.X("days:Q", title=days_label),
        )
        .properties(height=220)
    )


def monthly_line(frame: pd.DataFrame, column: str, title: str, axis_format: str) -> alt.Chart:
    """One line with points over ``month`` (undefined months left as gaps)."""
    data = frame.assign(value=pd.to_numeric(frame[column], errors="coerce"))
    return (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=alt.X("month:O", title=None),
            y=alt.Y("value:Q", title=title, axis=alt.Axis(format=axis_format)),
            tooltip=["month", alt.Tooltip("value:Q", title=title, format=axis_format)],
        )
        .properties(height=220)
    )


def forecast_bars(frame: pd.DataFrame, titles: dict[str, str]) -> alt.LayerChart:
    """Actual plus weighted pipeline stacked per ``label`` with the target as a tick (yuan).
    ``frame``: ``label, actual, weighted, target``."""
    long = frame.melt(id_vars="label", value_vars=["actual", "weighted"], var_name="part")
    long["part"] = long.part.map(titles)
    bars = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            y=alt.Y("label:N", title=None),
            x=alt.X("value:Q", title=None, axis=alt.Axis(format=",.0f"), stack="zero"),
            color=alt.Color("part:N", title=None, sort=[titles["actual"], titles["weighted"]]),
            tooltip=["label", "part", alt.Tooltip("value:Q", format=",.0f")],
        )
    )
    target = (
        alt.Chart(frame)
        .mark_tick(color="#E45756", thickness=3, size=26)
        .encode(
            y="label:N",
            x="target:Q",
            tooltip=["label", alt.Tooltip("target:Q", title=titles["target"], format=",.0f")],
        )
    )
    return (bars + target).properties(height=max(120, 40 * len(frame)))


def pareto(frame: pd.DataFrame, revenue_label: str, share_label: str) -> alt.LayerChart:
    """Bars of revenue per customer in rank order coloured by class, the cumulative share of
    all revenue as a line on its own axis, and rules at 80 % and 95 %. ``frame``: ``rank,
    label, revenue, cumulative, abc``."""
    base = alt.Chart(frame).encode(
        x=alt.X("rank:O", title=None, axis=alt.Axis(labels=False, ticks=False))
    )
    bars = base.mark_bar().encode(
        y=alt.Y("revenue:Q", title=revenue_label, axis=alt.Axis(format=",.0f")),
        color=alt.Color(
            "abc:N", title=None, scale=alt.Scale(domain=["A", "B", "C"],
                                                 range=["#1a9850", "#fdae61", "#bdbdbd"]),
        ),
        tooltip=["label", "abc", alt.Tooltip("revenue:Q", format=",.0f"),
                 alt.Tooltip("cumulative:Q", format=".1%")],
    )  # fmt: skip
    line = base.mark_line(color="#333", point=True).encode(
        y=alt.Y("cumulative:Q", title=share_label, scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format="%", orient="right")),
    )  # fmt: skip
    rules = (
        alt.Chart(pd.DataFrame({"cumulative": [0.80, 0.95]}))
        .mark_rule(strokeDash=[4, 3], color="#E45756")
        .encode(y="cumulative:Q")
    )
    return (
        alt.layer(bars, alt.layer(line, rules))
        .resolve_scale(y="independent")
        .properties(height=300)
    )


def count_bars(frame: pd.DataFrame, title: str) -> alt.Chart:
    """Horizontal bars of ``customers`` per ``label``, in the frame's order."""
    return (
        alt.Chart(frame)
        .mark_bar(color="#4C78A8")
        .encode(
            y=alt.Y("label:N", sort=None, title=None),
            x=alt.X("customers:Q", title=title),
            tooltip=["label", "customers"],
        )
        .properties(height=40 * len(frame) + 20)
    )


def wallet_matrix(frame: pd.DataFrame, customers_label: str) -> alt.LayerChart:
    """The 3×3 share-of-wallet × potential matrix as a heat map of customer counts with the
    count and revenue written in each cell; clicking a cell selects it (``cell``)."""
    pick = alt.selection_point(name="cell", fields=["cell"], on="click")
    base = alt.Chart(frame).encode(
        x=alt.X(
            "column:N", sort=["R", "D", "A"], title=None, axis=alt.Axis(orient="top", labelAngle=0)
        ),
        y=alt.Y("row:N", sort=["1", "2", "3"], title=None),
    )
    cells = (
        base.mark_rect(stroke="white", strokeWidth=2)
        .encode(
            color=alt.Color("customers:Q", title=customers_label, scale=alt.Scale(scheme="blues")),
            opacity=alt.condition(pick, alt.value(1), alt.value(0.45)),
            tooltip=[
                "cell",
                "strategy_text",
                "customers",
                alt.Tooltip("revenue_yuan:Q", format=",.0f"),
            ],
        )
        .add_params(pick)
    )
    text = base.mark_text(fontSize=13).encode(text="text:N")
    return (cells + text).properties(height=270)


def attrition_lines(frame: pd.DataFrame, title: str) -> alt.LayerChart:
    """Attrition per year and ``label`` with the 5–25 % band shaded."""
    band = (
        alt.Chart(pd.DataFrame({"low": [0.05], "high": [0.25]}))
        .mark_rect(color="#1a9850", opacity=0.12)
        .encode(y="low:Q", y2="high:Q")
    )
    lines = (
        alt.Chart(frame)
        .mark_line(point=True)
        .encode(
            x=alt.X("year:O", title=None),
            y=alt.Y("attrition:Q", title=title, axis=alt.Axis(format="%")),
            color=alt.Color("label:N", title=None),
            tooltip=["label", "year", alt.Tooltip("attrition:Q", format=".1%")],
        )
    )
    return (band + lines).properties(height=240)
