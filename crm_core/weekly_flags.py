"""Exceptions of the Monday report (issue 15): each flag names the rule that raised it, how
far off the rep is and how serious that is, so that the meeting starts with the few items that
need a decision instead of a column of "yes".

Rules (thresholds in :class:`FlagRules`, configurable with ``CRM_WEEKLY_RULES``):

- ``behind_target``: week revenue below the week target by at least ``behind_share`` of it
  (default 10 %); high from ``behind_high`` (30 %). Size: the gap in cents.
- ``daily_reports``: late plus missing daily reports of the week's working days at least
  ``reports`` (default 2); medium from ``reports_medium`` (4).
- ``effective_rate``: effective visit rate below the team median by at least
  ``effective_gap`` (15 points); medium from ``effective_gap_medium`` (25 points). Only for
  reps with at least ``min_done`` (5) done activities: a rate of two visits says nothing.
- ``key_customer``: a key customer without a done call or visit for more than
  ``key_silence_days`` (45) days at the week's end, or never; high from ``key_silence_high``
  (90) days or when one was never contacted.

Severity 3 = high, 2 = medium, 1 = low; the report orders flags by severity, then size.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, fields, replace

import pandas as pd

from crm_core.formatting import missing

HIGH, MEDIUM, LOW = 3, 2, 1
FLAG_COLUMNS = ["rep", "name", "region", "rule", "severity", "size", "values"]


@dataclass(frozen=True)
class FlagRules:
    behind_share: float = 0.10
    behind_high: float = 0.30
    reports: int = 2
    reports_medium: int = 4
    effective_gap: float = 0.15
    effective_gap_medium: float = 0.25
    min_done: int = 5
    key_silence_days: int = 45
    key_silence_high: int = 90
    top: int = 10


def parse_rules(text: str | None) -> FlagRules:
    """``"behind_share=0.2,reports=3"`` over the defaults; an unknown name or a bad number is
    a :class:`ValueError` naming it."""
    rules = FlagRules()
    if not text:
        return rules
    kinds = {f.name: f.type for f in fields(FlagRules)}
    changes: dict[str, float | int] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, _, raw = part.partition("=")
        name = name.strip()
        if name not in kinds:
            raise ValueError(f"CRM_WEEKLY_RULES: unknown rule {name!r}; known: {', '.join(kinds)}")
        try:
            changes[name] = int(raw) if kinds[name] == "int" else float(raw)
        except ValueError:
            raise ValueError(f"CRM_WEEKLY_RULES: {name} expects a number, found {raw!r}") from None
    return replace(rules, **changes)


def rep_flags(
    reps: pd.DataFrame, silent_key_customers: pd.DataFrame, rules: FlagRules
) -> pd.DataFrame:
    """Every flag of the week, most serious first. ``reps``: the per-rep week table
    (``rep, name, region, week_target, week_revenue, done, effective_rate, reports_late,
    reports_missing``); ``silent_key_customers``: ``rep, customers, days`` (key customers
    past ``key_silence_days`` and the longest silence). Columns :data:`FLAG_COLUMNS`;
    ``values`` holds the numbers the reason is written with."""
    median = _team_median(reps, rules)
    silent = {row.rep: row for row in silent_key_customers.itertuples()}
    flags: list[dict] = []
    for rep in reps.itertuples():
        base = {"rep": rep.rep, "name": rep.name, "region": rep.region}
        flags += [
            {**base, **flag}
            for flag in (
                _behind(rep, rules),
                _reports(rep, rules),
                _effective(rep, median, rules),
                _silence(silent.get(rep.rep), rules),
            )
            if flag
        ]
    frame = pd.DataFrame(flags, columns=FLAG_COLUMNS)
    if frame.empty:
        return frame
    return frame.sort_values(
        ["severity", "size", "rep"], ascending=[False, False, True], ignore_index=True
    )


def _team_median(reps: pd.DataFrame, rules: FlagRules) -> float | None:
    rates = [
        r.effective_rate
        for r in reps.itertuples()
        if not missing(r.effective_rate) and r.done >= rules.min_done
    ]
    return statistics.median(rates) if rates else None


def _behind(rep: object, rules: FlagRules) -> dict | None:
    target, sold = rep.week_target, rep.week_revenue
    if missing(target) or target <= 0:
        return None
    gap = target - sold
    if gap < rules.behind_share * target:
        return None
    severity = HIGH if gap >= rules.behind_high * target else MEDIUM
    values = {"gap": int(gap), "target": int(target), "share": gap / target}
    return {"rule": "behind_target", "severity": severity, "size": float(gap), "values": values}


def _reports(rep: object, rules: FlagRules) -> dict | None:
    count = int(rep.reports_late) + int(rep.reports_missing)
    if count < rules.reports:
        return None
    severity = MEDIUM if count >= rules.reports_medium else LOW
    values = {"late": int(rep.reports_late), "missing": int(rep.reports_missing)}
    return {"rule": "daily_reports", "severity": severity, "size": float(count), "values": values}


def _effective(rep: object, median: float | None, rules: FlagRules) -> dict | None:
    rate = rep.effective_rate
    if median is None or missing(rate) or rep.done < rules.min_done:
        return None
    gap = median - rate
    if gap < rules.effective_gap:
        return None
    severity = MEDIUM if gap >= rules.effective_gap_medium else LOW
    values = {"rate": rate, "median": median, "gap": gap}
    return {"rule": "effective_rate", "severity": severity, "size": gap, "values": values}


def _silence(silent: object | None, rules: FlagRules) -> dict | None:
    if silent is None or not silent.customers:
        return None
    days = int(silent.days) if not missing(silent.days) else None
    never = int(getattr(silent, "never", 0) or 0)
    longest = days if days is not None else 0
    severity = HIGH if never or longest >= rules.key_silence_high else MEDIUM
    values = {"customers": int(silent.customers), "days": days, "never": never,
              "limit": rules.key_silence_days}  # fmt: skip
    size = float(longest + 1000 * never)
    return {"rule": "key_customer", "severity": severity, "size": size, "values": values}


def silent_key_customers(cadence_table: pd.DataFrame, rules: FlagRules) -> pd.DataFrame:
    """Per rep: key customers without a done call or visit for over ``key_silence_days``
    (``customers``), the longest such silence among those ever contacted (``days``, None when
    none was) and how many were never contacted (``never``). ``cadence_table``:
    ``owner_rep_id, priority, days_since_contact`` (:func:`crm_core.efficiency.cadence`)."""
    columns = ["rep", "customers", "days", "never"]
    if cadence_table.empty:
        return pd.DataFrame(columns=columns)
    key = cadence_table[cadence_table.priority == "key"]
    silent: dict[str, list[int]] = {}
    never: dict[str, int] = {}
    for rep, days in zip(key.owner_rep_id, key.days_since_contact, strict=True):
        if missing(days) or pd.isna(days):
            never[rep] = never.get(rep, 0) + 1
        elif int(days) > rules.key_silence_days:
            silent.setdefault(rep, []).append(int(days))
    reps = sorted(set(silent) | set(never))
    rows = [
        (rep, len(silent.get(rep, [])) + never.get(rep, 0),
         max(silent[rep]) if rep in silent else None, never.get(rep, 0))
        for rep in reps
    ]  # fmt: skip
    frame = pd.DataFrame(rows, columns=columns).astype(object)
    return frame.where(frame.notna(), None)


def region_table(reps: pd.DataFrame, region_names: dict[str, str]) -> pd.DataFrame:
    """Per region: week target and revenue summed over its reps, attainment, the gap (target −
    revenue) and the rank by attainment (1 = best; no target ranks last)."""
    columns = ["region", "region_name", "week_target", "week_revenue", "attainment", "gap", "rank"]
    if reps.empty:
        return pd.DataFrame(columns=columns)
    rows = []
    for region, mine in reps.groupby("region", sort=True):
        target = sum(int(t) for t in mine.week_target if not missing(t))
        sold = sum(int(s) for s in mine.week_revenue)
        share = sold / target if target else None
        rows.append((region, region_names.get(region, region), target or None, sold, share,
                     (target - sold) if target else None))  # fmt: skip
    frame = pd.DataFrame(rows, columns=columns[:-1])
    order = sorted(
        range(len(frame)),
        key=lambda i: (frame.attainment[i] is None, -(frame.attainment[i] or 0), frame.region[i]),
    )
    frame["rank"] = 0
    for rank, i in enumerate(order, start=1):
        frame.loc[i, "rank"] = rank
    return frame.sort_values("rank", ignore_index=True).astype(object)
