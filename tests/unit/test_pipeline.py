"""crm_core.pipeline on a few deals written out here (SPEC §4.4)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from crm_core import pipeline as core

AS_OF = date(2026, 11, 18)


def deals(*rows: tuple) -> pd.DataFrame:
    columns = ["opportunity_id", "rep", "stage", "amount", "stage_since", "expected_close"]
    return pd.DataFrame(list(rows), columns=columns)


def test_weighted_amounts_round_half_up_in_cents() -> None:
    assert core.weighted(5, 0.10) == 1  # 0.5 cent rounds up
    assert core.weighted(4, 0.10) == 0
    assert core.weighted(8_000_000, 0.4) == 3_200_000  # no binary-float drift


def test_open_pipeline_takes_configured_probabilities() -> None:
    table = core.open_pipeline(
        deals(
            ("A", "E1", "qualified", 1_000, AS_OF, AS_OF),
            ("B", "E1", "qualified", 3_000, AS_OF, AS_OF),
        ),
        {**core.DEFAULT_PROBABILITIES, "qualified": 0.5},
    ).set_index("stage")
    assert table.loc["qualified", "count"] == 2
    assert table.loc["qualified", "weighted"] == (1_000 + 3_000) // 2
    assert table.loc["total", "amount"] == 4_000


@pytest.mark.parametrize(
    ("since", "close", "limits", "reason"),
    [
        (date(2026, 10, 19), date(2026, 12, 1), None, None),  # exactly 30 days: not longer
        (date(2026, 10, 18), date(2026, 12, 1), None, "no_change"),  # 31 days
        (date(2026, 11, 1), date(2026, 11, 17), None, "overdue"),  # closed yesterday at latest
        (date(2026, 11, 1), AS_OF, None, None),  # due today is not passed
        (date(2026, 10, 18), date(2026, 11, 1), None, "both"),
        (date(2026, 10, 18), date(2026, 12, 1), {"contacted": 45}, None),  # its own limit
    ],
)
def test_stale_rules_at_their_boundaries(
    since: date, close: date, limits: dict | None, reason: str | None
) -> None:
    found = core.stale(deals(("A", "E1", "contacted", 100, since, close)), AS_OF, limits)
    assert (found.reason.tolist() or [None]) == [reason]


def test_stale_list_sorts_by_amount_then_age() -> None:
    old = date(2026, 9, 1)
    found = core.stale(
        deals(
            ("A", "E1", "identified", 100, old, AS_OF),
            ("B", "E1", "identified", 900, date(2026, 10, 1), AS_OF),
            ("C", "E1", "identified", 100, date(2026, 8, 1), AS_OF),
        ),
        AS_OF,
    )
    assert found.opportunity_id.tolist() == ["B", "C", "A"]


def test_win_rate_deal_size_cycle_and_velocity() -> None:
    closed = core.Closings(won=3, lost=1, won_amount=900_000, cycle_days=3 * 40)
    assert core.win_rate(closed) == 3 / 4
    assert core.average_deal(closed) == 900_000 / 3
    assert core.cycle_length(closed) == 40
    assert core.velocity(10, closed) == 10 * (3 / 4) * 300_000 / 40


@pytest.mark.parametrize(
    "closed",
    [core.Closings(), core.Closings(lost=2), core.Closings(won=1, won_amount=100, cycle_days=0)],
)
def test_velocity_is_undefined_without_wins_or_with_a_zero_day_cycle(closed: core.Closings) -> None:
    assert core.velocity(5, closed) is None


def test_coverage_status_per_rep() -> None:
    plan = pd.DataFrame(
        [("E1", 100, 100), ("E2", 100, 40), ("E3", 0, 10), ("E4", None, 0), ("E5", 100, 0)],
        columns=["rep", "target", "actual"],
    )
    expected = pd.DataFrame(
        [("E1", 1, 50, 25), ("E2", 2, 200, 100), ("E5", 1, 90, 9), ("E6", 1, 70, 7)],
        columns=["rep", "deals", "pipeline", "weighted"],
    )
    table = core.coverage(plan, expected, "rep").set_index("rep")
    assert table.loc["E1", "status"] == "met" and table.loc["E1", "coverage"] is None
    assert table.loc["E2", "coverage"] == 200 / 60 and table.loc["E2", "status"] == "ok"
    assert table.loc["E3", "status"] == "no_target"  # a zero target: nothing to cover
    assert table.loc["E4", "forecast_attainment"] is None
    assert table.loc["E5", "coverage"] == 0.9 and table.loc["E5", "status"] == "short"
    assert table.loc["E6", "status"] == "no_target" and table.loc["E6", "forecast"] == 7
    assert table.loc["E2", "forecast"] == 40 + 100
    assert list(table.index[:2]) == ["E5", "E2"]  # thinnest first, undefined last


def test_coverage_between_one_and_three_times_is_thin() -> None:
    assert core.coverage_status(100, 100, 2.99) == "thin"
    assert core.coverage_status(100, 100, 3.0) == "ok"
    assert core.coverage_status(100, 100, 1.0) == "thin"


def test_stage_probabilities_and_stale_limits_are_configurable() -> None:
    assert core.probabilities_from(None) == core.DEFAULT_PROBABILITIES
    assert core.probabilities_from("5, 25, 50, 75, 95")["developed"] == 0.75
    assert core.stale_limits_from("45") == dict.fromkeys(core.STAGES, 45)
    assert core.stale_limits_from("14,21,30,30,7")["committed"] == 7


@pytest.mark.parametrize("text", ["10,20,40", "10,20,40,60,190", "a,b,c,d,e"])
def test_bad_probabilities_say_what_was_expected(text: str) -> None:
    with pytest.raises(ValueError, match="expected 5 percentages 0–100"):
        core.probabilities_from(text)


@pytest.mark.parametrize("text", ["30,30", "-5", "thirty"])
def test_bad_stale_limits_say_what_was_expected(text: str) -> None:
    with pytest.raises(ValueError, match="expected whole days"):
        core.stale_limits_from(text)
