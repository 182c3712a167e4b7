"""Formatting for the pipeline page (docs/kpis.md#pipeline-health): chart frames in yuan, tables
for people."""

from __future__ import annotations

import pandas as pd
from pandas.io.formats.style import Styler

from crm_core import formatting as fmt
from crm_core import pipeline as core
from crm_core.pipeline import STAGES
from ui import tables
from ui.data import PipelineData
from ui.i18n import t

SHADES = {"short": "#fde0dd", "thin": "#fff3cd"}
CHART_REPS = 40  # the coverage chart shows the thinnest reps; the table lists them all


def funnel_frame(stages: pd.DataFrame, conversion: pd.DataFrame) -> pd.DataFrame:
    """The open stages with their amount in yuan and their stage conversion as ``text``."""
    rates = dict(zip(conversion.stage, conversion.conversion, strict=True))
    open_ = stages[stages.stage.isin(STAGES)]
    return pd.DataFrame(
        {
            "label": [t(f"stage_{s}") for s in open_.stage],
            "count": open_["count"].to_numpy(),
            "amount": [fmt.yuan(a) for a in open_.amount],
            "text": [f"→ {fmt.ratio(rates.get(s))}" for s in open_.stage],
        }
    )


def funnel_table(stages: pd.DataFrame, conversion: pd.DataFrame) -> pd.DataFrame:
    """Per stage: open count, amount, probability, weighted; of the cohort: entered, moved on,
    conversion, average days in stage."""
    merged = stages.merge(conversion, on="stage", how="left")
    return pd.DataFrame(
        {
            t("stage"): [t(f"stage_{s}") for s in merged.stage],
            t("count"): [fmt.count(v) for v in merged["count"]],
            t("amount"): [fmt.money(v) for v in merged.amount],
            t("probability"): [_ratio_or_blank(v, 0) for v in merged.probability],
            t("weighted"): [fmt.money(v) for v in merged.weighted],
            t("entered"): [_count_or_blank(v) for v in merged.entered],
            t("advanced"): [_count_or_blank(v) for v in merged.advanced],
            t("stage_conversion"): [_ratio_or_blank(v) for v in merged.conversion],
            t("avg_days"): [_count_or_blank(v, days=True) for v in merged.avg_days],
        }
    )


def _count_or_blank(value: object, days: bool = False) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return fmt.UNDEFINED if days else ""
    return f"{float(value):,.1f}" if days else fmt.count(value)


def _ratio_or_blank(value: object, digits: int = 1) -> str:
    return "" if isinstance(value, float) and pd.isna(value) else fmt.ratio(value, digits)


def coverage_frame(table: pd.DataFrame, names: pd.Series) -> pd.DataFrame:
    """For the chart: ``label, shown`` (coverage capped at 5×), ``coverage, status,
    status_text``; a met target shows as a full bar."""
    return pd.DataFrame(
        {
            "label": [tables.label(names, r) for r in table.rep],
            "shown": [
                5.0 if s == "met" else min(float(c or 0), 5.0)
                for c, s in zip(table.coverage, table.status, strict=True)
            ],
            "coverage": [c for c in table.coverage],
            "status": list(table.status),
            "status_text": [t(f"cover_{s}") for s in table.status],
        }
    )


def coverage_table(table: pd.DataFrame, names: pd.Series) -> Styler | pd.DataFrame:
    """Rep, target, actual, still to sell, pipeline, coverage, status; short rows red, thin
    rows amber."""
    shown = pd.DataFrame(
        {
            t("rep"): [tables.label(names, r) for r in table.rep],
            t("target"): [fmt.money(v) for v in table.target],
            t("actual"): [fmt.money(v) for v in table.actual],
            t("remaining"): [fmt.money(v) for v in table.remaining],
            t("pipeline"): [fmt.money(v) for v in table.pipeline],
            t("coverage"): [fmt.UNDEFINED if c is None else f"{c:,.1f}×" for c in table.coverage],
            t("status"): [t(f"cover_{s}") for s in table.status],
        }
    )
    return tables.shade_rows(shown, [SHADES.get(s) for s in table.status])


