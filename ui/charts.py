"""Altair chart builders (the numbers behind each chart are shown beside it by the page), and
:func:`draw`, which shows one.

A builder marked :func:`planned` returns a :class:`Planned` chart: what to build, built only if
its Vega-Lite spec is not already held. Most page views of a day draw the same charts of the
same numbers (a rep's own, a region's, the company's), and building an Altair chart and
converting it to its spec took more of a view's CPU than anything else on the page."""

from __future__ import annotations

import functools
import hashlib
import pickle
from collections.abc import Callable
from typing import Any, ParamSpec

import altair as alt
import pandas as pd
import streamlit as st
from streamlit.elements import vega_charts

from crm_core import formatting as fmt
from crm_core import settings
from ui import units
from ui.i18n import language, t

P = ParamSpec("P")
# the Vega-Lite specs kept, each for an hour: a rep's are a few KB, a director's heat map of
# 1,000 reps about 1 MB (its data as Arrow)
SPECS_HELD = 512


class Planned:
    """A chart to draw: its builder, the arguments and the viewer's language and money unit
    (which the builders read); ``build()`` makes the Altair chart, and any other attribute is
    the built chart's (``planned.to_dict()``)."""

    def __init__(
        self, builder: Callable[..., alt.TopLevelMixin], args: tuple, kwargs: dict
    ) -> None:
        self.builder, self.args, self.kwargs = builder, args, kwargs
        self.context = (language(), units.in_wan(), settings.value("CRM_VALIDATE_CHARTS"))
        self._built: alt.TopLevelMixin | None = None

    def build(self) -> alt.TopLevelMixin:
        if self._built is None:
            self._built = self.builder(*self.args, **self.kwargs)
        return self._built

    def key(self) -> bytes | None:
        """A digest of what the chart is made of, ``None`` when an argument cannot be
        pickled (such a chart is built every time)."""
        try:
            made_of = pickle.dumps(
                (self.builder.__module__, self.builder.__qualname__, self.args, self.kwargs,
                 self.context), protocol=pickle.HIGHEST_PROTOCOL,
            )  # fmt: skip
        except (pickle.PicklingError, TypeError, AttributeError):
            return None
        return hashlib.blake2b(made_of, digest_size=20).digest()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.build(), name)


def planned(builder: Callable[P, alt.TopLevelMixin]) -> Callable[P, Planned]:
    """``builder`` returning a :class:`Planned` chart, for :func:`draw` to build only when its
    spec is not held."""

    @functools.wraps(builder)
    def plan(*args: P.args, **kwargs: P.kwargs) -> Planned:
        return Planned(builder, args, kwargs)

    return plan


def draw(where: Any, chart: alt.TopLevelMixin | Planned, **kwargs: Any) -> Any:
    """``chart`` in ``where`` (``st`` or a column), with ``kwargs`` of ``st.altair_chart``
    (``width``, ``on_select``, ``key``...). A :class:`Planned` chart is drawn from its held
    Vega-Lite spec (:func:`spec_of`), an Altair chart as it is. The spec is checked against the
    Vega-Lite schema only when ``CRM_VALIDATE_CHARTS`` is 1, as the tests set it: Altair's
    ``to_dict()`` validates by default, a sizeable share of a page run, for specs the tests
    have checked; Altair's maintainers turn it off in production apps too (vega/altair#3545)."""
    if isinstance(chart, Planned):
        key = chart.key()
        spec = _converted(chart.build()) if key is None else spec_of(key, chart)
        return where.vega_lite_chart(spec, **kwargs)
    return where.altair_chart(_unvalidated(chart), **kwargs)


@st.cache_resource(max_entries=SPECS_HELD, ttl=3600, show_spinner=False)
def spec_of(key: bytes, _chart: Planned) -> dict[str, Any]:
    """The Vega-Lite spec of the chart whose :meth:`Planned.key` is ``key``, as
    ``st.altair_chart`` converts it (its data as Arrow, by content hash). Streamlit copies a
    spec before changing it, so one held spec serves every session."""
    return _converted(_chart.build())


def _converted(chart: alt.TopLevelMixin) -> dict[str, Any]:
    return vega_charts._convert_altair_to_vega_lite_spec(_unvalidated(chart))


