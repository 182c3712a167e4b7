"""The shared sidebar filters, kept in ``st.session_state`` across pages and mirrored in the
URL query string so a copied link reproduces the view (for a viewer allowed to see it).

Query parameters: ``period`` (a preset or ``custom`` with ``from``/``to``), ``region``,
``rep``, ``product``, ``tier`` (comma-separated IDs), ``lang``, ``unit`` (``wan``: money in
万元, offered in 中文). Filters only ever narrow the
viewer's scope; IDs outside it are dropped with a visible notice."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

import pandas as pd
import streamlit as st

from crm_core.formatting import plain
from crm_core.overview import COMPARISONS
from crm_core.periods import EARLIEST_DAY, LATEST_DAY, Period, parse_day
from crm_core.presets import PRESETS, preset_period
from crm_core.scope import FactFilter, Role, Scope
from services.store import today as configured_today
from ui import data, units
from ui.auth import Viewer
from ui.i18n import language, t

T = TypeVar("T")
TIERS = ("key", "normal", "low")
LIST_PARAMS = {"f_region": "region", "f_rep": "rep", "f_product": "product", "f_tier": "tier"}


def today() -> date:
    """The as-of date: ``CRM_AS_OF`` (YYYY-MM-DD) when set, else the machine's date."""
    return configured_today()


def now() -> datetime:
    """The current moment on the as-of date (see :func:`today`)."""
    return datetime.combine(today(), datetime.now().time()).replace(microsecond=0)


@dataclass(frozen=True)
class Filters:
    period: Period
    as_of: date
    region_ids: tuple[str, ...] = ()
    rep_ids: tuple[str, ...] = ()
    product_ids: tuple[str, ...] = ()
    tiers: tuple[str, ...] = ()

    def scope(self, base: Scope) -> Scope:
        """``base`` narrowed by the region and rep filters (never widened)."""
        return base.narrow(self.region_ids or None, self.rep_ids or None)

    @property
    def facts(self) -> FactFilter:
        return FactFilter(
            frozenset(self.product_ids) or None,
            frozenset(self.tiers) or None,
        )


def _from_query(key: str) -> list[str]:
    raw = st.query_params.get(LIST_PARAMS[key], "")
    return [part for part in raw.split(",") if part]


def _load_query_params_once() -> None:
    if st.session_state.get("_filters_loaded"):
        return
    st.session_state["_filters_loaded"] = True
    params = st.query_params
    preset = params.get("period", "this_month")
    st.session_state["f_preset"] = preset if preset in PRESETS else "this_month"
    for key in LIST_PARAMS:
        st.session_state[f"_{key}_requested"] = _from_query(key)
    st.session_state["money_wan"] = params.get("unit") == "wan"
    if "from" not in params or "to" not in params:
        return
    try:
        start, end = parse_day(params["from"], "from"), parse_day(params["to"], "to")
    except ValueError as problem:  # a hand-edited link: say what was wrong, keep the default
        st.session_state["_link_date_refused"] = str(problem)
        return
    if start > end:  # a hand-edited link: say so once, keep the default range
        st.session_state["_range_refused"] = (start, end)
    else:
        st.session_state["f_range"] = (start, end)


def _choice(key: str, options: list[str]) -> list[str]:
    """Requested IDs inside ``options``; the others are reported and dropped."""
    requested = st.session_state.pop(f"_{key}_requested", None)
    if requested is None:
        return [v for v in st.session_state.get(key, []) if v in options]
    outside = [v for v in requested if v not in options]
    if outside:
        st.session_state.setdefault("_out_of_scope", {})[key] = outside
    return [v for v in requested if v in options]


