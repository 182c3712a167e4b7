"""Formatting for the customers page (docs/kpis.md#customers): chart frames in yuan, tables for
people."""

from __future__ import annotations

import pandas as pd

from crm_core import formatting as fmt
from crm_core.customers import TIERS
from crm_core.settings import ABC_THRESHOLDS
from services.reads import CustomerCard, CustomersData
from ui import tables, units
from ui.i18n import t

Table = tuple[pd.DataFrame, dict[str, object]]

CURVE_POINTS = 600  # the curve of 80,000 customers (L) drawn from 600 points


def headline(loaded: CustomersData) -> list[tuple[str, str, str | None]]:
    """(label, value, exact sum to hover when the value is money shortened) of the figures
    across the top."""
    abc = loaded.abc
    a = abc[abc.abc == "A"]
    total = int(abc.revenue.sum())
    a_share = fmt.ratio(int(a.revenue.sum()) / total) if total else fmt.UNDEFINED
    return [
        (t("customers_in_scope"), fmt.count(len(loaded.classified)), None),
        (t("buying_customers"), fmt.count(len(abc)), None),
        (t("revenue_12m"), *units.card_money(total)),
        (t("a_customers", share=a_share), fmt.count(len(a)), None),
    ]


def pareto_frame(abc: pd.DataFrame) -> pd.DataFrame:
    """Every buying customer on the Pareto curve (at most :data:`CURVE_POINTS` points, evenly
    picked, the largest customers always kept): ``customer_share`` (rank / customers),
    ``cumulative``, ``abc``, ``label``, ``revenue`` (yuan); starts at (0, 0)."""
    count = len(abc)
    if not count:
        return pd.DataFrame(columns=["customer_share", "cumulative", "abc", "label", "revenue"])
    step = max(1, count // CURVE_POINTS)
    kept = abc[[i < 20 or i % step == 0 or i == count - 1 for i in range(count)]]
    start = pd.DataFrame([{"customer_share": 0.0, "cumulative": 0.0, "abc": "A", "label": "",
                           "revenue": 0.0}])  # fmt: skip
    curve = pd.DataFrame(
        {
            "customer_share": [r / count for r in kept["rank"]],
            "cumulative": kept.cumulative.astype(float).to_numpy(),
            "abc": kept.abc.to_numpy(),
            "label": [f"{n} ({c})" for n, c in zip(kept.name, kept.customer_id, strict=True)],
            "revenue": [fmt.yuan(r) for r in kept.revenue],
        }
    )
    return pd.concat([start, curve], ignore_index=True)


def pareto_marks(abc: pd.DataFrame) -> pd.DataFrame:
    """Where the curve reaches 80 % and 95 % of revenue: ``customer_share, cumulative, text``
    (e.g. "80 %: 12 customers (27.9 %)")."""
    rows = []
    for level in ABC_THRESHOLDS if len(abc) else ():
        reached = abc[abc.cumulative >= level - 1e-9]
        if reached.empty:
            continue
        rank = int(reached["rank"].iloc[0])
        share = rank / len(abc)
        rows.append(
            {
                "customer_share": share,
                "cumulative": level,
                "text": t("pareto_mark", level=fmt.ratio(level, 0), count=f"{rank:,}",
                          share=fmt.ratio(share)),
            }
        )  # fmt: skip
    return pd.DataFrame(rows, columns=["customer_share", "cumulative", "text"])


def abc_summary(abc: pd.DataFrame) -> Table:
    """Per class: customers, revenue, share of customers, share of revenue."""
    total, count = int(abc.revenue.sum()), len(abc)
    rows = []
    for name in ("A", "B", "C"):
        mine = abc[abc.abc == name]
        amount = int(mine.revenue.sum())
        rows.append(
            {
                "abc_class": name,
                "customers": len(mine),
                "revenue": amount,
                "share_of_customers": len(mine) / count if count else None,
                "share_of_revenue": amount / total if total else None,
            }
        )
    kinds = {"customers": "count", "revenue": "money", "share_of_customers": "ratio",
             "share_of_revenue": "ratio"}  # fmt: skip
    return tables.numeric_view(pd.DataFrame(rows), kinds)


def tiers_frame(classified: pd.DataFrame) -> pd.DataFrame:
    """``label, customers, revenue`` (yuan) per value tier of the active customers."""
    active = classified[classified.value_tier.notna()]
    return pd.DataFrame(
        {
            "label": [t(f"tier_{tier}") for tier in TIERS],
            "customers": [int((active.value_tier == tier).sum()) for tier in TIERS],
            "revenue": [
                fmt.yuan(active.revenue[active.value_tier == tier].sum()) for tier in TIERS
            ],
        }
    )


def grades_frame(classified: pd.DataFrame) -> pd.DataFrame:
    grades = classified.grade[classified.grade.notna()]
    return pd.DataFrame(
        {"label": list("ABCD"), "customers": [int((grades == g).sum()) for g in "ABCD"]}
    )


def matrix_frame(matrix: pd.DataFrame) -> pd.DataFrame:
    return matrix.assign(
        revenue_yuan=[fmt.yuan(r) for r in matrix.revenue],
        text=[
            f"{c}: {n:,}\n{units.money(r)}"
            for c, n, r in zip(matrix.cell, matrix.customers, matrix.revenue, strict=True)
        ],
        strategy_text=[t(f"strategy_{s}") for s in matrix.strategy],
    )


def customer_list(frame: pd.DataFrame, reps: pd.Series, extra: tuple[str, ...] = ()) -> Table:
    """Customer, owner, revenue, potential, share of wallet, cell and ``extra`` money columns;
    numbers stay numbers."""
    columns: dict[str, list] = {
        "customer": [f"{n} ({c})" for n, c in zip(frame.name, frame.customer_id, strict=True)],
        "owner": [tables.label(reps, r) for r in frame.owner],
        "revenue": list(frame.revenue),
        "potential": list(frame.potential),
    }
    kinds = {"revenue": "money", "potential": "money"}
    if "share" in frame.columns:
        columns["share_of_wallet"] = list(frame.share)
        columns["cell"] = list(frame.cell)
        kinds["share_of_wallet"] = "ratio"
    for name in extra:
        shown = name if name != "net" else "net_value"
        columns[shown] = list(frame[name])
        kinds[shown] = "money"
    return tables.numeric_view(pd.DataFrame(columns), kinds)


def list_rows(frame: pd.DataFrame, reps: pd.Series, extra: tuple[str, ...] = ()) -> pd.DataFrame:
    """For the download: every customer of a list as on screen (headers in words, yuan)."""
    return customer_list(frame, reps, extra)[0]


def abc_rows(abc: pd.DataFrame) -> pd.DataFrame:
    """For the download: every buying customer with rank, revenue (yuan), share, cumulative
    share and class, headers in words."""
    frame = pd.DataFrame(
        {
            "rank": list(abc["rank"]),
            "customer": [f"{n} ({c})" for n, c in zip(abc.name, abc.customer_id, strict=True)],
            "revenue": list(abc.revenue),
            "share_of_revenue": list(abc.share),
            "cumulative_share": list(abc.cumulative),
            "abc_class": list(abc.abc),
        }
    )
    kinds = {"rank": "count", "revenue": "money", "share_of_revenue": "ratio",
             "cumulative_share": "ratio"}  # fmt: skip
    return tables.numeric_view(frame, kinds)[0]


def with_regions(total: pd.DataFrame, by_region: pd.DataFrame) -> pd.DataFrame:
    """The whole scope's years, then each region's when there is more than one region."""
    if by_region.key.nunique() <= 1:
        return total
    return pd.concat([total, by_region], ignore_index=True)


def attrition_frame(years: pd.DataFrame, regions: pd.Series) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "label": [regions.get(k, t("total")) for k in years.key],
            "year": [str(y) for y in years.year],
            "attrition": [None if v is None else float(v) for v in years.attrition],
        }
    )