def stale_table(stale: pd.DataFrame, names: pd.Series) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("opportunity"): [
                f"{n} ({o})" for n, o in zip(stale.name, stale.opportunity_id, strict=True)
            ],
            t("customer"): list(stale.customer),
            t("rep"): [tables.label(names, r) for r in stale.rep],
            t("stage"): [t(f"stage_{s}") for s in stale.stage],
            t("days_in_stage"): [fmt.count(d) for d in stale.days_in_stage],
            t("expected_close"): [d.isoformat() for d in stale.expected_close],
            t("days_overdue"): [fmt.count(d) if d else "" for d in stale.days_overdue],
            t("amount"): [fmt.money(a) for a in stale.amount],
            t("reason"): [t(f"reason_{r}") for r in stale.reason],
        }
    )


def stale_rows(stale: pd.DataFrame) -> pd.DataFrame:
    """For the download: every stale deal, amounts in yuan."""
    return stale.drop(columns=["stage_since"], errors="ignore").assign(
        amount=[fmt.yuan(a) for a in stale.amount]
    )


def days_frame(deals: pd.DataFrame, as_of: object) -> pd.DataFrame:
    """``label, days`` of every open deal: days in its current stage."""
    ordered = deals.assign(order=[STAGES.index(s) for s in deals.stage]).sort_values("order")
    return pd.DataFrame(
        {
            "label": [t(f"stage_{s}") for s in ordered.stage],
            "days": [(as_of - since).days for since in ordered.stage_since],
        }
    )


def trend_table(trend: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("month"): trend.month,
            t("won"): [fmt.count(v) for v in trend.won],
            t("lost"): [fmt.count(v) for v in trend.lost],
            t("win_rate"): [fmt.ratio(v) for v in trend.win_rate],
            t("average_deal"): [
                fmt.money(None if v is None else round(v)) for v in trend.average_deal
            ],
            t("cycle_days"): [
                fmt.UNDEFINED if v is None else f"{v:,.0f}" for v in trend.cycle_days
            ],
            t("open_deals"): [fmt.count(v) for v in trend.open],
            t("velocity"): [fmt.money(None if v is None else round(v)) for v in trend.velocity],
        }
    )


def trend_in_yuan(trend: pd.DataFrame) -> pd.DataFrame:
    return trend.assign(velocity=[fmt.yuan(v) for v in trend.velocity])


def forecast_frame(forecast: pd.DataFrame, names: pd.Series) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "label": [tables.label(names, r) for r in forecast.region],
            "actual": [fmt.yuan(v) for v in forecast.actual],
            "weighted": [fmt.yuan(v) for v in forecast.weighted],
            "target": [fmt.yuan(v) for v in forecast.target],
        }
    )


def forecast_table(forecast: pd.DataFrame, names: pd.Series) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("region"): [tables.label(names, r) for r in forecast.region],
            t("target"): [fmt.money(v) for v in forecast.target],
            t("actual"): [fmt.money(v) for v in forecast.actual],
            t("weighted"): [fmt.money(v) for v in forecast.weighted],
            t("forecast"): [fmt.money(v) for v in forecast.forecast],
            t("forecast_attainment"): [fmt.ratio(v) for v in forecast.forecast_attainment],
        }
    )


def headline(loaded: PipelineData) -> list[tuple[str, str]]:
    """The figures across the top: open deals, open and weighted amount, win rate, deal size,
    cycle, velocity (of the deals closed in the period)."""
    total = loaded.stages.set_index("stage").loc["total"]
    closed = loaded.closed
    velocity = core.velocity(int(total["count"]), closed)
    cycle = core.cycle_length(closed)
    deal = core.average_deal(closed)
    return [
        ("open_deals", fmt.count(total["count"])),
        ("open_amount", fmt.money(total.amount)),
        ("weighted", fmt.money(total.weighted)),
        ("win_rate", fmt.ratio(core.win_rate(closed))),
        ("average_deal", fmt.money(None if deal is None else round(deal))),
        ("cycle_days", fmt.UNDEFINED if cycle is None else f"{cycle:,.0f}"),
        ("velocity", fmt.money(None if velocity is None else round(velocity))),
    ]


def stale_days(limits: dict[str, int]) -> str:
    """Stale limits as text, e.g. ``30`` or ``14/21/30/30/14``."""
    days = list(limits.values())
    return str(days[0]) if len(set(days)) == 1 else "/".join(str(d) for d in days)


def probabilities_text(probabilities: dict[str, float]) -> str:
    """Stage probabilities in percent, e.g. ``10/20/40/60/90``."""
    return "/".join(f"{p * 100:g}" for p in probabilities.values())
