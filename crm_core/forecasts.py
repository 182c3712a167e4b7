"""Forecasts reps commit to (issue 38.3, docs/kpis.md#forecasts): per rep and month a
**commit** (what they will sell) and a **best case** (what they could), which their manager may
adjust with a note; the roll-up by region; and after the month, how close the call was.

- The form is pre-filled from the rep's pipeline: commit = actual to date + the open deals in
  stage *committed* expected to close in the month; best case = that + the deals in stage
  *developed*.
- The forecast **in force** on a day: of the records dated on or before it, each figure is the
  manager's latest adjustment of it where there is one (an adjustment stands when the rep
  submits again, as Salesforce keeps a manager's adjustment), else the rep's latest
  submission. Every record is kept, so the call can be followed week by week.
- **Accuracy** of a month: the commit in force at the month's end against the month's revenue,
  error = (forecast − actual) ÷ actual (undefined without revenue). **Bias** = the mean error
  over the last :data:`BIAS_MONTHS` months that have one: below −:data:`BIAS_BAND` the rep
  sandbags, above +:data:`BIAS_BAND` they are optimistic.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

import pandas as pd

from crm_core import inputs
from crm_core.periods import Period, month_period, shift_month

KINDS = ("submitted", "adjusted")
NOTE_MAX = 500
MAX_YUAN = Decimal("1000000000000")  # ¥1 trillion, the import's limit for one amount
BIAS_MONTHS = 6
BIAS_BAND = 0.10
RECORD_COLUMNS = ["id", "rep", "month", "kind", "commit", "best_case", "note", "day", "made_by"]
FORECAST_COLUMNS = [
    "rep", "name", "region", "target", "actual", "pipeline_commit", "pipeline_best_case",
    "submitted_commit", "submitted_best_case", "submitted_on", "commit", "best_case",
    "adjusted_on", "adjusted_by", "note", "weighted_pipeline",
]  # fmt: skip
# what in_force() gives per rep
FORCE_COLUMNS = FORECAST_COLUMNS[7:15]
MONEY = ("target", "actual", "pipeline_commit", "pipeline_best_case", "submitted_commit",
         "submitted_best_case", "commit", "best_case", "weighted_pipeline")  # fmt: skip
ROLLUP_COLUMNS = ["region", "reps", "submitted", "target", "actual", "submitted_commit",
                  "submitted_best_case", "commit", "best_case", "weighted_pipeline"]  # fmt: skip
MOVEMENT_COLUMNS = ["day", "submitted_commit", "commit", "best_case"]
ACCURACY_COLUMNS = ["rep", "name", "region", "month", "forecast", "actual", "error", "bias",
                    "months", "tendency"]  # fmt: skip
REPORT_COLUMNS = ["rep", "name", "target", "actual", "commit", "best_case", "weighted_pipeline",
                  "submitted_on", "last_error", "bias", "tendency"]  # fmt: skip
REGION_ACCURACY_COLUMNS = ["region", "month", "reps", "forecast", "actual", "error", "bias",
                           "months", "tendency"]  # fmt: skip


def amount_cents(value: object, what: str) -> int:
    """An amount in yuan typed or passed (``"1,250,000.50"``, ``¥800000``, 800000.0) in cents:
    at least 0, at most ¥1 trillion, at most two decimals."""
    text = str(value).replace("¥", "").replace("￥", "").replace(",", "").strip()
    try:
        yuan = Decimal(text)
    except InvalidOperation:
        raise inputs.InputRefused(f"{what}: expected an amount in yuan, found {value!r}") from None
    if not yuan.is_finite() or yuan < 0 or yuan > MAX_YUAN:
        raise inputs.InputRefused(
            f"{what}: expected an amount from ¥0 to ¥{MAX_YUAN:,}, found {value!r}"
        )
    cents = yuan * 100
    if cents != cents.to_integral_value():
        raise inputs.InputRefused(f"{what}: expected at most 2 decimals, found {value!r}")
    return int(cents)


def checked_pair(commit: int | None, best_case: int | None) -> None:
    """A best case below the commit is no best case: refused, naming both."""
    if commit is not None and best_case is not None and best_case < commit:
        raise inputs.InputRefused(
            f"best case: expected at least the commit (¥{commit / 100:,.2f}), "
            f"found ¥{best_case / 100:,.2f}"
        )


def note_text(text: str | None, required: bool) -> str | None:
    """A note of at most :data:`NOTE_MAX` characters; an adjustment must say why."""
    said = (inputs.free_text(text, "note", NOTE_MAX) or "").strip()
    if required and not said:
        raise inputs.InputRefused("note: say why the forecast is adjusted")
    return said or None


def pipeline_call(actual: int, committed: int, developed: int) -> tuple[int, int]:
    """The pre-filled ``(commit, best case)``: actual to date + the committed deals of the
    month, and that + its developed deals (cents)."""
    return actual + committed, actual + committed + developed


def in_force(records: pd.DataFrame, day: date) -> dict[str, dict[str, Any]]:
    """Per rep, the forecast in force at the end of ``day`` from ``records`` (one month,
    :data:`RECORD_COLUMNS`): ``submitted_commit, submitted_best_case, submitted_on`` (the
    latest submission), ``commit, best_case`` (each the latest adjustment of it, else the
    submission's), ``adjusted_on, adjusted_by, note`` (the latest adjustment)."""
    found: dict[str, dict[str, Any]] = {}
    dated = records[[d <= day for d in records.day]] if len(records) else records
    for row in dated.sort_values(["day", "id"]).to_dict("records"):
        rep = found.setdefault(row["rep"], dict.fromkeys(FORCE_COLUMNS))
        rep.setdefault("adjusted_commit", None)
        rep.setdefault("adjusted_best_case", None)
        if row["kind"] == "submitted":
            rep["submitted_commit"], rep["submitted_best_case"] = row["commit"], row["best_case"]
            rep["submitted_on"] = row["day"]
        else:
            for figure in ("commit", "best_case"):
                if row[figure] is not None and not pd.isna(row[figure]):
                    rep[f"adjusted_{figure}"] = row[figure]
            rep["adjusted_on"], rep["adjusted_by"], rep["note"] = (
                row["day"], row["made_by"], row["note"],
            )  # fmt: skip
    for rep in found.values():
        for figure in ("commit", "best_case"):
            adjusted = rep.pop(f"adjusted_{figure}")
            rep[figure] = adjusted if adjusted is not None else rep[f"submitted_{figure}"]
    return found


def forecast_table(month_inputs: pd.DataFrame, records: pd.DataFrame, day: date) -> pd.DataFrame:
    """Per rep of ``month_inputs`` (``rep, name, region, target, actual, committed,
    developed, weighted``: the month's target, actual to date and open deals expected in it,
    cents): :data:`FORECAST_COLUMNS`, the forecast in force at the end of ``day``. A rep
    without a record has no submitted or in-force figures (``None``)."""
    forces = in_force(records, day)
    rows = []
    for rep in month_inputs.to_dict("records"):
        commit, best = pipeline_call(int(rep["actual"]), int(rep["committed"]),
                                     int(rep["developed"]))  # fmt: skip
        force = forces.get(rep["rep"], dict.fromkeys(FORCE_COLUMNS))
        rows.append({"rep": rep["rep"], "name": rep["name"], "region": rep["region"],
                     "target": rep["target"], "actual": int(rep["actual"]),
                     "pipeline_commit": commit, "pipeline_best_case": best, **force,
                     "weighted_pipeline": round(rep["weighted"])})  # fmt: skip
    frame = pd.DataFrame(rows, columns=FORECAST_COLUMNS, dtype=object)
    return frame.where(frame.notna(), None)


def _total(values: Iterable[object]) -> int | None:
    """The sum of the values that are there; ``None`` when none is."""
    there = [int(v) for v in values if v is not None and not pd.isna(v)]  # type: ignore[call-overload]
    return sum(there) if there else None


def rollup(table: pd.DataFrame, key: str = "region") -> pd.DataFrame:
    """:func:`forecast_table` summed by ``key`` (:data:`ROLLUP_COLUMNS`): ``reps``, how many
    of them ``submitted``; each money figure the sum over the reps that have it (``None``
    when none has; a rep without a forecast adds nothing to the forecast sums)."""
    rows = []
    for who, group in table.groupby(key, sort=True):
        rows.append({key: who, "reps": len(group),
                     "submitted": int(sum(v is not None for v in group.submitted_on)),
                     **{c: _total(group[c]) for c in ROLLUP_COLUMNS[3:]}})  # fmt: skip
    columns = [key, *ROLLUP_COLUMNS[1:]]
    frame = pd.DataFrame(rows, columns=columns, dtype=object)
    return frame.where(frame.notna(), None)


def checkpoints(month: Period, as_of: date) -> list[date]:
    """The days the call is followed on: the end of each week (Sunday) of ``month`` up to
    ``as_of``, the month's end, and ``as_of`` itself when inside the month."""
    last = min(month.end, as_of)
    days = []
    day = month.start + timedelta(days=(6 - month.start.weekday()))
    while day < last:
        days.append(day)
        day += timedelta(days=7)
    return [*days, last] if last >= month.start else []


def movement(records: pd.DataFrame, days: Sequence[date]) -> pd.DataFrame:
    """How the call moved: at the end of each of ``days`` the sum over reps of the submitted
    commit and of the commit and best case in force (:data:`MOVEMENT_COLUMNS`)."""
    rows = []
    for day in days:
        forces = in_force(records, day).values()
        rows.append({"day": day,
                     "submitted_commit": _total(f["submitted_commit"] for f in forces),
                     "commit": _total(f["commit"] for f in forces),
                     "best_case": _total(f["best_case"] for f in forces)})  # fmt: skip
    frame = pd.DataFrame(rows, columns=MOVEMENT_COLUMNS, dtype=object)
    return frame.where(frame.notna(), None)


def error(forecast: int | None, actual: int) -> float | None:
    """(forecast − actual) ÷ actual; undefined without a forecast or without revenue."""
    if forecast is None or actual <= 0:
        return None
    return (forecast - actual) / actual


def tendency(bias: float | None) -> str | None:
    """``sandbagging``, ``optimistic`` or ``accurate`` for a bias (``None`` without one)."""
    if bias is None:
        return None
    if bias < -BIAS_BAND:
        return "sandbagging"
    return "optimistic" if bias > BIAS_BAND else "accurate"


def bias_months(month: str) -> list[str]:
    """The :data:`BIAS_MONTHS` months ending with ``month``, oldest first."""
    return [shift_month(month, k - BIAS_MONTHS + 1) for k in range(BIAS_MONTHS)]


def month_end_forecasts(records: pd.DataFrame, months: Sequence[str]) -> dict[tuple[str, str], int]:
    """``(rep, month) → the commit in force at the end of the month`` for each of ``months``
    (records of any months, :data:`RECORD_COLUMNS`)."""
    found: dict[tuple[str, str], int] = {}
    for month in months:
        own = records[records.month == month] if len(records) else records
        for rep, force in in_force(own, month_period(month).end).items():
            if force["commit"] is not None:
                found[(rep, month)] = int(force["commit"])
    return found


def sales_by_rep_month(actuals: pd.DataFrame) -> dict[tuple[str, str], int]:
    """``(rep, month) → revenue`` (cents) of a frame of ``rep, month, revenue``."""
    return {(r, m): int(v) for r, m, v in zip(actuals.rep, actuals.month, actuals.revenue,
                                              strict=True)}  # fmt: skip


def _bias(errors: Iterable[float | None]) -> tuple[float | None, int]:
    there = [e for e in errors if e is not None]
    return (sum(there) / len(there) if there else None), len(there)


def accuracy(reps: pd.DataFrame, records: pd.DataFrame, actuals: pd.DataFrame,
             month: str) -> pd.DataFrame:  # fmt: skip
    """Per rep of ``reps`` (``rep, name, region``) with a forecast in force at the end of
    ``month`` or of one of the :data:`BIAS_MONTHS` before it: :data:`ACCURACY_COLUMNS`.
    ``actuals``: ``rep, month, revenue`` (cents). ``forecast``/``actual``/``error`` are of
    ``month``; ``bias`` the mean error of the months of the window that have one, ``months``
    how many."""
    window = bias_months(month)
    forecasts = month_end_forecasts(records, window)
    sold = sales_by_rep_month(actuals)
    rows = []
    for rep in reps.to_dict("records"):
        mine = [m for m in window if (rep["rep"], m) in forecasts]
        if not mine:
            continue
        errors = [error(forecasts[(rep["rep"], m)], sold.get((rep["rep"], m), 0)) for m in mine]
        bias, counted = _bias(errors)
        forecast = forecasts.get((rep["rep"], month))
        actual = sold.get((rep["rep"], month), 0)
        rows.append({**{k: rep[k] for k in ("rep", "name", "region")}, "month": month,
                     "forecast": forecast, "actual": actual, "error": error(forecast, actual),
                     "bias": bias, "months": counted, "tendency": tendency(bias)})  # fmt: skip
    frame = pd.DataFrame(rows, columns=ACCURACY_COLUMNS, dtype=object)
    return frame.where(frame.notna(), None)


def region_accuracy(reps: pd.DataFrame, records: pd.DataFrame, actuals: pd.DataFrame,
                    month: str) -> pd.DataFrame:  # fmt: skip
    """Per region: each month's forecast is the sum of its reps' forecasts and its actual the
    sum of those same reps' revenue (a rep without a forecast counts in neither);
    :data:`REGION_ACCURACY_COLUMNS`, ``reps`` the reps with a forecast in ``month``."""
    window = bias_months(month)
    forecasts = month_end_forecasts(records, window)
    sold = sales_by_rep_month(actuals)
    region_of = dict(zip(reps.rep, reps.region, strict=True))
    sums: dict[tuple[str, str], list[int]] = {}
    for (rep, m), called in forecasts.items():
        if rep in region_of:
            total = sums.setdefault((region_of[rep], m), [0, 0, 0])
            total[0] += called
            total[1] += sold.get((rep, m), 0)
            total[2] += 1
    rows = []
    for region in sorted({r for r, _ in sums}):
        bias, counted = _bias(error(*sums[(region, m)][:2]) for m in window
                              if (region, m) in sums)  # fmt: skip
        this = sums.get((region, month))
        forecast: int | None = this[0] if this else None
        actual, count = (this[1], this[2]) if this else (0, 0)
        rows.append({"region": region, "month": month, "reps": count, "forecast": forecast,
                     "actual": actual, "error": error(forecast, actual), "bias": bias,
                     "months": counted, "tendency": tendency(bias)})  # fmt: skip
    frame = pd.DataFrame(rows, columns=REGION_ACCURACY_COLUMNS, dtype=object)
    return frame.where(frame.notna(), None)


def by_error(table: pd.DataFrame) -> pd.DataFrame:
    """Accuracy rows, the largest error either way first (undefined last)."""
    size = [abs(e) if e is not None else -1.0 for e in table.error]
    return (
        table.assign(_size=size)
        .sort_values("_size", ascending=False, kind="stable")
        .drop(columns="_size")
        .reset_index(drop=True)
    )


def report_rows(table: pd.DataFrame, accuracy_table: pd.DataFrame) -> pd.DataFrame:
    """The Monday report's Forecast section (:data:`REPORT_COLUMNS`): each rep's call of the
    meeting's month (:func:`forecast_table`) with the error of their last month's call and
    their bias (:func:`accuracy`). Reps who have not called the month first, then the
    shortest commit against target; reps without a target last."""
    past = accuracy_table.set_index("rep") if len(accuracy_table) else None
    rows = []
    for row in table.to_dict("records"):
        known = past is not None and row["rep"] in past.index
        before = past.loc[row["rep"]] if known else {}  # type: ignore[union-attr]
        rows.append({**{c: row[c] for c in REPORT_COLUMNS[:8]},
                     "last_error": before.get("error") if known else None,
                     "bias": before.get("bias") if known else None,
                     "tendency": before.get("tendency") if known else None})  # fmt: skip

    def order(row: dict[str, Any]) -> tuple[int, float]:
        if row["commit"] is None:
            return 0, 0.0
        if row["target"] is None:
            return 2, 0.0
        return 1, float(row["commit"]) - float(row["target"])

    frame = pd.DataFrame(sorted(rows, key=order), columns=REPORT_COLUMNS, dtype=object)
    return frame.where(frame.notna(), None)