def attrition_table(years: pd.DataFrame, regions: pd.Series) -> Table:
    frame = pd.DataFrame(
        {
            "region": [regions.get(k, t("total")) for k in years.key],
            "year": [f"{y}" + ("" if c else f" ({t('in_progress')})")
                     for y, c in zip(years.year, years.complete, strict=True)],
            **{c: list(years[c]) for c in ("active_start", "lost", "new", "attrition",
                                           "new_rate")},
        }
    )  # fmt: skip
    kinds = {"active_start": "count", "lost": "count", "new": "count", "attrition": "ratio",
             "new_rate": "ratio"}  # fmt: skip
    return tables.numeric_view(frame, kinds)


PROFILE = (
    "status", "priority", "prospect_grade", "region_name", "owner", "created_on", "industry",
    "employees", "annual_potential_cents", "credit_rating", "credit_limit_cents",
    "payment_terms_days", "contact", "phone", "address",
)  # fmt: skip


def profile_table(card: CustomerCard) -> pd.DataFrame:
    """The profile fields (docs/formats.md, customers) as label → value."""
    labels = {"region_name": "region", "annual_potential_cents": "potential",
              "credit_limit_cents": "credit_limit"}  # fmt: skip
    rows = []
    for field in PROFILE:
        value = card.profile.get(field)
        if field.endswith("_cents"):
            value = units.money(value)
        elif field == "status":
            value = t(f"status_{value}")
        elif field == "priority" and value:
            value = t(f"tier_{value}")
        elif field == "prospect_grade":
            value = card.profile.get("grade")
        rows.append((t(labels.get(field, field)), "" if value is None else str(value)))
    return pd.DataFrame(rows, columns=[t("card_title"), ""])


