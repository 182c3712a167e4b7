"""Formatted tables of SPEC §4.1 measures, rows behind pace highlighted."""

from __future__ import annotations

import pandas as pd
from pandas.io.formats.style import Styler

from crm_core import formatting as fmt
from db.formats import METRICS, MONEY_METRICS
from ui.i18n import t

__all__ = ["METRICS", "measures", "raw"]
MONEY_MEASURES = ("target", "actual", "variance", "projection", "required_run_rate")
RATIO_MEASURES = ("attainment", "time_elapsed", "pace")


def measures(frame: pd.DataFrame, metric: str, labels: dict[str, pd.Series]) -> Styler:
    """``frame`` from :func:`db.kpis.targets_table` as text for people; ``labels`` maps a key
    column to display names (e.g. rep ID → name). Behind pace (pace < 100 %) shaded red."""
    money = metric in MONEY_METRICS
    shown = pd.DataFrame(index=frame.index)
    for column in frame.columns:
        if column == "metric":
            continue
        values = frame[column]
        if column in labels:
            shown[t(column)] = [f"{labels[column].get(v, v)} ({v})" for v in values]
        elif column == "required_run_rate":
            shown[t(column)] = [_run_rate(v, money) for v in values]
        elif column in MONEY_MEASURES:
            shown[t(column)] = [fmt.money(v) if money else fmt.count(v) for v in values]
        elif column in RATIO_MEASURES:
            shown[t(column)] = [fmt.ratio(v) for v in values]
        else:
            shown[t(column)] = values
    behind = [p is not None and p < 1 for p in frame.get("pace", [])]
    return shown.style.apply(
        lambda row: ["background-color: #fde0dd" if behind[row.name] else ""] * len(row), axis=1
    )


def _run_rate(value: int | None, money: bool) -> str:
    if value is not None and value <= 0:
        return t("target_met")
    return fmt.money(value) if money else fmt.count(value)


def raw(frame: pd.DataFrame, metric: str) -> pd.DataFrame:
    """For download: money in yuan, ratios as fractions."""
    if metric not in MONEY_METRICS:
        return frame
    out = frame.copy()
    for column in MONEY_MEASURES:
        out[column] = [None if v is None else v / 100 for v in out[column]]
    return out