def _unvalidated(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """``chart``, whose ``to_dict()`` (which Streamlit calls with no arguments) does not
    validate unless ``CRM_VALIDATE_CHARTS`` is 1."""
    if settings.value("CRM_VALIDATE_CHARTS") != "1":
        unvalidated = functools.partial(type(chart).to_dict, chart, validate=False)
        object.__setattr__(chart, "to_dict", unvalidated)
    return chart


def money_axis(**kwargs: Any) -> alt.Axis:
    """An axis of yuan labelled short, as people read money: ``¥160M``, ``¥800K`` (or
    ``16,000万`` when the viewer reads money in 万元), not ``160,000,000``."""
    if units.in_wan():
        label = "format(datum.value / 10000, ',.0f') + '万'"
    else:
        label = ("abs(datum.value) >= 1e6 ? '¥' + format(datum.value / 1e6, ',.1~f') + 'M' : "
                 "abs(datum.value) >= 1e3 ? '¥' + format(datum.value / 1e3, ',.0f') + 'K' : "
                 "'¥' + format(datum.value, ',.0f')")  # fmt: skip
    return alt.Axis(labelExpr=label, **kwargs)


def percent_legend() -> alt.Legend:
    """A legend of values already in percent (``120``) labelled ``120%``."""
    return alt.Legend(labelExpr="datum.label + '%'")


def tip(field: str, key: str, format: str | None = None) -> alt.Tooltip:
    """A tooltip line for ``field`` titled with the catalog's ``key`` in the viewer's language
    (a bare field name would show raw English such as ``status_text`` in 中文)."""
    return alt.Tooltip(field, title=t(key), **({"format": format} if format else {}))


@planned
def actual_vs_target(frame: pd.DataFrame, actual_label: str, target_label: str) -> alt.Chart:
    """Bars of ``actual`` per ``month`` with ``target`` as a line of points."""
    base = alt.Chart().encode(x=alt.X("month:O", title=None))
    bars = base.mark_bar(color="#4C78A8").encode(
        y=alt.Y("actual:Q", title=None, axis=money_axis()),
        tooltip=[
            tip("month:O", "month"),
            alt.Tooltip("actual:Q", title=actual_label, format=",.0f"),
            alt.Tooltip("target:Q", title=target_label, format=",.0f"),
        ],
    )
    line = base.mark_line(point=True, color="#E45756", strokeDash=[4, 3]).encode(
        y=alt.Y("target:Q")
    )
    return alt.layer(bars, line, data=frame).properties(height=300)


def _rep_month_grid(data: pd.DataFrame) -> alt.Chart:
    """The axes of a rep × month heat map: months along the top, reps in the frame's order."""
    order = list(dict.fromkeys(data.rep_label))
    return alt.Chart().encode(
        x=alt.X("month:O", title=None, axis=alt.Axis(orient="top", labelAngle=0)),
        y=alt.Y("rep_label:N", title=None, sort=order, axis=alt.Axis(labelOverlap=False,
                                                                     labelLimit=220)),
    )  # fmt: skip


def _rep_picker(base: alt.Chart) -> alt.Chart:
    """An invisible cell over each drawn one: it takes the click, in any month, and picks its
    rep (selection ``pick``)."""
    pick = alt.selection_point(name="pick", fields=["rep"], on="click")
    return base.mark_rect(opacity=0).add_params(pick)


def _grid_height(data: pd.DataFrame) -> int:
    return max(120, 24 * data.rep_label.nunique())


@planned
def attainment_heatmap(frame: pd.DataFrame, titles: dict[str, str]) -> alt.LayerChart:
    """Rep × month heat map (``frame`` from :func:`crm_core.heatmap.tiles` with ``rep_label``),
    reps in the frame's order, months along the top. A month that is over shows attainment: red
    below 80 %, yellow near 100 %, green above; the month in progress shows pace in greys (dark
    = behind), never red for being unfinished; grey where the target is undefined. ``titles``:
    ``attainment``, ``pace``, ``target``, ``actual``, ``rep``, ``month``. A click on a
    cell picks its rep (selection ``pick``)."""
    data = frame.assign(
        attainment_pct=[None if fmt.missing(v) else float(v) * 100 for v in frame.attainment],
        pace_pct=[None if fmt.missing(v) else float(v) * 100 for v in frame.pace],
    )
    base = _rep_month_grid(data).encode(
        tooltip=[
            alt.Tooltip("rep_label:N", title=titles["rep"]),
            alt.Tooltip("month:O", title=titles["month"]),
            alt.Tooltip("attainment_pct:Q", title=titles["attainment"], format=".1f"),
            alt.Tooltip("pace_pct:Q", title=titles["pace"], format=".1f"),
            alt.Tooltip("target:Q", title=titles["target"], format=",.0f"),
            alt.Tooltip("actual:Q", title=titles["actual"], format=",.0f"),
        ],
    )  # fmt: skip
    over = base.transform_filter("!datum.in_progress").mark_rect().encode(
        color=alt.Color(
            "attainment_pct:Q",
            title=titles["attainment"],
            scale=alt.Scale(domain=[50, 80, 100, 120],
                            range=["#b2182b", "#f4a582", "#fee08b", "#1a9850"], clamp=True),
            legend=percent_legend(),
        )
    )  # fmt: skip
    running = (
        base.transform_filter("datum.in_progress")
        .mark_rect()
        .encode(
            color=alt.Color(
                "pace_pct:Q",
                title=titles["pace"],
                scale=alt.Scale(domain=[60, 100], range=["#636363", "#f0f0f0"], clamp=True),
                legend=percent_legend(),
            )
        )
    )
    return (
        alt.layer(over, running, _rep_picker(base), data=data)
        .resolve_scale(color="independent")
        .properties(height=_grid_height(data))
    )


@planned
def change_heatmap(frame: pd.DataFrame, titles: dict[str, str]) -> alt.LayerChart:
    """Rep × month heat map of each tile's ``change`` on what it is compared with (``frame``:
    :func:`crm_core.heatmap.with_change` tiles with ``rep_label``): red below, green above,
    pale near no change, grey where nothing was sold then. A click on a cell picks its rep
    (selection ``pick``). ``titles``: ``change``, ``compared``, ``actual``, ``rep``,
    ``month``."""
    data = frame.assign(
        change_pct=[None if fmt.missing(v) else float(v) * 100 for v in frame.change],
    )
    base = _rep_month_grid(data).encode(
        tooltip=[
            alt.Tooltip("rep_label:N", title=titles["rep"]),
            alt.Tooltip("month:O", title=titles["month"]),
            alt.Tooltip("change_pct:Q", title=titles["change"], format="+.1f"),
            alt.Tooltip("compared:Q", title=titles["compared"], format=",.0f"),
            alt.Tooltip("actual:Q", title=titles["actual"], format=",.0f"),
        ],
    )  # fmt: skip
    cells = base.mark_rect().encode(
        color=alt.condition(
            "isValid(datum.change_pct)",
            alt.Color("change_pct:Q", title=titles["change"],
                      scale=alt.Scale(domain=[-50, 0, 50], range=["#b2182b", "#f7f7f7", "#1a9850"],
                                      clamp=True),
                      legend=percent_legend()),
            alt.value("#d9d9d9"),
        )
    )  # fmt: skip
    return alt.layer(cells, _rep_picker(base), data=data).properties(height=_grid_height(data))


def horizontal_bars(
    frame: pd.DataFrame,
    bars: tuple[str, str],
    title: str,
    tooltip: list,
    height: int,
    value_format: str | None = None,
) -> alt.Chart:
    """Horizontal bars of ``bars = (category, value)`` columns, in the frame's order, the value
    axis titled ``title`` (and formatted by ``value_format``; ``"money"``: :func:`money_axis`)."""
    category, value = bars
    axis = alt.Axis(format=value_format) if value_format else alt.Undefined
    if value_format == "money":
        axis = money_axis()
    return (
        alt.Chart(frame)
        .mark_bar(color="#4C78A8")
        .encode(
            y=alt.Y(
                f"{category}:N", sort=None, title=None, axis=alt.Axis(labelLimit=0)
            ),  # a label is never cut ("medium (≥ ¥100,…")
            x=alt.X(f"{value}:Q", title=title, axis=axis),
            tooltip=tooltip,
        )
        .properties(height=height)
    )


@planned
def attainment_bars(frame: pd.DataFrame, field: str, titles: dict[str, str]) -> alt.LayerChart:
    """Attainment of each ``field`` (``region`` or ``rep``; ``frame``: ``<field>, label,
    attainment, pace, target, actual``, money in the unit shown), in the frame's order, with
    100 % marked; a bar is red when behind pace (the period in progress judged by its elapsed
    time, not its end). A click on a bar picks its ``field`` (selection ``pick``): the pages
    filter to it. ``titles``: ``attainment``, ``pace``, ``target``, ``actual``, ``status``,
    ``behind_pace``, ``on_pace``."""
    data = frame.assign(
        attainment_pct=[None if fmt.missing(v) else float(v) * 100 for v in frame.attainment],
        status=[titles["behind_pace"] if not fmt.missing(p) and float(p) < 1 else titles["on_pace"]
                for p in frame.pace],
    )  # fmt: skip
    pick = alt.selection_point(name="pick", fields=[field], on="click")
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("label:N", sort=None, title=None, axis=alt.Axis(labelLimit=0)),
            x=alt.X("attainment_pct:Q", title=titles["attainment"],
                    axis=alt.Axis(format=".0f", labelExpr="datum.label + '%'")),
            color=alt.Color("status:N", title=titles["status"],
                            scale=alt.Scale(domain=[titles["on_pace"], titles["behind_pace"]],
                                            range=["#4C78A8", "#d6604d"])),
            opacity=alt.OpacityValue(**alt.condition(pick, alt.value(1), alt.value(0.5))),
            tooltip=[tip("label:N", "rep" if field == "rep" else "region"),
                     alt.Tooltip("attainment_pct:Q", title=titles["attainment"], format=".1f"),
                     alt.Tooltip("pace:Q", title=titles["pace"], format=".1%"),
                     alt.Tooltip("target:Q", title=titles["target"], format=",.0f"),
                     alt.Tooltip("actual:Q", title=titles["actual"], format=",.0f")],
        )
        .add_params(pick)
    )  # fmt: skip
    rule = alt.Chart(pd.DataFrame({"x": [100]})).mark_rule(strokeDash=[4, 3]).encode(x="x:Q")
    return alt.layer(bars, rule).properties(height=bars_height(len(data)))


