"""The Monday report's exceptions (issue 15.1): each flag names its rule, its size and its
severity, by hand on five reps."""

from __future__ import annotations

import pandas as pd
import pytest

from crm_core.weekly_flags import (
    FlagRules,
    parse_rules,
    region_table,
    rep_flags,
    silent_key_customers,
)

COLUMNS = ["rep", "name", "region", "week_target", "week_revenue", "done", "effective_rate",
           "reports_late", "reports_missing"]  # fmt: skip
REPS = pd.DataFrame(
    [
        # a rep at 150 % with one late report: no flag (one late report is below 2)
        ("E1", "甲", "R1", 100_000, 150_000, 10, 0.80, 1, 0),
        # 40 % short: high; effective 0.50 vs median 0.70 = 20 points below: low
        ("E2", "乙", "R1", 100_000, 60_000, 10, 0.50, 0, 0),
        # 15 % short: medium; 2 late + 3 missing = 5 reports: medium
        ("E3", "丙", "R2", 200_000, 170_000, 8, 0.70, 2, 3),
        # 5 % short: no flag; 3 done only: the effective rate is not judged
        ("E4", "丁", "R2", 100_000, 95_000, 3, 0.0, 0, 0),
        # no target: never behind
        ("E5", "戊", "R2", None, 0, 12, 0.75, 0, 0),
    ],
    columns=COLUMNS,
).astype(object)
SILENT = pd.DataFrame([("E4", 2, 120, 0)], columns=["rep", "customers", "days", "never"])


def test_each_flag_names_its_rule_and_is_ordered_by_severity_then_size() -> None:
    flags = rep_flags(REPS, SILENT, FlagRules())
    got = [(f.rep, f.rule, f.severity) for f in flags.itertuples()]
    # median effective rate of the reps with ≥ 5 done: E1 .80, E2 .50, E3 .70, E5 .75 → .725
    assert got == [
        ("E2", "behind_target", 3),  # gap 40,000 = 40 % ≥ 30 %
        ("E4", "key_customer", 3),  # 120 days ≥ 90
        ("E3", "behind_target", 2),  # gap 30,000 = 15 %
        ("E3", "daily_reports", 2),  # 5 ≥ 4
        ("E2", "effective_rate", 1),  # .725 − .50 = .225 < .25
    ]
    e2 = flags[(flags.rep == "E2") & (flags.rule == "effective_rate")].iloc[0]
    assert e2["values"]["gap"] == pytest.approx(0.725 - 0.50)
    behind = flags[(flags.rep == "E3") & (flags.rule == "behind_target")].iloc[0]
    assert behind["values"] == {"gap": 30_000, "target": 200_000, "share": 30_000 / 200_000}


def test_thresholds_are_configurable() -> None:
    strict = parse_rules("behind_share=0.04, reports=1")
    flags = rep_flags(REPS, SILENT.head(0), strict)
    assert ("E4", "behind_target") in {(f.rep, f.rule) for f in flags.itertuples()}  # 5 %
    assert ("E1", "daily_reports") in {(f.rep, f.rule) for f in flags.itertuples()}  # 1 late
    with pytest.raises(ValueError, match="unknown rule 'speed'"):
        parse_rules("speed=3")
    with pytest.raises(ValueError, match="reports expects a number"):
        parse_rules("reports=many")


def test_no_reps_no_flags() -> None:
    assert rep_flags(REPS.head(0), SILENT.head(0), FlagRules()).empty


def test_silent_key_customers_count_only_key_ones_past_the_limit() -> None:
    cadence = pd.DataFrame(
        [("E1", "key", 50), ("E1", "key", 30), ("E1", "normal", 400), ("E2", "key", None)],
        columns=["owner_rep_id", "priority", "days_since_contact"],
    ).astype(object)
    silent = silent_key_customers(cadence, FlagRules())
    # E1: one key customer past 45 days (50); E2's key customer was never contacted
    assert [tuple(r) for r in silent.itertuples(index=False)] == [
        ("E1", 1, 50, 0),
        ("E2", 1, None, 1),
    ]
    flags = rep_flags(REPS.head(0), silent, FlagRules())
    assert flags.empty  # no reps in the table: nobody to flag


def test_a_never_contacted_key_customer_is_high() -> None:
    silent = pd.DataFrame([("E1", 1, None, 1)], columns=["rep", "customers", "days", "never"])
    flags = rep_flags(REPS.head(1), silent, FlagRules())
    [flag] = flags.to_dict("records")
    assert (flag["rule"], flag["severity"]) == ("key_customer", 3)
    assert flag["values"] == {"customers": 1, "days": None, "never": 1, "limit": 45}


def test_regions_are_summed_and_ranked_by_attainment() -> None:
    table = region_table(REPS, {"R1": "华东", "R2": "华南"})
    # R1: 210,000 of 200,000 = 105 %; R2: 265,000 of 200,000 + 100,000 (E5 has no target)
    assert [(r.region, r.week_target, r.week_revenue, r.rank) for r in table.itertuples()] == [
        ("R1", 200_000, 210_000, 1),
        ("R2", 300_000, 265_000, 2),
    ]
    assert table.attainment[1] == 265_000 / 300_000 and table.gap[1] == 35_000
