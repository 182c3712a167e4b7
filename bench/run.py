"""Benchmark one demo size (issue 9, README, demo sizes): ``python bench/run.py --size M``.

1. Creates the demo database ``bench/data/<size>.sqlite`` (``db init`` + ``db demo``, timed, in a
   child process whose peak memory is recorded); ``--reuse`` keeps an existing one.
2. Renders every page as the signed-in demo director through Streamlit's AppTest, cold (data
   caches cleared) and warm (cached), ``--runs`` times each, and keeps the median milliseconds.
3. Times each ``db``/``crm_core`` KPI computation on its own (median of ``--runs``).
4. Times the baseline of :mod:`bench.baseline` (hand-written pandas and DuckDB over the same rows
   already in memory) per page, and reports each page as a ratio to it.

Writes ``bench/results/<size>.json`` and ``bench/results/<size>.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import make_url, text  # noqa: E402

from bench import baseline  # noqa: E402
from crm_core.customers import classify  # noqa: E402
from crm_core.daily import daily_table  # noqa: E402
from crm_core.efficiency import cadence, time_allocation  # noqa: E402
from crm_core.periods import (  # noqa: E402
    Period,
    iso_week_of,
    iso_week_period,
    month_period,
    trailing_months,
)
from crm_core.pipeline import open_pipeline, stale  # noqa: E402
from crm_core.scope import Scope  # noqa: E402
from db import customers, queries  # noqa: E402
from db import daily as daily_db  # noqa: E402
from db import efficiency as efficiency_db  # noqa: E402
from db import pipeline as pipeline_db  # noqa: E402
from db.engine import make_engine  # noqa: E402
from db.transactions import bump_data_version  # noqa: E402
from services import measures  # noqa: E402
from services import monthly as monthly_db  # noqa: E402
from services import weekly as weekly_service  # noqa: E402
from ui import data  # noqa: E402
from ui.navigation import PAGES  # noqa: E402

ALL = Scope.everything()
END = date(2026, 11, 18)  # a Wednesday in a month in progress, as in the tests


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="S", choices=["XS", "S", "M", "L"])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--end", type=date.fromisoformat, default=END)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--reuse", action="store_true", help="keep an existing database")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument("--data", type=Path, default=ROOT / "bench" / "data")
    parser.add_argument(
        "--database-url",
        help="bench this database instead of bench/data/<size>.sqlite, e.g. "
        "postgresql+psycopg://user:password@127.0.0.1/crm_bench (an empty database, filled "
        "with the demo; with --reuse, one filled before)",
    )
    args = parser.parse_args(argv)

    url = database_url(args)
    creation = create_database(url, args.size, args.seed, args.end, args.reuse)
    kind, label = result_label(args.size, url)
    os.environ.update(CRM_DATABASE_URL=url, CRM_AS_OF=args.end.isoformat(),
                      CRM_COOKIE_KEY="bench-" + "k" * 42)  # fmt: skip
    print(f"database: {creation}", flush=True)
    engine = make_engine(url)
    kpi_times = time_kpis(engine, args.end, args.runs)
    page_times = time_pages(engine, args.runs)
    base = time_baseline(engine, args.end, args.runs)
    engine.dispose()
    result = {
        "size": args.size,
        "database_kind": kind,
        "seed": args.seed,
        "end": args.end.isoformat(),
        "runs": args.runs,
        "machine": machine(),
        "database": creation,
        "pages": page_times,
        "kpis": kpi_times,
        "baseline": base,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"{label}.json").write_text(json.dumps(result, indent=1) + "\n")
    (args.out / f"{label}.md").write_text(markdown(result))
    print(markdown(result))
    return 0


def database_url(args: argparse.Namespace) -> str:
    """``--database-url``, or the size's SQLite file under ``--data``."""
    return args.database_url or f"sqlite:///{args.data / f'{args.size}.sqlite'}"


def result_label(size: str, url: str) -> tuple[str, str]:
    """The database kind and the results' file label: ``M``, or ``M-postgresql``."""
    kind = make_url(url).get_backend_name()
    return kind, size if kind == "sqlite" else f"{size}-{kind}"