def bars_height(count: int) -> int:
    """The height of a chart of ``count`` horizontal bars: Streamlit counts the axis and its
    title in it, so a short list needs room beyond its bars."""
    return 70 + 28 * max(count, 2)


@planned
def growth_bars(frame: pd.DataFrame, field: str, growth: str, titles: dict[str, str]) -> alt.Chart:
    """The change of each ``field`` on what it is compared with (``frame``: ``<field>, label,
    <growth>`` as fractions) as horizontal bars in the frame's order, red below 0; a click
    picks its ``field`` (selection ``pick``). ``titles``: ``growth`` (the axis), ``up``,
    ``down``."""
    data = frame.assign(
        growth_pct=[None if fmt.missing(v) else float(v) * 100 for v in frame[growth]],
        status=[titles["down"] if not fmt.missing(v) and float(v) < 0 else titles["up"]
                for v in frame[growth]],
    )  # fmt: skip
    pick = alt.selection_point(name="pick", fields=[field], on="click")
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("label:N", sort=None, title=None, axis=alt.Axis(labelLimit=0)),
            x=alt.X("growth_pct:Q", title=titles["growth"],
                    axis=alt.Axis(format=".0f", labelExpr="datum.label + '%'")),
            color=alt.Color("status:N", legend=None,
                            scale=alt.Scale(domain=[titles["up"], titles["down"]],
                                            range=["#4C78A8", "#d6604d"])),
            opacity=alt.OpacityValue(**alt.condition(pick, alt.value(1), alt.value(0.5))),
            tooltip=[tip("label:N", field),
                     alt.Tooltip("growth_pct:Q", title=titles["growth"], format="+.1f")],
        )
        .add_params(pick)
        .properties(height=bars_height(len(data)))
    )  # fmt: skip


