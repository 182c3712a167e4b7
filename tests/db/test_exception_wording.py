"""The exceptions in words (issue 37.1): what a rep reached of the week target, how much is
short and where the month stands, in English and Chinese; written by hand."""

from __future__ import annotations

from reports.files import item_reason, reason

BEHIND = {
    "rule": "behind_pace",
    "values": {"week_share": 0.116, "sold": 2_560_000, "target": 22_000_000, "gap": 19_440_000,
               "recent": 0.42, "month_share": 0.61, "elapsed": 0.52},
}  # fmt: skip


def test_behind_pace_says_what_was_reached_and_what_is_short() -> None:
    assert reason(BEHIND, "en") == (
        "reached 12% of the week target (¥25,600 of ¥220,000), ¥194,400 short; "
        "month to date 61% at 52% of the month; last 4 weeks 42% of target"
    )
    assert reason(BEHIND, "zh") == (
        "本周目标完成 12%(¥25,600 / ¥220,000),差 ¥194,400;"
        "本月累计完成 61%,按时间应完成 52%;近 4 周完成目标的 42%"
    )


def test_without_a_month_target_the_month_is_left_out() -> None:
    flag = {**BEHIND, "values": {**BEHIND["values"], "month_share": None, "elapsed": None}}
    assert "month" not in reason(flag, "en")


def test_region_items_and_several_findings_read_as_one_sentence() -> None:
    region = {"rule": "region_reports", "values": {"missing": 9, "due": 50, "share": 0.18,
                                                    "reps": 4}}  # fmt: skip
    assert reason(region, "en") == "9 of 50 daily reports missing this week (18%; 4 rep(s))"
    reports = {"rule": "daily_reports", "values": {"late": 1, "missing": 3}}
    assert item_reason({"findings": [BEHIND, reports]}, "en").endswith(
        "; 1 late and 3 missing daily reports"
    )
