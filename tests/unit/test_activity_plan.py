"""The activity a target needs (issue 38.1), by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from crm_core.activity_plan import activity_plan, parse_yield_days, team_yield

COLUMNS = ["rep", "name", "target", "actual", "window_revenue", "window_done", "planned"]
REPS = pd.DataFrame(
    [
        # ¥10,000 target, ¥4,000 sold; ¥30,000 from 150 activities in 90 days = ¥200 each:
        # ¥6,000 to go = 30 activities; 10 working days left = 3.0 a day; 12 planned: 18 short
        ("A", "甲", 1_000_000, 400_000, 3_000_000, 150, 12),
        # past the target: nothing needed
        ("B", "乙", 500_000, 700_000, 1_000_000, 50, 4),
        # no activity in the window: no yield, so no figure
        ("C", "丙", 800_000, 0, 0, 0, 3),
        # no target
        ("D", "丁", None, 100_000, 500_000, 10, 0),
        # ¥1,000.01 to go at ¥200 an activity: 5.00005, so 6
        ("E", "戊", 200_001, 100_000, 400_000, 20, 7),
    ],
    columns=COLUMNS,
).astype(object)


def test_each_rep_needs_the_rest_of_the_target_over_their_own_yield() -> None:
    plan = activity_plan(REPS, working_days_left=10).set_index("rep")
    assert plan.loc["A"].to_dict() == {
        "name": "甲", "target": 1_000_000, "actual": 400_000, "remaining": 600_000,
        "yield": 20_000.0, "needed": 30, "per_working_day": 3.0, "planned": 12, "shortfall": 18,
    }  # fmt: skip
    assert (plan.loc["B", "remaining"], plan.loc["B", "needed"], plan.loc["B", "shortfall"]) == (
        0, 0, 0)  # fmt: skip
    assert plan.loc["C", "yield"] is None and plan.loc["C", "needed"] is None
    assert plan.loc["C", "shortfall"] is None and plan.loc["C", "planned"] == 3
    assert plan.loc["D", "remaining"] is None and plan.loc["D", "needed"] is None
    assert (plan.loc["E", "needed"], plan.loc["E", "per_working_day"]) == (6, 0.6)
    assert plan.loc["E", "shortfall"] == 0  # 7 planned for 6 needed


def test_no_working_day_left_leaves_the_daily_rate_undefined() -> None:
    plan = activity_plan(REPS.head(1), working_days_left=0)
    assert plan.needed[0] == 30 and plan.per_working_day[0] is None


def test_the_team_yield_sums_before_it_divides() -> None:
    # (3,000,000 + 1,000,000 + 0 + 500,000 + 400,000) ÷ (150 + 50 + 0 + 10 + 20) = 4,900,000 ÷ 230
    assert team_yield(REPS) == pytest.approx(4_900_000 / 230)
    assert team_yield(REPS.head(0)) is None
    assert activity_plan(REPS.head(0), 5).empty


def test_the_yield_window_is_a_setting_with_bounds() -> None:
    assert parse_yield_days(None) == 90 and parse_yield_days("30") == 30
    with pytest.raises(ValueError, match="CRM_YIELD_DAYS: expected 7 to 730 days, found 3"):
        parse_yield_days("3")
    with pytest.raises(ValueError, match="expected a number of days, found 'a month'"):
        parse_yield_days("a month")


def test_the_meeting_month_and_the_order_of_the_list() -> None:
    from datetime import date

    from crm_core.activity_plan import by_shortfall
    from crm_core.periods import iso_week_period
    from crm_core.weekly import meeting_month

    # W48 ends Sunday 29 Nov: its meeting is Monday 30 Nov, in November; W49 ends 6 Dec
    assert meeting_month(iso_week_period("2026-W48")).start == date(2026, 11, 1)
    assert meeting_month(iso_week_period("2026-W44")).start == date(2026, 11, 1)  # ends 1 Nov
    ordered = by_shortfall(activity_plan(REPS, working_days_left=10))
    # shortfalls: A 18, B 0, C none, D none, E 0 → A, then B and E by rep, then C and D
    assert list(ordered.rep) == ["A", "B", "E", "C", "D"]