@planned
def pipeline_bars(frame: pd.DataFrame, amount_label: str) -> alt.Chart:
    """Open amount per stage (yuan), stages in funnel order; ``frame``: stage, count, amount."""
    tooltip = [tip("stage:N", "stage"), tip("count:Q", "count"), tip("amount:Q", "amount", ",.0f")]
    return horizontal_bars(frame, ("stage", "amount"), amount_label, tooltip, 200, "money")


@planned
def efficiency_scatter(
    frame: pd.DataFrame, x: str, y: str, medians: dict[str, float | None], titles: dict[str, str]
) -> alt.Chart:
    """One point per rep (``rep, label, <x>, <y>, attainment, pace``) with the team medians as
    rules: bottom-right = many activities, few sales. Coloured by pace, not attainment: on the
    6th of a month every rep is far from the month's target, and only pace says who is behind.
    Clicking a point selects the rep."""
    pick = alt.selection_point(name="pick", fields=["rep"], on="click")
    base = alt.Chart(frame)
    points = (
        base.mark_circle(size=120)
        .encode(
            x=alt.X(f"{x}:Q", title=titles[x]),
            y=alt.Y(f"{y}:Q", title=titles[y], axis=alt.Axis(format="%")),
            color=alt.Color(
                "pace:Q",
                title=titles["pace"],
                scale=alt.Scale(
                    domain=[0.5, 1, 1.5], range=["#b2182b", "#fee08b", "#1a9850"], clamp=True
                ),
                legend=alt.Legend(format="%"),
            ),
            opacity=alt.OpacityValue(**alt.condition(pick, alt.value(1), alt.value(0.4))),
            tooltip=[
                tip("label:N", "rep"),
                tip(f"{x}:Q", x, ".2f"),
                tip(f"{y}:Q", y, ".1%"),
                tip("attainment:Q", "attainment", ".0%"),
                tip("pace:Q", "pace", ".0%"),
            ],
        )
        .add_params(pick)
    )
    layers = [points]
    if medians.get(x) is not None:
        layers.append(
            alt.Chart(pd.DataFrame({x: [medians[x]]}))
            .mark_rule(strokeDash=[4, 3])
            .encode(x=alt.X(f"{x}:Q"))
        )
    if medians.get(y) is not None:
        layers.append(
            alt.Chart(pd.DataFrame({y: [medians[y]]}))
            .mark_rule(strokeDash=[4, 3])
            .encode(y=alt.Y(f"{y}:Q"))
        )
    return alt.layer(*layers).properties(height=360)


