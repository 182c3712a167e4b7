"""Formatted tables of docs/kpis.md#targets measures, rows behind pace highlighted."""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from crm_core import formatting as fmt
from crm_core.targets import change as relative_change
from crm_core.vocabulary import METRICS, MONEY_METRICS
from ui import units
from ui.i18n import CATALOG, t, t_each

__all__ = ["METRICS", "measures_view", "numeric_view", "trend_view"]
MONEY_MEASURES = ("target", "actual", "variance", "projection", "required_run_rate")
RATIO_MEASURES = ("attainment", "time_elapsed", "pace")
COMPARED = ("compare_previous", "compare_last_year")  # tables.with_compared


FORMATS = {
    "money": "localized",
    # one decimal for every percent of every table (the "percent" preset wrote 16.04 % beside
    # 78.1 %); the values are scaled to percent for it (numeric_view)
    "ratio": "%.1f%%",
    "count": "localized",
    "decimal": "%.1f",
    "multiple": "%.1f×",
}


def fit_width(values: Iterable[object], header: str = "") -> int:
    """Pixels that show the longest of ``values`` (or ``header``) whole: the grid sizes a text
    column to its content only up to a limit and cuts a longer text, which it never wraps. A
    Chinese character is two columns wide."""

    def columns(text: str) -> int:
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)

    longest = max([columns(str(v)) for v in values if v is not None] + [columns(header)])
    return 7 * longest + 32


def grid(
    frame: pd.DataFrame | Styler,
    *,
    key: str,
    config: dict[str, object] | None = None,
    where: Any = st,
    **options: Any,
) -> Any:
    """``frame`` as every table of the app is shown (``st.dataframe`` in ``where``, e.g. a
    column): without the index, a missing value as "—" as everywhere else (Streamlit's own is a
    grey "None"), ``config`` as its ``column_config``; ``options`` are more of its arguments
    (``width``, ``on_select``...). Returns what ``st.dataframe`` returns (a selection event)."""
    return where.dataframe(
        frame, hide_index=True, placeholder=fmt.UNDEFINED, key=key, column_config=config,
        **options,
    )  # fmt: skip


def numeric_view(
    frame: pd.DataFrame, kinds: dict[str, str], codes: dict[str, str] | None = None
) -> tuple[pd.DataFrame, dict[str, object]]:
    """``frame`` for ``st.dataframe`` with numbers kept numbers, so a click on a header sorts
    by value, not by text: money (cents) becomes yuan shown as ``¥1,235`` (in 万元 when the
    viewer chose it, the unit in the header), ratios as percent with one decimal (the
    numbers scaled to percent: 0.1604 is 16.04, shown 16.0%), counts with separators,
    ``decimal`` with one decimal, ``multiple`` as ``1.5×``; a column named in ``codes`` holds
    codes shown through the catalog (``codes[column]`` is the key prefix). Headers are
    translated. Returns the frame and its ``column_config``; the same frame is the CSV
    download (money in the unit shown)."""
    codes = codes or {}
    columns: dict[str, object] = {}  # the frame is built once: a column set at a time cost more
    config: dict[str, object] = {}
    cents, suffix = units.money_scale()
    for column in frame.columns:
        name = t(column) if column in CATALOG else str(column)  # e.g. a month: 2026-11
        kind, values = kinds.get(column), frame[column]
        if kind in FORMATS:
            scale = cents if kind == "money" else 1
            name = f"{name}{suffix}" if kind == "money" else name
            columns[name] = _numbers(values, scale) * (100 if kind == "ratio" else 1)
            shape = "yen" if kind == "money" and not suffix else FORMATS[kind]
            config[name] = st.column_config.NumberColumn(name, format=shape)
        elif column in codes:
            keys = [None if fmt.missing(v) else f"{codes[column]}{v}" for v in values]
            said = iter(t_each(k for k in keys if k is not None))
            columns[name] = [fmt.UNDEFINED if k is None else next(said) for k in keys]
        else:
            columns[name] = values
    shown = pd.DataFrame(columns, index=frame.index)
    key = next((c for c in shown.columns if c not in config), None)
    if key is not None:  # the row's name stays in view while the numbers scroll (phones)
        config[key] = st.column_config.Column(key, pinned=True)
    return shown, config


def _numbers(values: pd.Series, scale: int) -> pd.Series:
    """``values / scale`` as float64, NaN where missing: a column of numbers at once, other
    columns (e.g. Decimals from PostgreSQL, divided exactly before conversion) value by value."""
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values):
        return values.astype("float64") / scale
    numbers = [None if fmt.missing(v) else v / scale for v in values]
    return pd.Series(numbers, index=values.index, dtype="float64")


def label(names: pd.Series, key: object) -> str:
    """``"name (ID)"`` of ``key``, its ID alone when ``names`` does not know it."""
    return f"{names.get(key, key)} ({key})"


# Longer tables get a marker column: Streamlit styles every cell of a styled table, on every
# view (a company's 200 reps cost the server more than the rest of the page), and a marker
# column can be sorted to bring the marked rows to the top of a long list.
STYLED_ROWS = 50
BEHIND = "#fde0dd"


