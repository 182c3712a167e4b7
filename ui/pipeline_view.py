"""Formatting for the pipeline page (docs/kpis.md#pipeline-health): chart frames in yuan, tables
for people."""

from __future__ import annotations

import pandas as pd

from crm_core import formatting as fmt
from crm_core.pipeline import STAGES
from services.reads import PipelineData
from ui import tables, units
from ui.i18n import t, t_each

Table = tuple[pd.DataFrame, dict[str, object]]

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


def funnel_table(stages: pd.DataFrame, conversion: pd.DataFrame) -> Table:
    """Per stage: open count, amount, probability, weighted; of the cohort: entered, moved on,
    conversion, average days in stage. Numbers stay numbers."""
    merged = stages.merge(conversion, on="stage", how="left")
    columns = ["stage", "count", "amount", "probability", "weighted", "entered", "advanced"]
    frame = merged[[*columns, "conversion", "avg_days"]].rename(
        columns={"conversion": "stage_conversion"}
    )
    kinds = {"count": "count", "amount": "money", "probability": "ratio", "weighted": "money",
             "entered": "count", "advanced": "count", "stage_conversion": "ratio",
             "avg_days": "decimal"}  # fmt: skip
    return tables.numeric_view(frame, kinds, codes={"stage": "stage_"})


def coverage_missing(table: pd.DataFrame) -> str | None:
    """What a month's coverage cannot be drawn without: ``no_targets`` (no rep has a target
    of the month yet), ``no_deals`` (no open deal is expected to close in it), else ``None``."""
    if (table.status == "no_target").all():
        return "no_targets"
    if not any(not fmt.missing(p) and p > 0 for p in table.pipeline):
        return "no_deals"
    return None


def coverage_frame(table: pd.DataFrame, names: pd.Series) -> pd.DataFrame:
    """For the chart: the :data:`CHART_REPS` thinnest reps that have a target (a rep without
    one has nothing to cover and would be an empty bar), ``rep, label, shown`` (coverage capped at
    5×), ``coverage, coverage_text`` (``0.0×`` written beside an empty bar), ``status,
    status_text``; a met target shows as a full bar."""
    table = table[table.status != "no_target"].head(CHART_REPS)
    met = t("cover_met")
    return pd.DataFrame(
        {
            "rep": list(table.rep),
            "label": [tables.label(names, r) for r in table.rep],
            "shown": [
                5.0 if s == "met" else min(float(c or 0), 5.0)
                for c, s in zip(table.coverage, table.status, strict=True)
            ],
            "coverage": list(table.coverage),
            "coverage_text": [
                met if s == "met" else f"{float(c or 0):.1f}×"
                for c, s in zip(table.coverage, table.status, strict=True)
            ],
            "status": list(table.status),
            "status_text": t_each(f"cover_{s}" for s in table.status),
        }
    )


def coverage_table(table: pd.DataFrame, names: pd.Series) -> tuple[object, dict[str, object]]:
    """Rep, target, actual, still to sell, pipeline, coverage, status; short rows red, thin
    rows amber; numbers stay numbers."""
    frame = pd.DataFrame(
        {
            "rep": [tables.label(names, r) for r in table.rep],
            **{c: list(table[c]) for c in ("target", "actual", "remaining", "pipeline")},
            "coverage": list(table.coverage),
            "status": list(table.status),
        }
    )
    kinds = {**dict.fromkeys(("target", "actual", "remaining", "pipeline"), "money"),
             "coverage": "multiple"}  # fmt: skip
    shown, config = tables.numeric_view(frame, kinds, codes={"status": "cover_"})
    return tables.shade_rows(shown, [SHADES.get(s) for s in table.status]), config


def stale_table(stale: pd.DataFrame, names: pd.Series) -> Table:
    frame = pd.DataFrame(
        {
            "opportunity": [
                f"{n} ({o})" for n, o in zip(stale.name, stale.opportunity_id, strict=True)
            ],
            "customer": list(stale.customer),
            "rep": [tables.label(names, r) for r in stale.rep],
            "stage": list(stale.stage),
            "days_in_stage": list(stale.days_in_stage),
            "expected_close": list(stale.expected_close),
            "days_overdue": [d or None for d in stale.days_overdue],
            "amount": list(stale.amount),
            "reason": list(stale.reason),
        }
    )
    kinds = {"days_in_stage": "count", "days_overdue": "count", "amount": "money"}
    return tables.numeric_view(frame, kinds, codes={"stage": "stage_", "reason": "reason_"})


def stale_rows(stale: pd.DataFrame, names: pd.Series) -> pd.DataFrame:
    """For the download: every stale deal as on screen (headers in words, money in yuan)."""
    return stale_table(stale, names)[0]


def days_frame(deals: pd.DataFrame, as_of: object) -> pd.DataFrame:
    """``label, days`` of every open deal: days in its current stage."""
    ordered = deals.assign(order=[STAGES.index(s) for s in deals.stage.tolist()])
    ordered = ordered.sort_values("order")
    return pd.DataFrame(
        {
            "label": t_each(f"stage_{s}" for s in ordered.stage.tolist()),
            "days": [(as_of - since).days for since in ordered.stage_since.tolist()],
        }
    )


def trend_table(trend: pd.DataFrame) -> Table:
    columns = ["month", "won", "lost", "win_rate", "average_deal", "cycle_days", "open",
               "velocity"]  # fmt: skip
    frame = trend[columns].rename(columns={"open": "open_deals"})
    kinds = {"won": "count", "lost": "count", "win_rate": "ratio", "average_deal": "money",
             "cycle_days": "count", "open_deals": "count", "velocity": "money"}  # fmt: skip
    return tables.numeric_view(frame, kinds)


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


def forecast_table(forecast: pd.DataFrame, names: pd.Series) -> Table:
    frame = forecast[["region", "target", "actual", "weighted", "forecast"]].assign(
        region=[tables.label(names, r) for r in forecast.region],
        forecast_attainment=list(forecast.forecast_attainment),
    )
    kinds = {**dict.fromkeys(("target", "actual", "weighted", "forecast"), "money"),
             "forecast_attainment": "ratio"}  # fmt: skip
    return tables.numeric_view(frame, kinds)


def headline(loaded: PipelineData) -> list[tuple[str, str, str | None]]:
    """The figures across the top: open deals, open and weighted amount, win rate, deal size,
    cycle, velocity (of the deals closed in the period); each with the exact sum to hover when
    it is money shortened to fit its card."""
    total = loaded.stages.set_index("stage").loc["total"]
    outcome = loaded.outcomes.iloc[0]  # the same figures as `kpi win_rate`
    cycle = outcome.cycle_days
    return [
        ("open_deals", fmt.count(total["count"]), None),
        ("open_amount", *units.card_money(total.amount)),
        ("weighted", *units.card_money(total.weighted)),
        ("win_rate", fmt.ratio(outcome.win_rate), None),
        ("average_deal", *units.card_money(outcome.average_deal)),
        ("cycle_days", fmt.UNDEFINED if cycle is None else f"{cycle:,.0f}", None),
        ("velocity", *units.card_money(outcome.velocity)),
    ]


def stale_days(limits: dict[str, int]) -> str:
    """Stale limits as text, e.g. ``30`` or ``14/21/30/30/14``."""
    days = list(limits.values())
    return str(days[0]) if len(set(days)) == 1 else "/".join(str(d) for d in days)


def probabilities_text(probabilities: dict[str, float]) -> str:
    """Stage probabilities in percent, e.g. ``10/20/40/60/90``."""
    return "/".join(f"{p * 100:g}" for p in probabilities.values())