def sidebar(viewer: Viewer) -> Filters:
    """Render the shared filters in the sidebar; store and return them."""
    _load_query_params_once()
    dims = data.dimensions(viewer.scope)
    as_of = today()
    with st.sidebar:
        st.header(t("filters"))
        preset = st.selectbox(
            t("period"), PRESETS, format_func=t, key="f_preset", on_change=_forget_range
        )
        if preset == "custom":
            st.session_state.setdefault(
                "f_range", (preset_period("this_month", as_of).start, as_of)
            )
            chosen = st.date_input(
                t("date_range"), key="f_range", on_change=_forget_range,
                min_value=EARLIEST_DAY, max_value=LATEST_DAY,
            )  # fmt: skip
            period = _custom_period(chosen, as_of)
        else:
            period = preset_period(preset, as_of)
        if viewer.role is Role.REP:  # their scope is themselves: the boxes would do nothing
            regions, reps = _hidden("f_region", dims["regions"].region_id), []
            _hidden("f_rep", dims["reps"].rep_id)
        else:
            regions = _multiselect("f_region", t("region"), dims["regions"], "region_id")
            reps_frame = dims["reps"]
            if regions:
                reps_frame = reps_frame[reps_frame.region_id.isin(regions)]
            reps = _multiselect("f_rep", t("rep"), reps_frame, "rep_id")
        products = _multiselect("f_product", t("product"), dims["products"], "product_id")
        st.session_state["f_tier"] = _choice("f_tier", list(TIERS))
        tiers = st.multiselect(
            t("customer_tier"),
            TIERS,
            format_func=lambda v: t(f"tier_{v}"),
            key="f_tier",
            placeholder=t("all"),
            on_change=_forget_outside,
            args=("f_tier",),
        )
        if language() == "zh":
            st.session_state.setdefault("money_wan", False)
            st.toggle(t("money_in_wan"), key="money_wan", help=t("money_in_wan_help"))
        if refused := st.session_state.get("_range_refused"):
            st.warning(t("range_reversed", start=refused[0], end=refused[1]))
        if refused := st.session_state.get("_link_date_refused"):
            st.warning(t("link_date_refused", problem=plain(refused)))
        if outside := st.session_state.get("_out_of_scope"):
            st.warning(t("out_of_scope", ids=plain(", ".join(sum(outside.values(), [])))))
    filters = Filters(period, as_of, tuple(regions), tuple(reps), tuple(products), tuple(tiers))
    st.session_state["filters"] = filters
    _write_query_params(preset, filters)
    return filters


def _hidden(key: str, ids: pd.Series) -> list[str]:
    """A filter a viewer does not see: a link's values outside their scope are still
    reported; none is applied, nor written back to the URL."""
    _choice(key, list(ids))
    st.session_state[key] = []
    return []


def _multiselect(key: str, label: str, frame: object, id_column: str) -> list[str]:
    names = dict(zip(frame[id_column], frame["name"], strict=True))
    options = list(names)
    st.session_state[key] = _choice(key, options)
    return st.multiselect(
        label,
        options,
        format_func=lambda v: f"{names[v]} ({v})",
        key=key,
        placeholder=t("all"),
        on_change=_forget_outside,
        args=(key,),
    )


def _forget_range() -> None:
    """The notice about a reversed range in the link stays until the period is changed."""
    st.session_state.pop("_range_refused", None)
    st.session_state.pop("_link_date_refused", None)


def _forget_outside(key: str) -> None:
    """The notice about ignored IDs stays until the viewer changes that filter."""
    st.session_state.get("_out_of_scope", {}).pop(key, None)


def _custom_period(chosen: object, as_of: date) -> Period:
    if isinstance(chosen, tuple) and len(chosen) == 2:
        return Period(min(chosen), max(chosen))
    if isinstance(chosen, tuple) and len(chosen) == 1:
        return Period(chosen[0], chosen[0])
    return preset_period("this_month", as_of)


def _write_query_params(preset: str, filters: Filters) -> None:
    params: dict[str, str] = {"period": preset, "lang": st.session_state.get("lang", "en")}
    if preset == "custom":
        params["from"] = filters.period.start.isoformat()
        params["to"] = filters.period.end.isoformat()
    if units.in_wan():
        params["unit"] = "wan"
    for key, name in LIST_PARAMS.items():
        values = st.session_state.get(key) or []
        if values:
            params[name] = ",".join(values)
    # a page's own parameters (the meeting's week and slide) stay as they are
    managed = {"period", "lang", "from", "to", "unit", *LIST_PARAMS.values()}
    params |= {k: v for k, v in st.query_params.items() if k not in managed}
    if dict(st.query_params) != params:
        st.query_params.from_dict(params)


def in_url(key: str, param: str, options: list | None = None, kind: type = str) -> None:
    """Mirror the page widget ``key`` in the URL parameter ``param``: a link that names a
    value (one of ``options``) opens the page with it; every choice is written back, so a
    copied link reproduces the view. Call before the widget; it writes the value it had."""
    seeded = f"_url_{key}"
    raw = st.query_params.get(param)
    if raw is not None and st.session_state.get(seeded) != raw:
        try:
            value = parse_day(raw, param) if kind is date else kind(raw)
        except ValueError as problem:
            value = None
            if kind is date:  # a hand-edited link: say why the page opens on its default
                st.warning(t("link_date_refused", problem=plain(str(problem))))
        if value is not None and (options is None or value in options):
            st.session_state[key] = value
        st.session_state[seeded] = raw
    if key in st.session_state and st.session_state[key] is None:  # nothing chosen
        st.query_params.pop(param, None)
        st.session_state.pop(seeded, None)
    elif key in st.session_state:
        st.query_params[param] = str(st.session_state[key])
        st.session_state[seeded] = str(st.session_state[key])