@planned
def funnel_bars(frame: pd.DataFrame) -> alt.Chart:
    """Counts per funnel step (``label, count, conversion_text``), in order, with labels."""
    base = alt.Chart().encode(y=alt.Y("label:N", sort=None, title=None))
    bars = base.mark_bar(color="#4C78A8").encode(x=alt.X("count:Q", title=None))
    text = base.mark_text(align="left", dx=4).encode(
        x=alt.X("count:Q"), text=alt.Text("conversion_text:N")
    )
    return alt.layer(bars, text, data=frame).properties(height=200)


@planned
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
            xOffset=alt.XOffset("what:N"),
            y=alt.Y("value:Q", title=None, axis=alt.Axis(format="%")),
            color=alt.Color("what:N", title=None),
            tooltip=[
                tip("label:N", "customer_group"),
                alt.Tooltip("what:N", title=" "),
                tip("value:Q", "share_of_time", ".1%"),
            ],  # fmt: skip
        )
        .properties(height=260)
    )


@planned
def stage_funnel(frame: pd.DataFrame, count_label: str, amount_label: str) -> alt.HConcatChart:
    """Open deals per stage as two bar charts side by side: how many (labelled with the stage
    conversion ``text``) and how much (yuan). ``frame``: ``label, count, amount, text``."""
    base = alt.Chart().encode(
        y=alt.Y("label:N", sort=None, title=None),
        tooltip=[
            tip("label:N", "stage"),
            tip("count:Q", "count"),
            tip("amount:Q", "amount", ",.0f"),
            tip("text:N", "stage_conversion"),
        ],  # fmt: skip
    )
    count = base.mark_bar(color="#4C78A8").encode(x=alt.X("count:Q", title=count_label))
    amount = base.mark_bar(color="#72B7B2").encode(
        x=alt.X("amount:Q", title=amount_label, axis=money_axis())
    )
    text = base.mark_text(align="left", dx=4).encode(x=alt.X("count:Q"), text=alt.Text("text:N"))
    return alt.hconcat(
        alt.layer(count, text).properties(height=220), amount.properties(height=220), data=frame
    )


