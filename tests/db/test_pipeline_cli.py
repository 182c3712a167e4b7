"""`python cli.py kpi pipeline|stage_conversion|stale|coverage|forecast` on the pipeline world
of tests/world.py as of 2026-11-18 (the hand computation is in tests/db/test_pipeline.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import cli, kpi_rows

AS_OF = ["--as-of", "2026-11-18"]
DECEMBER = ["--from", "2026-12-01", *AS_OF]


def kpi(db: Path, name: str, *args: str) -> list[dict]:
    return kpi_rows(db, name, *args)


def test_kpi_pipeline_gives_stages_in_yuan(pipeline_file: Path) -> None:
    rows = kpi(pipeline_file, "pipeline", *AS_OF)
    assert [(r["stage"], r["count"], r["amount"], r["weighted"]) for r in rows] == [
        ("identified", 0, 0.0, 0.0),
        ("contacted", 1, 30_000.0, 6_000.0),
        ("qualified", 1, 40_000.0, 16_000.0),
        ("developed", 1, 200_000.0, 120_000.0),
        ("committed", 1, 80_000.0, 72_000.0),
        ("total", 4, 350_000.0, 214_000.0),
    ]


def test_kpi_stage_conversion_of_the_last_twelve_months(pipeline_file: Path) -> None:
    rows = kpi(pipeline_file, "stage_conversion", *AS_OF)
    assert [(r["stage"], r["entered"], r["advanced"]) for r in rows] == [
        ("identified", 8, 7),
        ("contacted", 7, 6),
        ("qualified", 6, 4),
        ("developed", 4, 3),
        ("committed", 3, 2),
    ]
    assert rows[2]["conversion"] == 4 / 6 and rows[4]["avg_days"] == 61.0


def test_kpi_stale_lists_rotting_deals_largest_first(pipeline_file: Path) -> None:
    rows = kpi(pipeline_file, "stale", *AS_OF)
    assert [(r["opportunity_id"], r["amount"], r["days_in_stage"], r["reason"]) for r in rows] == [
        ("D3", 200_000.0, 48, "no_change"),
        ("D5", 30_000.0, 90, "both"),
    ]
    assert rows[1]["expected_close"] == "2026-11-10" and rows[1]["days_overdue"] == 8


def test_kpi_coverage_and_forecast_for_next_month(pipeline_file: Path) -> None:
    coverage = kpi(pipeline_file, "coverage", *DECEMBER)
    assert [
        (r["rep"], r["target"], r["pipeline"], r["coverage"], r["status"]) for r in coverage
    ] == [
        ("E03", 50_000.0, 40_000.0, 0.8, "short"),
        ("E02", 100_000.0, 280_000.0, 2.8, "thin"),
    ]
    forecast = kpi(pipeline_file, "forecast", *DECEMBER)
    assert [(r["region"], r["actual"], r["weighted"], r["forecast"]) for r in forecast] == [
        ("R002", 0.0, 16_000.0, 16_000.0),
        ("R001", 0.0, 192_000.0, 192_000.0),
    ]
    assert forecast[1]["forecast_attainment"] == 192_000 / 100_000


def test_kpi_coverage_as_a_manager_leaves_out_other_regions(pipeline_file: Path) -> None:
    rows = kpi(pipeline_file, "coverage", *DECEMBER, "--as", "east")
    assert [r["rep"] for r in rows] == ["E02"]
    done = cli(pipeline_file, "kpi", "coverage", *DECEMBER, "--by", "month")
    assert done.returncode == 2 and "--by region or --by rep" in done.stderr


def test_configured_probabilities_and_stale_limits(
    pipeline_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CRM_STAGE_PROBABILITIES", "10,20,50,50,100")
    monkeypatch.setenv("CRM_STALE_DAYS", "60")
    rows = kpi(pipeline_file, "pipeline", *AS_OF)
    assert rows[-1]["weighted"] == 6_000 + 20_000 + 100_000 + 80_000
    stale = kpi(pipeline_file, "stale", *AS_OF)
    assert [(r["opportunity_id"], r["reason"]) for r in stale] == [("D5", "both")]  # D3: 48 ≤ 60
    monkeypatch.setenv("CRM_STAGE_PROBABILITIES", "10,20")
    done = cli(pipeline_file, "kpi", "pipeline", *AS_OF)
    assert done.returncode == 2 and "expected 5 percentages" in done.stderr


def test_kpi_win_rate_and_velocity_of_the_period_and_by_month(pipeline_file: Path) -> None:
    # November 2026: D7 won (¥60,000, created 05-01, closed 11-05: 188 days) and D8 lost; open
    # on 11-18: D3, D4, D5, D6. Velocity = 4 × 1/2 × ¥60,000 / 188 days.
    [november] = kpi(pipeline_file, "win_rate", "--from", "2026-11-01", "--to", "2026-11-30",
                     *AS_OF)  # fmt: skip
    assert (november["won"], november["lost"], november["win_rate"]) == (1, 1, 0.5)
    assert (november["average_deal"], november["cycle_days"], november["open"]) == (
        60_000.0, 188.0, 4,
    )  # fmt: skip
    assert november["velocity"] == pytest.approx(4 * 0.5 * 60_000 / 188, abs=0.01)
    # by month: October's D1 won ¥100,000 after 131 days with 5 deals open at the month's end
    rows = kpi(pipeline_file, "velocity", "--from", "2026-10-01", "--to", "2026-11-30",
               "--by", "month", *AS_OF)  # fmt: skip
    assert [r["month"] for r in rows] == ["2026-10", "2026-11"]
    assert rows[0]["velocity"] == pytest.approx(5 * 1.0 * 100_000 / 131, abs=0.01)
    assert rows[1]["velocity"] == november["velocity"]