def shade_rows(shown: pd.DataFrame, colours: Sequence[str | None]) -> Styler | pd.DataFrame:
    """``shown`` with each row's background in ``colours`` (``None``: no shade). Above
    :data:`STYLED_ROWS` rows (a region's reps, the regions, the products are shaded; a
    company's reps are not) the shaded rows get a ● in a first column instead."""
    shown = shown.reset_index(drop=True)
    colours = list(colours)
    if not any(colours):  # nothing to shade: a styled table costs the server every cell
        return shown
    if len(shown) > STYLED_ROWS:
        marked = shown.copy()
        marked.insert(0, "●", ["●" if colour else "" for colour in colours])
        return marked
    css = [f"background-color: {colour}" if colour else "" for colour in colours]
    # one frame of CSS for the whole table: a function per row built a Series for each row
    block = pd.DataFrame(
        {column: css for column in range(shown.shape[1])}, index=shown.index
    ).set_axis(shown.columns, axis=1)
    # cell_ids=False: only the shaded cells carry an id, and Streamlit replaces the display
    # value of each cell with an id, one by one (a table of 300 rows × 11 columns: every cell)
    return Styler(shown, cell_ids=False).apply(lambda _: block, axis=None)


def in_shown_order(frame: pd.DataFrame) -> pd.DataFrame:
    """A targets table (services.measures) in the order :func:`measures_view` shows it: largest
    shortfall first, undefined variance last."""
    return (
        frame.assign(
            _none=[fmt.missing(v) for v in frame.variance],
            _gap=[0 if fmt.missing(v) else v for v in frame.variance],
        )
        .sort_values(["_none", "_gap"], kind="stable")
        .drop(columns=["_none", "_gap"])
        .reset_index(drop=True)
    )


def measures_view(
    frame: pd.DataFrame, metric: str, labels: dict[str, pd.Series]
) -> tuple[Styler | pd.DataFrame, dict[str, object], pd.DataFrame]:
    """A targets table (services.measures) for ``st.dataframe``: largest shortfall
    first, numbers kept numbers (a header click sorts by value; money in yuan as ``¥1,235``,
    ratios as percent), keys as "name (ID)", a Σ column when a target is the sum of the level
    below, what is still needed per working day 0 once the target is met (a count rounded
    up), and the rows behind pace shaded. Returns the table, its ``column_config`` and the
    plain numbers for the CSV download."""
    money = metric in MONEY_METRICS
    ordered = in_shown_order(frame)
    need = [
        None if fmt.missing(v) else 0 if v <= 0 else v if money else math.ceil(v)
        for v in ordered.required_run_rate
    ]
    keyed = ordered.assign(required_run_rate=need)
    for column, names in labels.items():
        if column in keyed:
            keyed[column] = [label(names, v) for v in keyed[column]]
    kinds = {c: ("money" if money else "count") for c in MONEY_MEASURES + COMPARED}
    kinds |= dict.fromkeys(RATIO_MEASURES + ("change_vs",), "ratio")
    data = keyed.drop(columns=["metric", "rolled_up"], errors="ignore")
    shown, config = numeric_view(data, kinds)
    if any_rolled_up(ordered):
        shown.insert(1, "Σ", ["Σ" if r else "" for r in ordered.rolled_up])
    behind = [not fmt.missing(p) and p < 1 for p in ordered.get("pace", [])]
    return shade_rows(shown, [BEHIND if b else None for b in behind]), config, shown


def with_compared(
    frame: pd.DataFrame, compared: pd.DataFrame, by: list[str], compare: str
) -> pd.DataFrame:
    """A targets table with what each row is compared with (``compared``: ``*by,
    compared``; 0 where nothing was sold then) as ``compare_<kind>`` and the change on it."""
    if compare == "target":
        return frame
    found = frame.merge(compared, on=by, how="left")
    before = [0 if fmt.missing(v) else int(v) for v in found.compared]
    change = [relative_change(int(a), b) for a, b in zip(found.actual, before, strict=True)]
    return found.drop(columns="compared").assign(
        **{f"compare_{compare}": before, "change_vs": change}
    )


def any_rolled_up(frame: pd.DataFrame) -> bool:
    return "rolled_up" in frame and bool(frame["rolled_up"].astype(bool).any())


def trend_view(frame: pd.DataFrame, metric: str) -> tuple[pd.DataFrame, dict[str, object]]:
    """A by-month targets table (services.measures) in month order for ``st.dataframe``: headers
    in words, money in yuan, ratios as percent (no codes, no cents)."""
    money = metric in MONEY_METRICS
    kinds = {c: ("money" if money else "count") for c in MONEY_MEASURES + COMPARED}
    kinds |= dict.fromkeys(RATIO_MEASURES + ("change_vs",), "ratio")
    return numeric_view(frame.drop(columns=["metric", "rolled_up"], errors="ignore"), kinds)