def sales_frame(card: CustomerCard) -> pd.DataFrame:
    return card.sales.assign(actual=[fmt.yuan(v) for v in card.sales.revenue], target=None)


def activities_table(card: CustomerCard) -> pd.DataFrame:
    acts = card.activities
    return pd.DataFrame(
        {
            t("date"): [d.isoformat() for d in acts.date],
            t("rep"): list(acts.rep),
            t("kind"): [t(k) for k in acts.kind],
            t("purpose"): [t(p) for p in acts.purpose],
            t("status"): [t(s) for s in acts.status],
            t("outcome"): ["" if pd.isna(o) else t(o) for o in acts.outcome],
            t("notes"): ["" if pd.isna(n) else n for n in acts.notes],
        }
    )


def cadence_text(card: CustomerCard) -> str:
    timing = card.cadence
    if not timing:
        return fmt.UNDEFINED
    due = [t(w) for w in ("call", "visit") if timing[f"{w}_overdue"]]
    since = timing["days_since_contact"]
    state = t("cadence_due", what=" + ".join(due)) if due else t("cadence_ok")
    if fmt.missing(since):  # no done call or visit up to the day: say so, not "—"
        return f"{state} · {t('cadence_never')}"
    return f"{state} · {t('days_since_contact')}: {fmt.count(since)}"


def opportunities_table(card: CustomerCard) -> Table:
    deals = card.opportunities
    frame = pd.DataFrame(
        {
            "opportunity": list(deals.name),
            "stage": list(deals.stage),
            "amount": list(deals.amount),
            "expected_close": list(deals.expected_close),
        }
    )
    return tables.numeric_view(frame, {"amount": "money"}, codes={"stage": "stage_"})


def reports_table(card: CustomerCard) -> pd.DataFrame:
    reports = card.reports
    return pd.DataFrame(
        {
            t("date"): [d.isoformat() for d in reports.date],
            t("kind"): [t(f"report_kind_{k}") for k in reports.kind],
            t("severity"): [t(s) for s in reports.severity],
            t("summary"): list(reports.summary),
            t("status"): [t(f"report_status_{s}") for s in reports.status],
        }
    )
