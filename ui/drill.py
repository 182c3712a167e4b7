"""Drill-down: a chart point or a table row chooses what the page shows next (a region's reps,
a rep's customers, a customer's card). The choice lives in a select box, so it can also be
made by hand and is kept in the URL."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from crm_core import formatting as fmt
from crm_core.periods import Period
from crm_core.scope import FactFilter, Scope
from ui import charts, customer_card, data, filters, tables
from ui.i18n import t


def follow(key: str, picked: object | None, source: str = "") -> None:
    """Let a selection (from ``source``, when several can set it) set the widget ``key``: a new
    pick sets it; a pick that has not changed since the last run leaves alone what the viewer
    chose in the widget since."""
    last = f"_picked_{key}_{source}"
    if picked is not None and st.session_state.get(last) != picked:
        st.session_state[key] = picked
    st.session_state[last] = picked


def picked_row(event: object, values: Sequence[object]) -> object | None:
    """The value of the row selected in a table shown with ``on_select``, else ``None``."""
    rows = list(getattr(getattr(event, "selection", None), "rows", None) or [])
    return values[rows[0]] if rows and rows[0] < len(values) else None


def picked_point(event: object, selection: str, field: str) -> object | None:
    """The ``field`` of the point selected in an Altair chart's ``selection``, else ``None``."""
    points = (getattr(event, "selection", None) or {}).get(selection) or []
    return next((p[field] for p in points if field in p), None)


def choose(
    label: str,
    options: list,
    key: str,
    param: str,
    format_func: Callable[[Any], str],
    picked: object | None = None,
) -> Any:
    """A select box of ``options`` that a selection elsewhere (``picked``) sets, kept in the
    URL parameter ``param`` so a copied link opens the same drill-down."""
    follow(key, picked if picked in options else None)
    return filters.in_url_widget(
        st.selectbox, param, label, options, valid=options, format_func=format_func, key=key
    )


def selectable(shown: pd.DataFrame, config: dict[str, object], key: str) -> object:
    """``st.dataframe`` of ``shown`` where a click on a row selects it (the selection event)."""
    return tables.grid(
        shown, key=key, config=config, on_select="rerun", selection_mode="single-row"
    )


CUSTOMER_KINDS = {"revenue": "money", "gross_margin": "money", "orders": "count",
                  "open_deals": "count", "open_amount": "money"}  # fmt: skip


def rep_customers(
    scope: Scope, facts: FactFilter, period: Period, as_of: date, rep_id: str,
    names: pd.Series, key: str,
) -> None:  # fmt: skip
    """The customers behind the figures of ``rep_id`` (named from ``names``): orders in the
    period, deals open now; a click on one opens its customer card below. The table is keyed
    on the rep, so a row picked for one rep never opens a card under another."""
    frame = data.rep_customers(scope, facts, period, as_of, rep_id)
    label = tables.label(names, rep_id)
    st.caption(t("rep_customers_caption", count=len(frame), rep=fmt.plain(label)))
    if frame.empty:
        return
    labelled = frame.assign(
        customer=[f"{n} ({c})" for n, c in zip(frame.customer, frame.customer_id, strict=True)]
    )
    shown, config = tables.numeric_view(labelled.drop(columns="customer_id"), CUSTOMER_KINDS)
    event = selectable(shown, config, f"{key}_customers_{rep_id}")
    customer = picked_row(event, list(frame.customer_id))
    if customer is not None:
        customer_card.show(scope, customer, as_of, f"{key}_card")


BAR_ENDS = 15
GROWTH_TITLES = {"mom": "mom_growth", "yoy": "yoy_growth", "change_vs": "change_vs"}
BAR_TITLES = ("attainment", "pace", "target", "actual", "status", "behind_pace", "on_pace")


def at_the_ends(frame: pd.DataFrame, field: str) -> pd.DataFrame:
    """The rows of the first and the last :data:`BAR_ENDS` values of ``field`` (in the frame's
    order), saying so, when there are more: a chart of 200 reps reads as nothing."""
    keys = list(dict.fromkeys(frame[field]))
    if len(keys) <= 2 * BAR_ENDS:
        return frame
    st.caption(t("bars_ends", ends=BAR_ENDS, total=len(keys)))
    return frame[frame[field].isin(keys[:BAR_ENDS] + keys[-BAR_ENDS:])]


def filter_bars(
    frame: pd.DataFrame, field: str, names: pd.Series, key: str, measure: str = "attainment"
) -> None:
    """Bars of ``frame`` (a targets table by ``field``, region or rep, in the order given;
    money in cents) named from ``names``: attainment against the target, or the change on
    what it is compared with (``measure``: ``mom`` or ``yoy`` of the Monthly ranking,
    ``change_vs`` of :func:`ui.tables.with_compared`); a click on a bar filters the page to
    it."""
    frame = frame[[not fmt.missing(v) for v in frame[measure]]]
    if frame.empty:
        if measure != "attainment":  # e.g. the data start less than a year ago
            st.caption(t("nothing_compared"))
        return
    frame = at_the_ends(frame, field)
    bars = frame.assign(label=[tables.label(names, v) for v in frame[field]],
                        target=frame.target / 100, actual=frame.actual / 100)  # fmt: skip
    st.caption(t("click_to_filter" if measure == "attainment" else "click_growth_bar"))
    if measure == "attainment":
        chart = charts.attainment_bars(bars, field, {k: t(k) for k in BAR_TITLES})
    else:
        titles = {"growth": t(GROWTH_TITLES[measure]), "up": t("growth_up"),
                  "down": t("growth_down")}  # fmt: skip
        chart = charts.growth_bars(bars, field, measure, titles)
    key = filters.click_key(key)
    event = charts.draw(st, chart, width="stretch", on_select="rerun", key=key)
    filters.filter_to(field, picked_point(event, "pick", field), key)