def create_database(url: str, size: str, seed: int, end: date, reuse: bool) -> dict[str, Any]:
    """Create (or reuse) the demo database in child processes; their time and peak memory.
    A SQLite file is made anew; any other database must exist and be empty (or ``reuse``).
    Its trailing summaries are kept for ``end``, the day the pages are read on, as a nightly
    ``db summaries --roll`` keeps them for the day."""
    env = {**os.environ, "CRM_DATABASE_URL": url, "CRM_AS_OF": end.isoformat()}
    cli = [sys.executable, str(ROOT / "cli.py")]
    path = Path(make_url(url).database or "") if url.startswith("sqlite") else None
    if reuse and (path is None or path.exists()):  # migrated to the newest schema, data kept
        subprocess.run([*cli, "db", "init"], check=True, env=env, capture_output=True)
        subprocess.run(
            [*cli, "db", "summaries", "--roll"], check=True, env=env, capture_output=True
        )
        return {"created": False, "size_mb": _mb(url)}
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    subprocess.run([*cli, "db", "init"], check=True, env=env, capture_output=True)
    started = time.perf_counter()
    demo = [*cli, "db", "demo", "--size", size, "--seed", str(seed), "--end", end.isoformat()]
    subprocess.run(demo, check=True, env=env, capture_output=True)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    engine = make_engine(url)
    with engine.connect() as conn:
        counts = {
            table: conn.scalar(text(f"SELECT count(*) FROM {table}"))  # noqa: S608
            for table in ("customers", "orders", "activities", "opportunities")
        }
    engine.dispose()
    return {"created": True, "seconds": round(seconds, 1), "peak_rss_mb": round(peak, 1),
            "size_mb": _mb(url), "rows": counts}  # fmt: skip


def _mb(url: str) -> float:
    """The database's size on disk in MB (a SQLite file, or PostgreSQL's pg_database_size)."""
    if url.startswith("sqlite"):
        return round(Path(make_url(url).database or "").stat().st_size / 2**20, 1)
    engine = make_engine(url)
    with engine.connect() as conn:
        size = conn.scalar(text("SELECT pg_database_size(current_database())"))
    engine.dispose()
    return round(size / 2**20, 1)


def median_ms(work: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 1)


