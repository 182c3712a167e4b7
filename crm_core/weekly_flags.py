"""Exceptions of the Monday report (issues 15 and 37): a flag names the rule that raised it,
how far off the subject is and the money at stake, so that the meeting starts with the few
items that need a decision. A rep is judged against their own pace: a weak week while the
month is on pace is not an exception, and small lapses (one late report, a rate a few points
under the median, one key customer a few days past the limit) are not decisions.

Rules (thresholds in :class:`FlagRules`, configurable with ``CRM_WEEKLY_RULES``):

- ``behind_pace`` (rep): behind on all three of the week (revenue under ``1 − behind_share``,
  50 %, of the week target), the last four weeks (under ``1 − recent_share``, 50 %, of their
  target; high under ``1 − recent_high``, 30 %) and the month to date (under
  ``1 − pace_share``, 85 %, of the target due by the week's end; the month is the one the ISO
  week belongs to, its Thursday's). At stake: the shortfall over the four weeks.
- ``daily_reports`` (rep): at least ``reports_missing`` (2) working days without a report, or
  late plus missing at least ``reports`` (5, every working day); medium from
  ``reports_missing_medium`` (3) missing.
- ``effective_rate`` (rep): effective visit rate below the team median by at least
  ``effective_gap`` (25 points); medium from ``effective_gap_medium`` (35). Only for reps with
  at least ``min_done`` (10) done activities.
- ``key_customer`` (rep): at least ``key_customers`` (2) key customers without a done call or
  visit for more than ``key_silence_days`` (45) days at the week's end, or one silent for
  ``key_silence_high`` (90) days or never contacted (then high). At stake: four average weeks
  of those customers' revenue of the last 12 months.
- ``region_behind`` (region, only in a report of several regions): the region's last four
  weeks under ``1 − region_recent_share`` (85 %) of their target (high under
  ``1 − region_recent_high``, 70 %) and its month to date under ``1 − pace_share``.
- ``region_reports`` (region, idem): at least ``region_missing_share`` (15 %) of the daily
  reports due in the week's working days missing.

Every other rep flag puts the rep's four-week shortfall at stake (0 when on pace).

The decisions (:func:`decision_items`): one item per region or rep, its flags together; region
items first, then reps; the most serious item of each kind of problem first, then the rest, by
severity (3 = high, 2 = medium, 1 = low), then money at stake. At most ``top`` (10) open the
report; the rest are one click away.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, fields, replace
from typing import Any

import pandas as pd

from crm_core.formatting import missing

HIGH, MEDIUM, LOW = 3, 2, 1
Row = Any  # a row of a frame's itertuples(): its columns as attributes, untyped
Flag = dict[str, Any]  # one flag: rule, severity, size, money at stake and its values
FLAG_COLUMNS = ["rep", "name", "region", "rule", "severity", "size", "at_stake", "values"]
REGION_FLAG_COLUMNS = ["region", "name", "rule", "severity", "at_stake", "values"]
ITEM_COLUMNS = ["kind", "about", "name", "region", "severity", "at_stake", "findings"]


# Names of the rules before reps were judged against their own pace (issue 37), and what
# took their place, so that an old setting is answered with the new name, not a bare refusal.
REPLACED = {
    "behind_high": "a rep is high when the last four weeks are under 1 − recent_high",
    "reports_medium": "daily reports are medium from reports_missing_medium missing days",
}


@dataclass(frozen=True)
class FlagRules:
    behind_share: float = 0.50
    pace_share: float = 0.15
    recent_share: float = 0.50
    recent_high: float = 0.70
    reports: int = 5
    reports_missing: int = 2
    reports_missing_medium: int = 3
    effective_gap: float = 0.25
    effective_gap_medium: float = 0.35
    min_done: int = 10
    key_customers: int = 2
    key_silence_days: int = 45
    key_silence_high: int = 90
    region_recent_share: float = 0.15
    region_recent_high: float = 0.30
    region_missing_share: float = 0.15
    top: int = 10


def parse_rules(text: str | None) -> FlagRules:
    """``"behind_share=0.2,reports=3"`` over the defaults; an unknown name or a bad number is
    a :class:`ValueError` naming it."""
    rules = FlagRules()
    if not text:
        return rules
    kinds = {f.name: f.type for f in fields(FlagRules)}
    changes: dict[str, Any] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, _, raw = part.partition("=")
        name = name.strip()
        if name in REPLACED:
            raise ValueError(f"CRM_WEEKLY_RULES: {name} is no longer a rule: {REPLACED[name]}")
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
    (``rep, name, region, week_target, week_revenue, month_target, mtd_target, mtd_revenue,
    done, effective_rate, reports_late, reports_missing``); ``silent_key_customers``: ``rep,
    customers, days, never`` (:func:`silent_key_customers`). Columns :data:`FLAG_COLUMNS`;
    ``at_stake``: the money a flag puts at risk (cents): for silent key customers four
    average weeks of their revenue of the last 12 months, else the rep's shortfall over the
    last four weeks (0 when on pace); ``values`` holds the numbers the reason is written
    with."""
    median = _team_median(reps, rules)
    silent = {row.rep: row for row in silent_key_customers.itertuples()}
    flags: list[dict[str, Any]] = []
    for rep in reps.itertuples():
        base = {"rep": rep.rep, "name": rep.name, "region": rep.region,
                "at_stake": shortfall(rep.recent_target, rep.recent_revenue)}  # fmt: skip
        flags += [
            {**base, **flag, "at_stake": flag.get("at_stake", base["at_stake"])}
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
        ["severity", "at_stake", "size", "rep"],
        ascending=[False, False, False, True],
        ignore_index=True,
    )


