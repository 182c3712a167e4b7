"""Formatting for the monthly page: ranked tables with growth, the pipeline in yuan."""

from __future__ import annotations

from datetime import date

import pandas as pd

from crm_core import formatting as fmt
from crm_core import overview
from crm_core.periods import elapsed_working_days, month_period, shift_month
from ui import tables
from ui.i18n import t

COLUMNS = ["target", "actual", "attainment", "pace"]


def ranked_table(
    frame: pd.DataFrame, key: str, labels: dict[str, pd.Series]
) -> tuple[pd.DataFrame, dict[str, object]]:
    """Rank, the key's name, target, actual, attainment, pace, vs last month, vs last year:
    numbers that sort by value (money in yuan, ratios as percent)."""
    named = frame.assign(**{key: [tables.label(labels[key], v) for v in frame[key]]})
    kinds = {"rank": "count", "target": "money", "actual": "money", "attainment": "ratio",
             "pace": "ratio", "mom": "ratio", "yoy": "ratio"}  # fmt: skip
    return tables.numeric_view(named[["rank", key, *COLUMNS, "mom", "yoy"]], kinds)


# the ranking's column of the change on what a month is compared with
GROWTH_COLUMNS = {"previous": "mom", "last_year": "yoy"}


def in_order_of(frame: pd.DataFrame, compare: str) -> pd.DataFrame:
    """The ranking as it is (by attainment) against the target, else largest change on the
    month before (``mom``) or a year before (``yoy``) first, none last."""
    column = GROWTH_COLUMNS.get(compare)
    if column is None or frame.empty:
        return frame
    growth = pd.to_numeric(frame[column], errors="coerce")
    return frame.assign(_g=growth).sort_values("_g", ascending=False, na_position="last",
                                               kind="stable").drop(columns="_g")  # fmt: skip


def comparison_caption(month: str, as_of: date) -> str:
    """How the month is compared: same working days while in progress; not started."""
    whole = month_period(month)
    if as_of < whole.start:
        return t("month_not_started")
    days = elapsed_working_days(whole, as_of)
    return t("month_whole") if days is None else t("month_same_days", days=days)


def pipeline(frame: pd.DataFrame) -> pd.DataFrame:
    """Stages in words, amounts in yuan (for the chart)."""
    return frame.assign(
        stage=[t(f"stage_{s}") for s in frame.stage], amount=[fmt.yuan(v) for v in frame.amount]
    )


def pipeline_table(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, object]]:
    """The open pipeline by stage: count and ¥ amount as numbers."""
    return tables.numeric_view(
        frame, {"count": "count", "amount": "money"}, codes={"stage": "stage_"}
    )


def in_yuan(trend: pd.DataFrame) -> pd.DataFrame:
    return trend.assign(
        actual=[fmt.yuan(v) for v in trend.actual], target=[fmt.yuan(v) for v in trend.target]
    )


def trend_compared(frame: pd.DataFrame, month: str, compare: str) -> pd.DataFrame:
    """The 12 months up to ``month`` of a revenue targets table by month (``frame``, reaching
    a year further back for the comparisons with earlier months): ``month, actual, target``
    with ``target`` what each month is compared with (crm_core.overview.trend_compared)."""
    months = [shift_month(month, back) for back in range(-11, 1)]
    actuals = frame[["month", "actual"]].rename(columns={"actual": "revenue"})
    targets = frame[["month", "target"]].assign(metric="revenue")
    return overview.trend_compared(actuals, targets, "revenue", months, compare)


def compared_numbers(
    compared: pd.DataFrame, compare: str
) -> tuple[pd.DataFrame, dict[str, object]]:
    """The numbers behind the compared trend: month, actual, compared with, change."""
    shown = compared[["month", "actual", "target", "change"]].rename(
        columns={"target": f"compare_{compare}", "change": "change_vs"}
    )
    kinds = {"actual": "money", f"compare_{compare}": "money", "change_vs": "ratio"}
    return tables.numeric_view(shown, kinds)
