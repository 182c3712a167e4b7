"""The Monday report's exceptions (issues 15.1 and 37.1): each flag names its rule, its money at
stake and its severity; a rep is judged against their own pace, small lapses are not decisions.
By hand on small teams."""

from __future__ import annotations

import pandas as pd
import pytest

from crm_core.weekly_flags import (
    FlagRules,
    decision_items,
    parse_rules,
    region_flags,
    region_table,
    rep_flags,
    silent_key_customers,
)

COLUMNS = ["rep", "name", "region", "week_target", "week_revenue", "month_target",
           "mtd_target", "mtd_revenue", "recent_target", "recent_revenue", "done",
           "effective_rate", "reports_late", "reports_missing"]  # fmt: skip
REPS = pd.DataFrame(
    [
        # one weak week (20 %) but 97 % of the month to date and 95 % of four weeks, one late
        # report: no flag
        (
            "E1",
            "甲",
            "R1",
            100_000,
            20_000,
            600_000,
            300_000,
            290_000,
            400_000,
            380_000,
            10,
            0.80,
            1,
            0,
        ),
        # 10 % of the week, 30 % of the month to date, 25 % of four weeks: behind, high
        # (25 % < 30 %); effective .45 vs median .725: 27.5 points ≥ 25: low
        (
            "E2",
            "乙",
            "R1",
            100_000,
            10_000,
            600_000,
            300_000,
            90_000,
            400_000,
            100_000,
            10,
            0.45,
            0,
            0,
        ),
        # 40 %, 75 %, 45 %: behind, medium (45 % ≥ 30 %); 3 missing reports: medium
        (
            "E3",
            "丙",
            "R2",
            200_000,
            80_000,
            800_000,
            400_000,
            300_000,
            800_000,
            360_000,
            12,
            0.70,
            2,
            3,
        ),
        # 40 % of the week and 45 % of four weeks but 90 % of the month to date: on pace;
        # 3 done only: the rate is not judged
        (
            "E4",
            "丁",
            "R2",
            100_000,
            40_000,
            600_000,
            300_000,
            270_000,
            400_000,
            180_000,
            3,
            0.0,
            0,
            0,
        ),
        # no target: never behind
        ("E5", "戊", "R2", None, 0, None, None, 0, None, 0, 12, 0.75, 0, 0),
    ],
    columns=COLUMNS,
).astype(object)
SILENT = pd.DataFrame(
    # E1: one key customer 50 days silent (a small lapse); E4: two, the longest 60 days, with
    # ¥36,500 of revenue in 12 months: four weeks of it = 3,650,000 × 28 / 365 = 280,000 cents
    [("E1", 1, 50, 0, 1_000_000), ("E4", 2, 60, 0, 3_650_000)],
    columns=["rep", "customers", "days", "never", "revenue"],
)


def test_each_flag_names_its_rule_and_is_ordered_by_severity_then_money() -> None:
    flags = rep_flags(REPS, SILENT, FlagRules())
    got = [(f.rep, f.rule, f.severity, f.at_stake) for f in flags.itertuples()]
    # median effective rate of the reps with ≥ 10 done: E1 .80, E2 .45, E3 .70, E5 .75 → .725
    assert got == [
        ("E2", "behind_pace", 3, 300_000),  # four weeks 400,000 − 100,000
        ("E3", "behind_pace", 2, 440_000),  # 800,000 − 360,000
        ("E3", "daily_reports", 2, 440_000),
        ("E4", "key_customer", 2, 280_000),
        ("E2", "effective_rate", 1, 300_000),
    ]
    behind = flags.iloc[0]["values"]
    assert behind == {
        "week_share": 0.10, "sold": 10_000, "target": 100_000, "gap": 90_000, "recent": 0.25,
        "month_share": 90_000 / 600_000, "elapsed": 300_000 / 600_000,
    }  # fmt: skip
    rate = flags[(flags.rep == "E2") & (flags.rule == "effective_rate")].iloc[0]
    assert rate["values"]["gap"] == pytest.approx(0.725 - 0.45)


def test_thresholds_are_configurable() -> None:
    strict = parse_rules("pace_share=0.05, reports=1, key_customers=1")
    flags = rep_flags(REPS, SILENT, strict)
    got = {(f.rep, f.rule) for f in flags.itertuples()}
    assert ("E4", "behind_pace") in got  # 90 % of the month to date < 95 %
    assert ("E1", "daily_reports") in got  # 1 late
    assert ("E1", "key_customer") in got  # one key customer past 45 days
    with pytest.raises(ValueError, match="unknown rule 'speed'"):
        parse_rules("speed=3")
    with pytest.raises(ValueError, match="reports expects a number"):
        parse_rules("reports=many")
    with pytest.raises(ValueError, match="behind_high is no longer a rule: .* recent_high"):
        parse_rules("behind_high=0.3")


def test_no_reps_no_flags() -> None:
    assert rep_flags(REPS.head(0), SILENT.head(0), FlagRules()).empty
    assert decision_items(rep_flags(REPS.head(0), SILENT.head(0), FlagRules()),
                          pd.DataFrame()).empty  # fmt: skip


def test_silent_key_customers_count_only_key_ones_past_the_limit() -> None:
    cadence = pd.DataFrame(
        [("C1", "E1", "key", 50), ("C2", "E1", "key", 30), ("C3", "E1", "normal", 400),
         ("C4", "E2", "key", None)],
        columns=["customer_id", "owner_rep_id", "priority", "days_since_contact"],
    ).astype(object)  # fmt: skip
    silent = silent_key_customers(cadence, FlagRules(), {"C1": 500, "C2": 900, "C3": 7})
    # E1: one key customer past 45 days (C1, ¥5 a year); E2's was never contacted (no revenue)
    assert [tuple(r) for r in silent.itertuples(index=False)] == [
        ("E1", 1, 50, 0, 500),
        ("E2", 1, None, 1, 0),
    ]
    assert rep_flags(REPS.head(0), silent, FlagRules()).empty  # no reps: nobody to flag