def shortfall(target: Any, sold: Any) -> int:
    """What ``sold`` lacks of ``target`` (cents), 0 when it reaches it or there is no target."""
    if missing(target):
        return 0
    return max(int(target) - int(sold or 0), 0)


def _team_median(reps: pd.DataFrame, rules: FlagRules) -> float | None:
    rates = [
        r.effective_rate
        for r in reps.itertuples()
        if not missing(r.effective_rate) and r.done >= rules.min_done
    ]
    return statistics.median(rates) if rates else None


def _share(sold: Any, target: Any) -> float | None:
    """``sold / target``, ``None`` without a positive target."""
    if missing(target) or target <= 0:
        return None
    return int(sold or 0) / int(target)


def _behind(rep: Row, rules: FlagRules) -> Flag | None:
    """Behind the week, the month to date and the last four weeks all three (a month or a
    window not known does not speak for the rep)."""
    week = _share(rep.week_revenue, rep.week_target)
    month_to_date = _share(rep.mtd_revenue, rep.mtd_target)
    recent = _share(rep.recent_revenue, rep.recent_target)
    if week is None or recent is None or week >= 1 - rules.behind_share:
        return None
    if recent >= 1 - rules.recent_share:
        return None
    if month_to_date is not None and month_to_date >= 1 - rules.pace_share:
        return None
    values = {"week_share": week, "sold": int(rep.week_revenue), "target": int(rep.week_target),
              "gap": int(rep.week_target) - int(rep.week_revenue), "recent": recent,
              **_month_values(rep.mtd_revenue, rep.mtd_target, rep.month_target)}  # fmt: skip
    severity = HIGH if recent < 1 - rules.recent_high else MEDIUM
    size = float(shortfall(rep.recent_target, rep.recent_revenue))
    return {"rule": "behind_pace", "severity": severity, "size": size, "values": values}


def _month_values(sold: Any, due: Any, month: Any) -> dict[str, float | None]:
    """The month-to-date facts of a reason: the share of the month's target sold and the share
    of it due by now (``None`` without a month target)."""
    if missing(month) or not month or missing(due):
        return {"month_share": None, "elapsed": None}
    return {"month_share": int(sold or 0) / int(month), "elapsed": int(due) / int(month)}


def _reports(rep: Row, rules: FlagRules) -> Flag | None:
    late, absent = int(rep.reports_late), int(rep.reports_missing)
    if absent < rules.reports_missing and late + absent < rules.reports:
        return None
    severity = MEDIUM if absent >= rules.reports_missing_medium else LOW
    values = {"late": late, "missing": absent}
    return {"rule": "daily_reports", "severity": severity, "size": float(late + 2 * absent),
            "values": values}  # fmt: skip


def _effective(rep: Row, median: float | None, rules: FlagRules) -> Flag | None:
    rate = rep.effective_rate
    if median is None or missing(rate) or rep.done < rules.min_done:
        return None
    gap = median - rate
    if gap < rules.effective_gap:
        return None
    severity = MEDIUM if gap >= rules.effective_gap_medium else LOW
    values = {"rate": rate, "median": median, "gap": gap}
    return {"rule": "effective_rate", "severity": severity, "size": gap, "values": values}


def _silence(silent: Row | None, rules: FlagRules) -> Flag | None:
    if silent is None or not silent.customers:
        return None
    days = int(silent.days) if not missing(silent.days) else None
    never = int(getattr(silent, "never", 0) or 0)
    longest = days if days is not None else 0
    serious = never > 0 or longest >= rules.key_silence_high
    if not serious and silent.customers < rules.key_customers:
        return None
    values = {"customers": int(silent.customers), "days": days, "never": never,
              "limit": rules.key_silence_days}  # fmt: skip
    size = float(longest + 1000 * never)
    # a year's revenue put on the scale of the four weeks the other flags' money covers
    revenue = round(int(getattr(silent, "revenue", 0) or 0) * 28 / 365)
    return {"rule": "key_customer", "severity": HIGH if serious else MEDIUM, "size": size,
            "at_stake": revenue, "values": values}  # fmt: skip


