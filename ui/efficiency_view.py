"""Formatting for the visit efficiency page."""

from __future__ import annotations

import pandas as pd

from crm_core import formatting as fmt
from ui import tables
from ui.i18n import t

RATES = ("effective_visit_rate", "transaction_rate", "plan_adherence", "attainment")
MONEY = ("sales_per_activity", "cost_per_activity", "roi_per_hour")


def _shown(column: str, value: object) -> str:
    if column in RATES:
        return fmt.ratio(value)
    if column in MONEY:
        return fmt.money(None if value is None else round(value))
    if column == "revenue_to_cost":
        return fmt.UNDEFINED if value is None else f"{value:,.1f}×"
    if column == "activities_per_rep_day":
        return fmt.UNDEFINED if value is None else f"{value:,.1f}"
    return fmt.count(value) if column == "done" else str(value)


def league_table(frame: pd.DataFrame, names: pd.Series) -> pd.DataFrame:
    """The rep league with the team median as its first row."""
    if frame.empty:
        return frame
    median = {"rep": t("team_median"), **frame.attrs["median"]}
    rows = [median] + frame.to_dict("records")
    shown = pd.DataFrame(
        [
            {
                t(c) if c != "rep" else t("rep"): (
                    _shown(c, v)
                    if c != "rep"
                    else (v if v == t("team_median") else tables.label(names, v))
                )
                for c, v in row.items()
            }
            for row in rows
        ]
    )
    return shown


def scatter_frame(frame: pd.DataFrame, names: pd.Series) -> pd.DataFrame:
    data = frame[["rep", "activities_per_rep_day", "transaction_rate", "attainment"]].copy()
    data["label"] = [tables.label(names, r) for r in data.rep]
    for column in ("activities_per_rep_day", "transaction_rate", "attainment"):
        data[column] = pd.to_numeric(data[column], errors="coerce")
    return data


def funnel_frame(funnel: pd.DataFrame) -> pd.DataFrame:
    return funnel.assign(
        label=[t(f"step_{s}") for s in funnel.step],
        conversion_text=[
            f"{c:,}" + ("" if r is None else f" · {fmt.ratio(r)}")
            for c, r in zip(funnel["count"], funnel.conversion, strict=True)
        ],
    )


def overdue_table(overdue: pd.DataFrame, names: pd.Series) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("rep"): [tables.label(names, r) for r in overdue.owner_rep_id],
            t("customer"): overdue.name,
            t("priority"): [t(f"tier_{p or 'normal'}") for p in overdue.priority],
            t("days_since_call"): [fmt.count(v) for v in overdue.days_since_call],
            t("days_since_visit"): [fmt.count(v) for v in overdue.days_since_visit],
            t("next_step"): [
                t("call_and_visit") if c and v else t("call") if c else t("visit")
                for c, v in zip(overdue.call_overdue, overdue.visit_overdue, strict=True)
            ],
        }
    )


def per_call(funnel: pd.DataFrame) -> str:
    """Revenue and commission per dialed call (the source texts' 每通电话的价值)."""
    revenue, commission = funnel.attrs["revenue_per_call"], funnel.attrs["commission_per_call"]
    return t(
        "per_call",
        revenue=fmt.money(None if revenue is None else round(revenue)),
        commission=fmt.money(None if commission is None else round(commission)),
    )


def funnel_table(funnel: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("step"): [t(f"step_{s}") for s in funnel.step],
            t("count"): [fmt.count(c) for c in funnel["count"]],
            t("conversion"): [fmt.ratio(r) for r in funnel.conversion],
        }
    )


def allocation_table(allocation: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("customer_group"): [t(g) for g in allocation.group],
            t("customers"): [fmt.count(c) for c in allocation.customers],
            t("hours"): [fmt.count(m / 60) for m in allocation.minutes],
            t("actual_share"): [fmt.ratio(s) for s in allocation.share],
            t("guideline"): [fmt.ratio(g, 0) for g in allocation.guideline],
        }
    )