def test_a_never_contacted_key_customer_is_high_one_a_few_days_late_is_nothing() -> None:
    never = pd.DataFrame([("E1", 1, None, 1, 0)], columns=SILENT.columns)
    [flag] = rep_flags(REPS.head(1), never, FlagRules()).to_dict("records")
    assert (flag["rule"], flag["severity"]) == ("key_customer", 3)
    assert flag["values"] == {"customers": 1, "days": None, "never": 1, "limit": 45}
    late = pd.DataFrame([("E1", 1, 89, 0, 0)], columns=SILENT.columns)
    assert rep_flags(REPS.head(1), late, FlagRules()).empty
    long = pd.DataFrame([("E1", 1, 90, 0, 0)], columns=SILENT.columns)
    assert list(rep_flags(REPS.head(1), long, FlagRules()).severity) == [3]


def test_regions_are_summed_and_ranked_by_attainment() -> None:
    table = region_table(REPS, {"R1": "华东", "R2": "华南"})
    # R1: 30,000 of 200,000 = 15 %; R2: 120,000 of 300,000 = 40 % (E5 has no target)
    assert [(r.region, r.week_target, r.week_revenue, r.rank) for r in table.itertuples()] == [
        ("R2", 300_000, 120_000, 1),
        ("R1", 200_000, 30_000, 2),
    ]
    assert table.attainment[0] == 120_000 / 300_000 and table.gap[0] == 180_000


def test_region_flags_judge_four_weeks_and_the_month_and_count_missing_reports() -> None:
    # R1: four weeks 480,000 of 800,000 = 60 % < 70 %: high; month to date 380,000 of
    # 600,000 = 63 % < 85 %; reports: 0 missing of 2 reps × 5 days.
    # R2: four weeks 540,000 of 1,200,000 = 45 %, but month to date 570,000 of 700,000 =
    # 81 % < 85 %: behind too, high; 3 missing of 3 reps × 5 = 15: 20 % ≥ 15 %.
    flags = region_flags(REPS, {"R1": "华东", "R2": "华南"}, 5, FlagRules())
    got = [(f.region, f.rule, f.severity, f.at_stake) for f in flags.itertuples()]
    assert got == [
        ("R1", "region_behind", 3, 320_000),
        ("R2", "region_behind", 3, 660_000),
        ("R2", "region_reports", 2, 660_000),
    ]
    assert flags.iloc[2]["values"] == {"missing": 3, "due": 15, "share": 0.2, "reps": 1}
    assert flags.iloc[0]["values"]["month_share"] == 380_000 / 1_200_000  # of the month


def test_decisions_put_regions_first_then_one_of_each_kind_then_money() -> None:
    regions = region_flags(REPS, {"R1": "华东", "R2": "华南"}, 5, FlagRules())
    items = decision_items(rep_flags(REPS, SILENT, FlagRules()), regions)
    got = [(i.kind, i.about, i.severity, i.at_stake) for i in items.itertuples()]
    # regions by severity then money: R2 (660,000) before R1 (320,000); reps: E2 (high,
    # behind) first; E4 is the first of its kind (key customers) so it comes before E3,
    # another behind-pace rep with more at stake
    assert got == [
        ("region", "R2", 3, 660_000),
        ("region", "R1", 3, 320_000),
        ("rep", "E2", 3, 300_000),
        ("rep", "E4", 2, 280_000),
        ("rep", "E3", 2, 440_000),
    ]
    e3 = items[items.about == "E3"].iloc[0]
    assert [f["rule"] for f in e3.findings] == ["behind_pace", "daily_reports"]


def _rep(rep: str, **changes: object) -> dict[str, object]:
    """A rep on pace: 100 % of the week, the month to date and four weeks; 20 done at 70 %."""
    row = {"rep": rep, "name": rep, "region": "R1", "week_target": 100_000,
           "week_revenue": 100_000, "month_target": 400_000, "mtd_target": 200_000,
           "mtd_revenue": 200_000, "recent_target": 400_000, "recent_revenue": 400_000,
           "done": 20, "effective_rate": 0.70, "reports_late": 0, "reports_missing": 0}  # fmt: skip
    return {**row, **changes}


def test_a_team_with_two_reps_clearly_off_gets_exactly_those_two() -> None:
    """The held-out check of issue 37: small lapses everywhere, two reps clearly off."""
    team = pd.DataFrame([
        _rep("A", reports_late=1),  # one late report
        _rep("B", week_revenue=30_000, mtd_revenue=190_000, recent_revenue=380_000),  # weak week
        _rep("C", effective_rate=0.60),  # ten points under the median
        _rep("D", reports_missing=1),  # one day without a report
        _rep("E", week_revenue=85_000, recent_revenue=330_000),  # a little behind
        _rep("F", reports_late=2, reports_missing=1),  # three lapses in a week
        # clearly off: 15 % of the week, 40 % of the month, 35 % of four weeks
        _rep("OFF1", week_revenue=15_000, mtd_revenue=80_000, recent_revenue=140_000),
        # on target but no daily report on four of five days
        _rep("OFF2", reports_missing=4),
    ]).astype(object)  # fmt: skip
    silent = pd.DataFrame([("G", 1, 50, 0, 0), ("C", 1, 60, 0, 0)], columns=SILENT.columns)
    items = decision_items(rep_flags(team, silent, FlagRules()), pd.DataFrame())
    assert sorted(items.about) == ["OFF1", "OFF2"]