COVERAGE_COLOURS = {
    "short": "#d73027",
    "thin": "#fdae61",
    "ok": "#1a9850",
    "met": "#91cf60",
    "no_target": "#bdbdbd",
}


@planned
def coverage_bars(frame: pd.DataFrame, coverage_label: str, status_label: str) -> alt.LayerChart:
    """Coverage per rep (``rep, label, shown, coverage, status, status_text``), thinnest on top,
    with rules at 1× and 3×; bars are capped at 5× so one huge pipeline does not flatten the
    rest (the tooltip has the true figure)."""
    statuses = [s for s in COVERAGE_COLOURS if s in set(frame.status)]
    bars = (
        alt.Chart()
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
            tooltip=[
                tip("label:N", "rep"),
                tip("coverage:Q", "coverage", ".2f"),
                tip("status_text:N", "status"),
            ],  # fmt: skip
        )
    )
    labels = bars.mark_text(align="left", dx=3, fontSize=11).encode(
        text=alt.Text("coverage_text:N"), color=alt.ColorValue("#333")
    )
    rules = (
        alt.Chart(pd.DataFrame({"x": [1.0, 3.0]}))
        .mark_rule(strokeDash=[4, 3], color="#555")
        .encode(x=alt.X("x:Q"))
    )
    pick = alt.selection_point(name="pick", fields=["rep"], on="click")  # filters to the rep
    layered = alt.layer(bars.add_params(pick), labels, rules, data=frame)
    return layered.properties(height=max(160, 22 * len(frame)))


def _legend_labels(frame: pd.DataFrame) -> str:
    pairs = dict(zip(frame.status, frame.status_text, strict=True))
    cases = " : ".join(f"datum.label == '{k}' ? '{v}'" for k, v in pairs.items())
    return f"{cases} : datum.label" if cases else "datum.label"


@planned
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


@planned
def monthly_line(frame: pd.DataFrame, column: str, title: str, axis_format: str) -> alt.Chart:
    """One line with points over ``month`` (undefined months left as gaps)."""
    data = frame.assign(value=pd.to_numeric(frame[column], errors="coerce"))
    return (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=alt.X("month:O", title=None),
            y=alt.Y(
                "value:Q",
                title=title,
                axis=money_axis() if axis_format == "money" else alt.Axis(format=axis_format),
            ),
            tooltip=[
                tip("month:O", "month"),
                alt.Tooltip(
                    "value:Q", title=title, format=",.0f" if axis_format == "money" else axis_format
                ),
            ],
        )
        .properties(height=220)
    )


@planned
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
            x=alt.X("value:Q", title=None, axis=money_axis(), stack="zero"),
            color=alt.Color("part:N", title=None, sort=[titles["actual"], titles["weighted"]]),
            tooltip=[
                tip("label:N", "region"),
                alt.Tooltip("part:N", title=" "),
                tip("value:Q", "amount", ",.0f"),
            ],  # fmt: skip
        )
    )
    target = (
        alt.Chart(frame)
        .mark_tick(color="#E45756", thickness=3, size=26)
        .encode(
            y=alt.Y("label:N"),
            x=alt.X("target:Q"),
            tooltip=[
                tip("label:N", "region"),
                alt.Tooltip("target:Q", title=titles["target"], format=",.0f"),
            ],  # fmt: skip
        )
    )
    return alt.layer(bars, target).properties(height=max(120, 40 * len(frame)))


