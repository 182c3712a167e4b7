"""Formatting for the visit efficiency page."""

from __future__ import annotations

import pandas as pd

from crm_core import formatting as fmt
from crm_core.efficiency import CallFunnel, League
from ui import tables, units
from ui.i18n import t

Table = tuple[pd.DataFrame, dict[str, object]]

RATES = ("effective_visit_rate", "transaction_rate", "plan_adherence", "attainment")
MONEY = ("sales_per_activity", "cost_per_activity", "roi_per_hour")
KINDS = {
    **dict.fromkeys(RATES, "ratio"),
    **dict.fromkeys(MONEY, "money"),
    "done": "count",
    "activities_per_rep_day": "decimal",
    "revenue_to_cost": "multiple",
}


def league_order(frame: pd.DataFrame) -> list[str | None]:
    """The league's rows: the team median (``None``), then the reps that turn the fewest
    activities into a sale first (no rate last), ties by ID."""
    if frame.empty:
        return []
    ranked = sorted(
        zip(frame.transaction_rate, frame.rep, strict=True),
        key=lambda pair: (fmt.missing(pair[0]), pair[0] or 0, pair[1]),
    )
    return [None, *(rep for _, rep in ranked)]


def league_table(league: League, names: pd.Series) -> Table:
    """The rep league (rows as :func:`league_order`: the team median first), numbers kept
    numbers (a header click sorts by value)."""
    frame = league.reps
    if frame.empty:
        return tables.numeric_view(frame, {})
    by_rep = frame.set_index("rep", drop=False)
    median = {"rep": t("team_median"), **league.median}
    reps = league_order(frame)[1:]
    rows = pd.DataFrame([median, *by_rep.loc[reps].to_dict("records")])
    rows["rep"] = [rows.rep[0], *(tables.label(names, r) for r in reps)]
    return tables.numeric_view(rows, KINDS)


def scatter_frame(frame: pd.DataFrame, names: pd.Series) -> pd.DataFrame:
    columns = ["activities_per_rep_day", "transaction_rate", "attainment", "pace"]
    data = frame[["rep", *columns]].copy()
    data["label"] = [tables.label(names, r) for r in data.rep]
    for column in columns:
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


def overdue_table(overdue: pd.DataFrame, names: pd.Series) -> Table:
    """Who to contact next: rep, customer, priority, days since the last call and visit (a
    number, so it sorts), what is due."""
    frame = pd.DataFrame(
        {
            "rep": [tables.label(names, r) for r in overdue.owner_rep_id],
            "customer": list(overdue.name),
            "priority": [p or "normal" for p in overdue.priority],
            "days_since_call": list(overdue.days_since_call),
            "days_since_visit": list(overdue.days_since_visit),
            "next_step": [
                "call_and_visit" if c and v else "call" if c else "visit"
                for c, v in zip(overdue.call_overdue, overdue.visit_overdue, strict=True)
            ],
        }
    )
    kinds = dict.fromkeys(("days_since_call", "days_since_visit"), "count")
    return tables.numeric_view(frame, kinds, codes={"priority": "tier_", "next_step": ""})


def per_call(funnel: CallFunnel) -> str:
    """Revenue and commission per dialed call (the source texts' 每通电话的价值)."""
    revenue, commission = funnel.revenue_per_call, funnel.commission_per_call
    return t(
        "per_call",
        revenue=units.money(revenue),
        commission=units.money(commission),
    )


def overdue_rows(overdue: pd.DataFrame, names: pd.Series) -> pd.DataFrame:
    """For the download: every overdue customer as on screen."""
    return overdue_table(overdue, names)[0]


def funnel_table(funnel: pd.DataFrame) -> Table:
    frame = funnel[["step", "count", "conversion"]]
    kinds = {"count": "count", "conversion": "ratio"}
    return tables.numeric_view(frame, kinds, codes={"step": "step_"})


def allocation_table(allocation: pd.DataFrame) -> Table:
    frame = pd.DataFrame(
        {
            "customer_group": list(allocation.group),
            "customers": list(allocation.customers),
            "hours": [m / 60 for m in allocation.minutes],
            "actual_share": list(allocation.share),
            "guideline": list(allocation.guideline),
        }
    )
    kinds = {"customers": "count", "hours": "count", "actual_share": "ratio", "guideline": "ratio"}
    return tables.numeric_view(frame, kinds, codes={"customer_group": ""})


def purpose_frame(purposes: pd.DataFrame) -> pd.DataFrame:
    """Purpose, count, kind in words with translated headers (they become the axis titles)."""
    return pd.DataFrame(
        {
            t("purpose"): [t(p) for p in purposes.purpose],
            t("count"): list(purposes["count"]),
            t("kind"): [t(k) for k in purposes.kind],
        }
    )