def time_pages(engine: Any, runs: int) -> dict[str, dict[str, Any]]:
    """Each page as the demo director: cold (data caches cleared), warm, and after a visit is
    written (the ``activities`` version bumped, as a rep's visit does: only the reads of
    activities are computed again), median ms."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    def render(page_id: str) -> AppTest:
        app = AppTest.from_file(str(ROOT / "pages" / f"{page_id}.py"), default_timeout=3600)
        # as after dashboard.py, which always sets the language: without it every t() call
        # reads the URL's query parameters (weekly at L: about 250 ms of its cold render)
        state = {"authentication_status": True, "username": "director", "name": "director",
                 "roles": ["director"], "logout": None, "session_version": 0,
                 "lang": "en"}  # fmt: skip
        for key, value in state.items():
            app.session_state[key] = value
        return app.run()

    results = {}
    for spec in PAGES:
        cold, warm, after_visit, problems = [], [], [], []
        for _ in range(runs):
            st.cache_data.clear()
            data.clear_results()
            started = time.perf_counter()
            app = render(spec.page_id)
            cold.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            again = render(spec.page_id)
            warm.append((time.perf_counter() - started) * 1000)
            with engine.begin() as conn:
                bump_data_version(conn, ("activities",))
            started = time.perf_counter()
            render(spec.page_id)
            after_visit.append((time.perf_counter() - started) * 1000)
            problems += [str(e.value)[:200] for e in [*app.exception, *again.exception]]
            problems += [e.value for e in app.error if "could not be shown" in e.value]
            # a page that did not render (e.g. the sign-in was refused) is not a measurement
            problems += [w.value for w in app.warning if "sign in" in str(w.value).lower()]
            problems += [] if app.title else [f"{spec.page_id}: no title, the page did not render"]
        results[spec.page_id] = {
            "cold_ms": round(statistics.median(cold), 1),
            "warm_ms": round(statistics.median(warm), 1),
            "after_visit_ms": round(statistics.median(after_visit), 1),
            "problems": sorted(set(problems)),
        }
        print(f"page {spec.page_id}: {results[spec.page_id]}", flush=True)
    return results


def kpi_work(as_of: date) -> dict[str, Callable[[Any], object]]:
    """Each KPI computation of the pages, on its own, for the whole company."""
    month = f"{as_of:%Y-%m}"
    this_month = month_period(month)
    next_month = month_period(f"{this_month.end + timedelta(days=1):%Y-%m}")
    week = iso_week_period(iso_week_of(as_of - timedelta(days=7)))
    cohort = Period(as_of - timedelta(days=365), as_of)
    return {
        "overview.actuals_by": lambda c: queries.actuals_by(c, ALL, this_month.start, as_of),
        "targets.attainment_by_rep": lambda c: measures.targets_table(
            c, ALL, this_month, as_of, ["rep"], ["revenue"]
        ),
        "targets.heatmap_12_months": lambda c: measures.targets_table(
            c, ALL, trailing_months(month), as_of, ["rep", "month"], ["revenue"]
        ),
        "daily.daily_table": lambda c: daily_table(**daily_db.day_inputs(c, ALL, as_of), day=as_of),
        "weekly.monday_report": lambda c: weekly_service.monday_report(c, ALL, week, "all"),
        "monthly.ranked_attainment": lambda c: monthly_db.ranked_attainment(
            c, ALL, month, as_of, "rep"
        ),
        "monthly.customer_base": lambda c: monthly_db.customer_base(c, ALL, month),
        "efficiency.totals_by_rep": lambda c: efficiency_db.totals_by_rep(c, ALL, this_month),
        "efficiency.cadence": lambda c: cadence(efficiency_db.last_contacts(c, ALL, as_of), as_of),
        "efficiency.time_allocation": lambda c: time_allocation(
            *efficiency_db.revenue_and_minutes(c, ALL, as_of)
        ),
        "pipeline.open_deals": lambda c: open_pipeline(pipeline_db.open_deals(c, ALL, as_of)),
        "pipeline.stale": lambda c: stale(pipeline_db.open_deals(c, ALL, as_of), as_of),
        "pipeline.stage_conversion": lambda c: pipeline_db.conversion_counts(c, ALL, cohort, as_of),
        "pipeline.trend": lambda c: pipeline_db.trend_inputs(c, ALL, as_of),
        "pipeline.coverage_next_month": lambda c: pipeline_db.coverage_table(
            c, ALL, next_month, as_of, "rep"
        ),
        "customers.classify": lambda c: classify(customers.customer_values(c, ALL, as_of)),
        "customers.attrition": lambda c: customers.year_bases(c, ALL, as_of, by_region=True),
    }


def time_kpis(engine: Any, as_of: date, runs: int) -> dict[str, float]:
    results = {}
    with engine.connect() as conn:
        for name, work in kpi_work(as_of).items():
            results[name] = median_ms(lambda w=work: w(conn), runs)
            print(f"kpi {name}: {results[name]} ms", flush=True)
    return results


def time_baseline(engine: Any, as_of: date, runs: int) -> dict[str, Any]:
    started = time.perf_counter()
    frames = baseline.load(engine)
    loaded = time.perf_counter() - started
    con = baseline.duck_connection(frames)
    window = baseline.Window.of(as_of)
    pages = {}
    for page, work in baseline.PANDAS.items():
        pages[page] = {
            "pandas_ms": median_ms(lambda w=work: w(frames, window), runs),
            "duckdb_ms": median_ms(lambda p=page: baseline.duck_page(con, p, window), runs),
        }
        print(f"baseline {page}: {pages[page]}", flush=True)
    rows = {name: len(frame) for name, frame in frames.items()}
    return {"load_seconds": round(loaded, 1), "rows": rows, "pages": pages}


def machine() -> dict[str, Any]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory = next(
            int(line.split()[1]) // 1024
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
    except OSError:
        memory = None
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_mb": memory,
            "python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
            "os": platform.platform()}  # fmt: skip


def markdown(result: dict[str, Any]) -> str:
    """The results as Markdown tables: pages with their ratio to the baseline, then KPIs."""
    m, db = result["machine"], result["database"]
    lines = [
        f"# Benchmark, size {result['size']} on {result.get('database_kind', 'sqlite')} "
        f"(seed {result['seed']}, data to {result['end']})",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_mb']} MB RAM; Python {m['python']}, "
        f"SQLite {m['sqlite']}; {m['os']}. Medians of {result['runs']} runs.",
        "",
        f"Database: {db.get('size_mb')} MB"
        + (f", created in {db['seconds']} s with a peak of {db['peak_rss_mb']} MB; rows "
           + ", ".join(f"{k} {v:,}" for k, v in db["rows"].items()) if db.get("created") else
           " (reused)")
        + f". Peak memory of the benchmark process: {result['peak_rss_mb']} MB.",
        "",
        "| page | cold ms | warm ms | after a visit ms | pandas ms | DuckDB ms | cold ÷ pandas "
        "| cold ÷ DuckDB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]  # fmt: skip
    for page, times in result["pages"].items():
        base = result["baseline"]["pages"].get(page)
        ratio = (
            (f"{times['cold_ms'] / base['pandas_ms']:,.1f}×",
             f"{times['cold_ms'] / base['duckdb_ms']:,.1f}×") if base else ("—", "—")
        )  # fmt: skip
        pandas_ms = f"{base['pandas_ms']:,.1f}" if base else "—"
        duck_ms = f"{base['duckdb_ms']:,.1f}" if base else "—"
        flag = " ⚠" if times["problems"] else ""
        lines.append(
            f"| {page}{flag} | {times['cold_ms']:,.0f} | {times['warm_ms']:,.0f} "
            f"| {times['after_visit_ms']:,.0f} | {pandas_ms} "
            f"| {duck_ms} | {ratio[0]} | {ratio[1]} |"
        )
    lines += ["", "| KPI computation (db + crm_core) | ms |", "|---|---:|"]
    lines += [f"| {name} | {ms:,.1f} |" for name, ms in result["kpis"].items()]
    problems = {p: t["problems"] for p, t in result["pages"].items() if t["problems"]}
    if problems:
        lines += ["", "Problems: " + json.dumps(problems, ensure_ascii=False)]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