def silent_key_customers(
    cadence_table: pd.DataFrame, rules: FlagRules, revenue: dict[str, int] | None = None
) -> pd.DataFrame:
    """Per rep: key customers without a done call or visit for over ``key_silence_days``
    (``customers``), the longest such silence among those ever contacted (``days``, None when
    none was), how many were never contacted (``never``) and their revenue (``revenue``: Σ of
    ``revenue``, customer → cents of the last 12 months). ``cadence_table``: ``customer_id,
    owner_rep_id, priority, days_since_contact`` (:func:`crm_core.efficiency.cadence`)."""
    columns = ["rep", "customers", "days", "never", "revenue"]
    if cadence_table.empty:
        return pd.DataFrame(columns=columns)
    revenue = revenue or {}
    key = cadence_table[cadence_table.priority == "key"]
    silent: dict[str, list[int]] = {}
    never: dict[str, int] = {}
    money: dict[str, int] = {}
    for customer, rep, days in zip(
        key.customer_id, key.owner_rep_id, key.days_since_contact, strict=True
    ):
        if missing(days) or pd.isna(days):
            never[rep] = never.get(rep, 0) + 1
        elif int(days) > rules.key_silence_days:
            silent.setdefault(rep, []).append(int(days))
        else:
            continue
        money[rep] = money.get(rep, 0) + int(revenue.get(customer, 0))
    reps = sorted(set(silent) | set(never))
    rows = [
        (rep, len(silent.get(rep, [])) + never.get(rep, 0),
         max(silent[rep]) if rep in silent else None, never.get(rep, 0), money.get(rep, 0))
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


def region_flags(
    reps: pd.DataFrame, region_names: dict[str, str], workdays: int, rules: FlagRules
) -> pd.DataFrame:
    """The regions' own exceptions (``region_behind``, ``region_reports``) from the per-rep
    week table, for a report of several regions. Columns :data:`REGION_FLAG_COLUMNS`."""
    flags: list[dict[str, Any]] = []
    for region, mine in reps.groupby("region", sort=True):
        base = {"region": region, "name": region_names.get(region, region)}
        due_recent = _sum(mine.recent_target)
        sold_recent = _sum(mine.recent_revenue)
        at_stake = shortfall(due_recent or None, sold_recent)
        recent = _share(sold_recent, due_recent)
        month_to_date = _share(_sum(mine.mtd_revenue), _sum(mine.mtd_target))
        if (
            recent is not None
            and recent < 1 - rules.region_recent_share
            and (month_to_date is None or month_to_date < 1 - rules.pace_share)
        ):
            month = _month_values(
                _sum(mine.mtd_revenue), _sum(mine.mtd_target), _sum(mine.month_target)
            )
            values = {"recent": recent, "gap": at_stake, **month}
            severity = HIGH if recent < 1 - rules.region_recent_high else MEDIUM
            flags.append({**base, "rule": "region_behind", "severity": severity,
                          "at_stake": at_stake, "values": values})  # fmt: skip
        due = workdays * len(mine)
        absent = _sum(mine.reports_missing)
        if due and absent >= rules.region_missing_share * due:
            values = {"missing": absent, "due": due, "share": absent / due,
                      "reps": int(sum(1 for m in mine.reports_missing if int(m)))}  # fmt: skip
            flags.append({**base, "rule": "region_reports", "severity": MEDIUM,
                          "at_stake": at_stake, "values": values})  # fmt: skip
    return pd.DataFrame(flags, columns=REGION_FLAG_COLUMNS)


def _sum(values: pd.Series) -> int:
    return sum(int(v) for v in values if not missing(v))


def decision_items(rep_flags: pd.DataFrame, region_flags: pd.DataFrame) -> pd.DataFrame:
    """One item per region or rep with its flags (records, most serious first): region items
    first, then reps; within each, the most serious item of each kind of problem (its first
    flag's rule) first, then the rest, each by severity, then money at stake. Columns
    :data:`ITEM_COLUMNS` (``kind``: ``region`` or ``rep``; ``about``: its ID)."""
    items: list[dict[str, Any]] = []
    for kind, frame, key in (("region", region_flags, "region"), ("rep", rep_flags, "rep")):
        if frame.empty:
            continue
        for about, mine in frame.groupby(key, sort=False):
            records = mine.sort_values("severity", ascending=False).to_dict("records")
            first = records[0]
            items.append({
                "kind": kind, "about": about, "name": first["name"],
                "region": first["region"], "severity": int(mine.severity.max()),
                "at_stake": int(mine.at_stake.max()), "findings": records,
            })  # fmt: skip
    frame = pd.DataFrame(items, columns=ITEM_COLUMNS)
    if frame.empty:
        return frame
    frame = frame.sort_values(["severity", "at_stake", "about"], ascending=[False, False, True])
    # each kind of problem of the week reaches the top once before a kind comes back
    rule = [item[0]["rule"] for item in frame.findings]
    frame["_first_of_kind"] = ~pd.Series(rule, index=frame.index).duplicated()
    frame["_order"] = range(len(frame))
    frame = frame.sort_values(
        ["kind", "_first_of_kind", "_order"], ascending=[True, False, True], ignore_index=True,
        key=lambda col: col.map({"region": 0, "rep": 1}) if col.name == "kind" else col,
    )  # fmt: skip
    return frame.drop(columns=["_first_of_kind", "_order"])
