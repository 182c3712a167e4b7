"""The benchmark runs end to end on the smallest demo (issue 9): every page renders without a
problem cold and warm, every KPI and baseline is timed, and both result files are written."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, postgres_url
from ui.navigation import PAGES


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_the_benchmark_measures_every_page_kpi_and_baseline(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    database = [] if kind == "sqlite" else ["--database-url", postgres_url(request)]
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--size", "XS", "--runs", "1",
         "--out", str(tmp_path), "--data", str(tmp_path), *database],
        capture_output=True, text=True, timeout=900, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    label = "XS" if kind == "sqlite" else "XS-postgresql"
    result = json.loads((tmp_path / f"{label}.json").read_text())
    assert result["database_kind"] == kind
    assert set(result["pages"]) == {p.page_id for p in PAGES}
    for page, times in result["pages"].items():
        assert times["problems"] == [], page
        assert times["cold_ms"] > 0 and times["warm_ms"] > 0 and times["after_visit_ms"] > 0
    assert set(result["baseline"]["pages"]) == {p.page_id for p in PAGES} - {"data"}
    assert all(ms > 0 for ms in result["kpis"].values()) and len(result["kpis"]) >= 15
    assert result["database"]["created"] and result["database"]["rows"]["orders"] > 0
    table = (tmp_path / f"{label}.md").read_text()
    assert "| pipeline |" in table and "cold ÷ pandas" in table


def test_the_load_test_drives_the_running_app_while_reps_write(tmp_path: Path) -> None:
    """bench/load.py on the smallest demo: sessions of every role sign in by cookie over the
    websocket and open pages while the writer writes; nothing fails and every figure is there."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "load.py"), "--size", "XS", "--users", "3",
         "--minutes", "0.4", "--write-every", "1", "--think", "1", "--calibrate", "1",
         "--out", str(tmp_path), "--data", str(tmp_path)],
        capture_output=True, text=True, timeout=600, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads((tmp_path / "load-XS.json").read_text())
    summary = result["summary"]
    assert result["roles"] == {"director": 1, "manager": 1, "rep": 1}
    assert result["errors"] == [] and summary["errors"] == 0, result["errors"]
    assert summary["page_views"] > 3 and 0 < summary["p50_ms"] <= summary["p95_ms"]
    assert summary["p95_ms_after_first_minute"] is None  # a 24-second run has no warm part
    assert summary["writes"] > 3 and summary["write_failures"] == 0, result["write_failures"]
    assert summary["rss_mb_max"] > 50  # the server's memory was sampled, and its two parts
    assert 0 < summary["rss_anon_mb_max"] <= summary["rss_mb_max"]
    samples = result["rss_mb"]
    assert all(rss == pytest.approx(anon + file, abs=1) for _, rss, anon, file, *_ in samples)
    # Pss: each page once, never more than resident; its file part never more than RssFile
    assert all(0 < pss <= rss + 1 for _, rss, _, _, pss, _ in samples)
    assert all(pss_file <= file + 1 for _, _, _, file, _, pss_file in samples)
    assert 0 < summary["pss_mb_max"] <= summary["rss_mb_max"] + 1
    assert {"overview", "targets", "data"} <= set(result["pages"])  # the director's pages
    # CPU: the app's per page view, and the machine's share the load generator took itself
    cpu = result["cpu"]
    assert cpu["cpu_s"]["app"] > 0 and cpu["app_cpu_ms_per_view"] > 0
    assert 0 < cpu["share_of_machine"]["load_generator"] < 1
    alone = result["cpu_ms_per_view_alone"]
    assert set(alone) == {"director", "manager", "rep"} and "daily" in alone["rep"]
    assert all(cost["first_ms"] >= 0 and cost["median_ms"] >= 0
               for pages in alone.values() for cost in pages.values())  # fmt: skip


def test_cpu_use_is_each_part_over_the_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    from bench.load import cpu_use

    monkeypatch.setattr("os.cpu_count", lambda: 2)
    used = cpu_use({"app": 10.0, "database": 1.0}, {"app": 70.0, "database": 7.0}, 12.0, 60.0, 300)
    # 60 s of 2 cores = 120 CPU seconds: the app 60 s (0.5), the database 6 s, the generator 12 s
    assert used["cpu_s"] == {"app": 60.0, "database": 6.0}
    assert used["app_cpu_ms_per_view"] == 200.0  # 60 s over 300 views
    assert used["share_of_machine"] == {"app": 0.5, "database": 0.05, "load_generator": 0.1}


def test_hot_spots_count_the_script_threads_samples_inclusive_and_self(tmp_path: Path) -> None:
    from bench.profile_page import hot_spots

    stacks = tmp_path / "stacks.txt"
    stacks.write_text(
        "run (t.py:1);_run_script_thread (s.py:9);page (p.py:3);draw (c.py:4) 6\n"
        "run (t.py:1);_run_script_thread (s.py:9);page (p.py:5);grid (g.py:7) 3\n"
        "run (t.py:1);_run_script_thread (s.py:9);page (p.py:3) 1\n"
        "run (t.py:1);loop (a.py:2);select (x.py:1) 50\n"  # another thread: not counted
    )
    lines = hot_spots(stacks, top=10).splitlines()
    assert lines[0] == "10 samples of the script's thread; inclusive:"
    inclusive = lines[1 : lines.index("self:")]
    # page is in all 10 (line numbers dropped), draw in 6, grid in 3
    assert "100.0% page (p.py)" in inclusive and " 60.0% draw (c.py)" in inclusive
    assert " 30.0% grid (g.py)" in inclusive
    assert lines[lines.index("self:") + 1 :] == [" 60.0% draw (c.py)", " 30.0% grid (g.py)",
                                                 " 10.0% page (p.py)"]  # fmt: skip


def test_the_page_profile_gives_a_pages_cpu_per_view(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "profile_page.py"), "--size", "XS", "--role",
         "rep", "--page", "daily", "--views", "2", "--data", str(tmp_path)],
        capture_output=True, text=True, timeout=600, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.startswith("daily: cold ") and "warm median" in done.stdout