@planned
def pareto(curve: pd.DataFrame, marks: pd.DataFrame, titles: dict[str, str]) -> alt.LayerChart:
    """The Pareto curve of every buying customer: share of customers (largest first) against
    their cumulative share of revenue, the area coloured by ABC class, and where the curve
    reaches 80 % and 95 % of revenue marked and written. ``curve``: ``customer_share,
    cumulative, abc, label, revenue``; ``marks``: ``customer_share, cumulative, text``."""
    x = alt.X("customer_share:Q", title=titles["x"], scale=alt.Scale(domain=[0, 1]),
              axis=alt.Axis(format="%"))  # fmt: skip
    y = alt.Y("cumulative:Q", title=titles["y"], scale=alt.Scale(domain=[0, 1]),
              axis=alt.Axis(format="%"))  # fmt: skip
    area = alt.Chart(curve).mark_area(opacity=0.35, interpolate="step-after").encode(
        x=x, y=y,
        color=alt.Color("abc:N", title=titles["abc"], scale=alt.Scale(
            domain=["A", "B", "C"], range=["#1a9850", "#fdae61", "#bdbdbd"]),
            legend=alt.Legend(orient="bottom")),
        tooltip=[tip("label:N", "customer"), tip("abc:N", "abc_class"),
                 tip("revenue:Q", "revenue", ",.0f"),
                 tip("cumulative:Q", "cumulative_share", ".1%")],
    )  # fmt: skip
    line = alt.Chart(curve).mark_line(color="#333", interpolate="step-after").encode(x=x, y=y)
    rules = (
        alt.Chart(marks)
        .mark_rule(strokeDash=[4, 3], color="#E45756")
        .encode(y=alt.Y("cumulative:Q"))
    )
    points = alt.Chart(marks).mark_point(color="#E45756", filled=True, size=60).encode(x=x, y=y)
    # written at the left, above their line, so that they fit a phone's width
    text = (
        alt.Chart(marks.assign(left=0.02))
        .mark_text(align="left", dy=-7, color="#b2182b", fontSize=11)
        .encode(x=alt.X("left:Q", scale=alt.Scale(domain=[0, 1])), y=y, text=alt.Text("text:N"))
    )
    return alt.layer(area, line, rules, points, text).properties(height=320)


@planned
def count_bars(frame: pd.DataFrame, title: str) -> alt.Chart:
    """Horizontal bars of ``customers`` per ``label``, in the frame's order."""
    tooltip = [alt.Tooltip("label:N", title=title), tip("customers:Q", "customers")]
    return horizontal_bars(frame, ("label", "customers"), title, tooltip, 40 * len(frame) + 20)


@planned
def class_bars(frame: pd.DataFrame, field: str, titles: dict[str, str]) -> alt.Chart:
    """Customers of each ABC class per ``field`` (``region`` or ``rep``; ``frame``:
    ``<field>, label, abc, customers``) as stacked horizontal bars, A first; a click on a bar
    picks its ``field`` (selection ``pick``). ``titles``: ``customers``, ``abc_class``."""
    pick = alt.selection_point(name="pick", fields=[field], on="click")
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y("label:N", sort=None, title=None, axis=alt.Axis(labelLimit=0)),
            x=alt.X("customers:Q", title=titles["customers"], stack="zero"),
            color=alt.Color("abc:N", title=titles["abc_class"], sort=["A", "B", "C"],
                            scale=alt.Scale(domain=["A", "B", "C"],
                                            range=["#1a9850", "#91bfdb", "#d9d9d9"])),
            order=alt.Order("abc:N"),
            opacity=alt.OpacityValue(**alt.condition(pick, alt.value(1), alt.value(0.5))),
            tooltip=[tip("label:N", field), tip("abc:N", "abc_class"),
                     tip("customers:Q", "customers")],
        )
        .add_params(pick)
        .properties(height=bars_height(frame.label.nunique()))
    )  # fmt: skip


