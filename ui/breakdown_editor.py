"""The breakdown editor of the targets page (docs/kpis.md#targets): a director splits an annual
company target over regions and months; a manager splits their region's monthly targets over
reps. Weights come from a chosen source; cell edits rebalance the rest (or are refused with
the reason); saving goes through :func:`db.targets.save`, where the role rules are enforced."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from crm_core import breakdown
from crm_core import formatting as fmt
from crm_core.breakdown import BreakdownError
from crm_core.scope import Role
from crm_core.vocabulary import METRICS, MONEY_METRICS
from services import reads, writes
from ui import data, tables
from ui.auth import Viewer
from ui.i18n import t

UNITS = {"unit_yuan": 100, "unit_hundred": 10_000, "unit_thousand": 100_000}


def render(viewer: Viewer, as_of: date) -> None:
    if viewer.role is Role.REP:
        st.info(t("rep_cannot_edit"))
        return
    left, middle, right = st.columns(3)
    metric = left.selectbox(t("metric"), METRICS, format_func=t, key="bd_metric")
    year = int(middle.number_input(t("year"), 2000, 2100, as_of.year + 1, key="bd_year"))
    money = metric in MONEY_METRICS
    unit = (
        UNITS[right.selectbox(t("unit"), list(UNITS), format_func=t, key="bd_unit")] if money else 1
    )
    inputs = data.breakdown_inputs(viewer.scope, metric, year, as_of)
    window = reads.history_window(year, as_of)
    st.caption(t("history_window", start=window.start, end=window.end))
    dims = data.dimensions(viewer.scope)
    if viewer.role is Role.DIRECTOR:
        children = dims["regions"].set_index("region_id")["name"]
        plan = _director_grid(inputs, metric, year, unit, children, money)
    else:
        children = dims["reps"].set_index("rep_id")["name"]
        plan = _manager_grid(inputs, metric, year, unit, children, viewer)
    if plan is None:
        return
    _edit_and_save(viewer, plan, metric, unit, money, children, inputs.last_year)


def _weights_source(label: str, options: list[str], key: str, default: str | None = None) -> str:
    index = options.index(default) if default in options else 0
    return st.radio(t(label), options, format_func=t, horizontal=True, key=key, index=index)


def _total_from_growth(done: int, unit: int, scale: int) -> None:
    """Set the annual total from the growth typed on the last 12 months (before the run)."""
    growth = float(st.session_state.get("bd_growth") or 0) / 100
    st.session_state["bd_total"] = round(done * (1 + growth) / unit) * unit // scale


def _director_grid(
    inputs: reads.BreakdownInputs,
    metric: str,
    year: int,
    unit: int,
    children: pd.Series,
    money: bool,
) -> pd.DataFrame | None:
    scale = 100 if money else 1
    history = inputs.last_year
    done = int(history[metric].sum()) if metric in history and len(history) else 0
    amount, growth = st.columns([2, 1])
    total = amount.number_input(
        t("annual_total"), min_value=0, step=100_000 if money else 100, key="bd_total",
        value=round(done / unit) * unit // scale if done else (12_000_000 if money else 1_200),
    )  # fmt: skip
    growth.number_input(t("growth_on_last_year"), min_value=-100.0, max_value=1_000.0, value=0.0,
                        step=1.0, format="%.1f", key="bd_growth", disabled=not done,
                        on_change=_total_from_growth, args=(done, unit, scale))  # fmt: skip
    said = _amount(int(total * scale), money)
    change = fmt.signed_ratio(total * scale / done - 1) if done else fmt.UNDEFINED
    st.caption(t("annual_total_said", total=said, change=change))
    if breakdown.far_from_history(int(total * scale), done):
        ratio = f"{total * scale / done:.0%}"
        target, before = _amount(total * scale, money), _amount(done, money)
        st.warning(t("far_from_history", target=target, history=before, ratio=ratio))
    # last year's shares and seasonality by default: an equal split ignores how the regions
    # and months really sell (the smallest region got the largest's target)
    by_child = _weights_source(
        "weights_regions",
        ["weights_equal", "weights_last_year", "weights_custom"],
        "bd_w",
        "weights_last_year" if done else None,
    )
    by_month = _weights_source("weights_months", ["weights_equal", "weights_seasonality"], "bd_m",
                               "weights_seasonality" if done else None)  # fmt: skip
    regions = list(children.index)
    child_weights = _child_weights(by_child, regions, history, "region", metric)
    months = [f"{year}-{m:02d}" for m in range(1, 13)]
    month_weights = [1] * 12
    if by_month == "weights_seasonality" and metric in history and len(history):
        per_month = history.groupby(history.month.str[5:])[metric].sum()
        month_weights, fell_back = breakdown.weights_or_equal(
            [int(per_month.get(f"{m:02d}", 0)) for m in range(1, 13)]
        )
        if fell_back:
            st.warning(t("no_history"))
    try:
        return breakdown.grid(
            int(total * scale), regions, child_weights, months, month_weights, unit
        )
    except BreakdownError as problem:
        st.error(str(problem))
        return None


def _manager_grid(
    inputs: reads.BreakdownInputs,
    metric: str,
    year: int,
    unit: int,
    children: pd.Series,
    viewer: Viewer,
) -> pd.DataFrame | None:
    tree = inputs.tree
    region_rows = tree[tree.rep_id.isna() & tree.region_id.isin(viewer.account.region_ids)]
    region_rows = region_rows[region_rows.product_id.isna()] if len(region_rows) else region_rows
    if region_rows.empty:
        st.info(t("no_region_target", year=year))
        return None
    totals = region_rows.groupby("period")["amount"].sum().astype(int).to_dict()
    st.caption(t("region_total_fixed"))
    source = _weights_source(
        "weights_reps",
        ["weights_equal", "weights_last_year", "weights_potential", "weights_custom"],
        "bd_rw",
    )
    reps = list(children.index)
    if source == "weights_potential":
        weights, fell_back = breakdown.weights_or_equal([inputs.potential.get(r, 0) for r in reps])
        if fell_back:
            st.warning(t("no_history"))
    else:
        weights = _child_weights(source, reps, inputs.last_year, "rep", metric)
    try:
        return breakdown.split_columns(totals, reps, weights, unit)
    except BreakdownError as problem:
        st.error(str(problem))
        return None


def _child_weights(
    source: str, children: list[str], history: pd.DataFrame, dim: str, metric: str
) -> list[int]:
    if source == "weights_last_year" and len(history) and metric in history:
        per_child = history.groupby(dim)[metric].sum()
        weights, fell_back = breakdown.weights_or_equal(
            [int(per_child.get(c, 0)) for c in children]
        )
        if fell_back:
            st.warning(t("no_history"))
        return weights
    if source == "weights_custom":
        table = pd.DataFrame({"weight": [1] * len(children)}, index=children)
        edited = st.data_editor(table, key="bd_custom", width="content")
        return [max(0, int(w)) for w in edited["weight"].fillna(0)]
    return breakdown.equal_weights(len(children))


def _edit_and_save(
    viewer: Viewer,
    plan: pd.DataFrame,
    metric: str,
    unit: int,
    money: bool,
    names: pd.Series,
    history: pd.DataFrame,
) -> None:
    signature = (metric, tuple(plan.index), tuple(plan.columns), int(plan.to_numpy().sum()),
                 tuple(plan.iloc[:, 0]))  # fmt: skip
    if st.session_state.get("bd_signature") != signature:
        st.session_state["bd_signature"] = signature
        st.session_state["bd_grid"] = plan
    current: pd.DataFrame = st.session_state["bd_grid"]
    scale = 100 if money else 1
    shown = (current / scale).astype("int64" if not money else "float64")
    shown.insert(0, t("total"), shown.sum(axis=1))
    dim = "region" if viewer.role is Role.DIRECTOR else "rep"
    before = _history_by(history, dim, metric)
    shown.insert(1, t("last_12_months"), [before.get(i, 0) / scale for i in current.index])
    shown.index = [f"{names.get(i, i)} ({i})" for i in current.index]
    key = f"bd_editor_{st.session_state.get('bd_revision', 0)}"
    locked = [t("total"), t("last_12_months")]
    st.data_editor(
        shown, key=key, disabled=locked, width="stretch", column_config=_grid_config(shown, money)
    )
    st.caption(t("grid_total", total=_amount(int(current.to_numpy().sum()), money)))
    with st.expander(t("months_vs_last_year"), expanded=True):
        months, config = _months_table(current, history, metric, money)
        tables.grid(months, key="bd_months", config=config)
    if refused := st.session_state.pop("bd_refused", None):
        st.error(t("edit_refused", reason=refused))
    edits = (st.session_state.get(key) or {}).get("edited_rows", {})
    if edits:
        try:
            st.session_state["bd_grid"] = _apply_edits(
                current, edits, unit, viewer.role is Role.DIRECTOR, scale
            )
        except BreakdownError as problem:
            st.session_state["bd_refused"] = str(problem)
        # A fresh editor shows the rebalanced grid (or the old one after a refusal);
        # the edits are never replayed.
        st.session_state["bd_revision"] = st.session_state.get("bd_revision", 0) + 1
        st.rerun()
    if st.button(t("save_targets"), type="primary", key="bd_save"):
        cells = _cells(current, metric, viewer)
        try:
            changed = writes.save_targets(data.engine(), viewer.account, cells)
        except writes.TargetRefused as refused:
            st.error(t("save_refused", reason=str(refused)))
        else:
            st.success(t("saved_targets", count=changed))


def _apply_edits(
    current: pd.DataFrame,
    edits: dict,
    unit: int,
    keep_rows: bool,
    scale: int,
) -> pd.DataFrame:
    """The grid after the editor's cell edits (``{row: {month: value}}``), each rebalancing the
    rest of its row (director) or its month (manager). Raises :class:`BreakdownError` when an
    edit is impossible."""
    updated = current
    for row, changes in sorted(edits.items(), key=lambda item: int(item[0])):
        child = current.index[int(row)]
        for month, value in changes.items():
            if month not in current.columns or value is None:
                continue
            cents = round(float(value) * scale)
            if keep_rows:
                updated = breakdown.set_cell(updated, child, month, cents, unit)
            else:
                updated = breakdown.set_cell_keep_column(updated, child, month, cents, unit)
    return updated


def _cells(grid: pd.DataFrame, metric: str, viewer: Viewer) -> list[writes.Cell]:
    cells: list[writes.Cell] = []
    if viewer.role is Role.DIRECTOR:
        for month in grid.columns:
            cells.append(writes.Cell(month, metric, int(grid[month].sum())))
            cells += [
                writes.Cell(month, metric, int(grid.at[region, month]), region)
                for region in grid.index
            ]
        return cells
    region_of = data.dimensions(viewer.scope)["reps"].set_index("rep_id")["region_id"]
    return [
        writes.Cell(month, metric, int(grid.at[rep, month]), region_of[rep], rep)
        for month in grid.columns
        for rep in grid.index
    ]


def _amount(value: float, money: bool) -> str:
    return fmt.money(round(value)) if money else fmt.count(value)


def _history_by(history: pd.DataFrame, dim: str, metric: str) -> dict[str, int]:
    if history.empty or metric not in history:
        return {}
    return {k: int(v) for k, v in history.groupby(dim)[metric].sum().items()}


def _grid_config(shown: pd.DataFrame, money: bool) -> dict[str, object]:
    """Every number of the grid with separators (¥ for money), so 1200000 reads ¥1,200,000."""
    shape = "yen" if money else "localized"
    return {c: st.column_config.NumberColumn(c, format=shape) for c in shown.columns}


def _months_table(
    grid: pd.DataFrame, history: pd.DataFrame, metric: str, money: bool
) -> tuple[pd.DataFrame, dict[str, object]]:
    """Per month of the plan: the new target (the grid's month total), the same calendar
    month's actual in the last 12 months, and the change."""
    before = (
        history.groupby(history.month.str[5:])[metric].sum().to_dict()
        if len(history) and metric in history
        else {}
    )
    rows = []
    for month in grid.columns:
        target, done = int(grid[month].sum()), int(before.get(str(month)[5:], 0))
        rows.append({"month": month, "new_target": target, "last_year": done,
                     "yoy": target / done - 1 if done else None})  # fmt: skip
    kind = "money" if money else "count"
    kinds = {"new_target": kind, "last_year": kind, "yoy": "ratio"}
    return tables.numeric_view(pd.DataFrame(rows), kinds)