def in_url_widget(
    widget: Callable[..., T],
    param: str,
    *args: Any,
    valid: list | None = None,
    kind: type = str,
    **kwargs: Any,
) -> T:
    """``widget(*args, **kwargs)`` (whose ``key`` is in ``kwargs``) mirrored in the URL
    parameter ``param`` (see :func:`in_url`): a link opens it on the linked value (one of
    ``valid``), and the value it ends on is written back."""
    in_url(kwargs["key"], param, valid, kind)
    value = widget(*args, **kwargs)
    in_url(kwargs["key"], param, valid, kind)
    return value


def compare_choice(page: str) -> str:
    """The page's *Compare with* choice (the target, the period before or the same period
    last year; URL ``compare=``), one choice for the pages that have it: it follows the
    viewer from Overview to Targets and Monthly. Each page's box has its own key, seeded from
    the last choice: a widget's state does not outlive its page."""
    key = f"compare_{page}"
    if key not in st.session_state:
        st.session_state[key] = st.session_state.get("_compare", "target")
    chosen = in_url_widget(
        st.radio, "compare", t("compare_with"), list(COMPARISONS), valid=list(COMPARISONS),
        format_func=lambda k: t(f"compare_{k}"), horizontal=True, key=key,
    )  # fmt: skip
    st.session_state["_compare"] = chosen
    return str(chosen)


def not_applied_here(chosen: Filters, reason_key: str) -> None:
    """Say so when the sidebar's product or tier filter is set on a page that does not apply
    it, and why (instead of looking active while being ignored)."""
    names = [t("product")] * bool(chosen.product_ids) + [t("customer_tier")] * bool(chosen.tiers)
    if names:
        st.info(t("filters_not_applied", filters=" / ".join(names), reason=t(reason_key)))


# what a click on a chart filters the page to: the sidebar box it sets
CLICK_KEYS = {"region": "f_region", "rep": "f_rep"}


def filter_to(kind: str, picked: object | None, source: str) -> None:
    """A click on a region's or rep's bar, point or cell (``picked``, from the chart
    ``source``) filters the page to it: the sidebar box takes it on a rerun, as from a link
    (it is drawn already in this run), so the URL and the chips follow. A pick that has not
    changed since the last run (the chart keeps its selection) does nothing."""
    last = f"_clicked_{source}"
    if picked is None or st.session_state.get(last) == picked:
        st.session_state[last] = picked
        return
    st.session_state[last] = picked
    st.session_state[f"_{CLICK_KEYS[kind]}_requested"] = [str(picked)]
    st.rerun()


def chips(viewer: Viewer) -> None:
    """The region and rep filters in force as chips at the top of the page, each removed by a
    click (so is a filter set by a click on a chart)."""
    names = {key: dict(zip(frame[column], frame["name"], strict=True))
             for key, (frame, column) in _chip_sources(viewer).items()}  # fmt: skip
    chosen = [(key, value) for key in CLICK_KEYS.values()
              for value in st.session_state.get(key) or []]  # fmt: skip
    if not chosen:
        return
    row = st.container(horizontal=True, gap="small")
    for key, value in chosen:
        title = t("region" if key == "f_region" else "rep")
        label = f"{title}: {plain(names[key].get(value, value))} ({value}) ✕"
        row.button(label, key=f"chip_{key}_{value}", help=t("chip_remove"),
                   on_click=_unfilter, args=(key, value))  # fmt: skip


def _chip_sources(viewer: Viewer) -> dict[str, tuple[pd.DataFrame, str]]:
    dims = data.dimensions(viewer.scope)
    return {"f_region": (dims["regions"], "region_id"), "f_rep": (dims["reps"], "rep_id")}


def _unfilter(key: str, value: str) -> None:
    st.session_state[key] = [v for v in st.session_state.get(key) or [] if v != value]
    # the charts are drawn anew, without the selection that would filter again
    st.session_state["_click_generation"] = st.session_state.get("_click_generation", 0) + 1
    for clicked in [k for k in st.session_state if str(k).startswith("_clicked_")]:
        del st.session_state[clicked]


def click_key(chart: str) -> str:
    """The widget key of a chart whose click filters the page (:func:`filter_to`): a new one
    after a chip is removed, so the chart forgets the selection it kept."""
    return f"{chart}_{st.session_state.get('_click_generation', 0)}"


def current() -> Filters:
    """The filters set in the sidebar; for a page run on its own (tests), the query string's
    period (default this month) with no other filter."""
    stored = st.session_state.get("filters")
    if stored is not None:
        return stored
    as_of = today()
    preset = st.query_params.get("period", "this_month")
    return Filters(preset_period(preset if preset != "custom" else "this_month", as_of), as_of)