@planned
def wallet_matrix(frame: pd.DataFrame, customers_label: str) -> alt.LayerChart:
    """The 3×3 share-of-wallet × potential matrix as a heat map of customer counts with the
    count and revenue written in each cell; clicking a cell selects it (``cell``)."""
    pick = alt.selection_point(name="cell", fields=["cell"], on="click")
    base = alt.Chart().encode(
        x=alt.X("column:N", sort=["R", "D", "A"], title=t("share_of_wallet"),
                axis=alt.Axis(orient="top", labelAngle=0)),
        y=alt.Y("row:N", sort=["1", "2", "3"], title=t("potential")),
    )  # fmt: skip
    cells = (
        base.mark_rect(stroke="white", strokeWidth=2)
        .encode(
            color=alt.Color(
                "customers:Q",
                title=customers_label,
                scale=alt.Scale(scheme="blues"),
                legend=alt.Legend(orient="bottom"),
            ),  # fmt: skip
            opacity=alt.OpacityValue(**alt.condition(pick, alt.value(1), alt.value(0.45))),
            tooltip=[
                tip("cell:N", "cell"),
                tip("strategy_text:N", "strategy"),
                tip("customers:Q", "customers"),
                tip("revenue_yuan:Q", "revenue", ",.0f"),
            ],
        )
        .add_params(pick)
    )
    # white on the darkest blues (dark text on them could not be read), dark elsewhere
    dark = 0.55 * float(pd.to_numeric(frame.customers, errors="coerce").max() or 0)
    text = base.mark_text(fontSize=12, lineBreak="\n").encode(
        text=alt.Text("text:N"),
        color=alt.condition(f"datum.customers > {dark}", alt.value("white"), alt.value("#222")),
    )
    return alt.layer(cells, text, data=frame).properties(height=270)


@planned
def attrition_lines(frame: pd.DataFrame, title: str) -> alt.LayerChart:
    """Attrition per year and ``label`` with the 5–25 % band shaded."""
    band = (
        alt.Chart(pd.DataFrame({"low": [0.05], "high": [0.25]}))
        .mark_rect(color="#1a9850", opacity=0.12)
        .encode(y=alt.Y("low:Q"), y2=alt.Y2("high:Q"))
    )
    lines = (
        alt.Chart(frame)
        .mark_line(point=True)
        .encode(
            x=alt.X("year:O", title=None),
            y=alt.Y("attrition:Q", title=title, axis=alt.Axis(format="%")),
            color=alt.Color("label:N", title=None),
            tooltip=[
                tip("label:N", "region"),
                tip("year:O", "year"),
                tip("attrition:Q", "attrition", ".1%"),
            ],  # fmt: skip
        )
    )
    return alt.layer(band, lines).properties(height=240)


@planned
def call_lines(frame: pd.DataFrame, titles: dict[str, str]) -> alt.Chart:
    """How a forecast moved: one line per figure over ``day`` (yuan). ``frame``: ``day`` and
    the columns named in ``titles`` (their legend labels)."""
    long = frame.melt(id_vars="day", value_vars=list(titles), var_name="figure")
    long = long.assign(figure=long.figure.map(titles), value=pd.to_numeric(long.value))
    return (
        alt.Chart(long.dropna(subset=["value"]))
        .mark_line(point=True)
        .encode(
            x=alt.X("day:T", title=None, axis=alt.Axis(format="%m-%d")),
            y=alt.Y("value:Q", title=None, axis=money_axis()),
            color=alt.Color("figure:N", title=None, sort=list(titles.values())),
            tooltip=[
                tip("day:T", "date"),
                alt.Tooltip("figure:N", title=" "),
                tip("value:Q", "amount", ",.0f"),
            ],  # fmt: skip
        )
        .properties(height=240)
    )


@planned
def call_bars(frame: pd.DataFrame, titles: dict[str, str]) -> alt.LayerChart:
    """Per ``label``: the best case as a pale bar, the commit in force over it, the actual to
    date as a thin dark bar and the target as a tick (yuan). ``frame``: ``label, best_case,
    commit, actual, target``."""
    base = alt.Chart(frame).encode(y=alt.Y("label:N", title=None))
    tips = [tip("label:N", "name"),
            *(alt.Tooltip(f"{c}:Q", title=titles[c], format=",.0f")
              for c in ("target", "commit", "best_case", "actual"))]  # fmt: skip
    best = base.mark_bar(color="#c6dbef", size=22).encode(
        x=alt.X("best_case:Q", title=None, axis=money_axis()), tooltip=tips
    )
    commit = base.mark_bar(color="#4C78A8", size=22).encode(x="commit:Q", tooltip=tips)
    actual = base.mark_bar(color="#1b2a3a", size=6).encode(x="actual:Q", tooltip=tips)
    target = base.mark_tick(color="#E45756", thickness=3, size=28).encode(x="target:Q",
                                                                          tooltip=tips)  # fmt: skip
    return alt.layer(best, commit, actual, target).properties(height=max(120, 40 * len(frame)))
