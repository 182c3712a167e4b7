"""Benchmark a big import (issue 13.8): ``python bench/import_file.py [--mb 50]``.

Builds an S demo database in a temporary folder, writes an activities CSV of about ``--mb``
megabytes with fresh IDs (every row valid: the demo's reps and their customers), then runs
``cli.py import activities FILE --dry-run`` and the real import in child processes and records
the wall time and the child's peak memory (max RSS) of each. Writes
``bench/results/import-<mb>mb.json``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from db import demo, migrate  # noqa: E402
from db.engine import make_engine  # noqa: E402
from db.transfer import export_records  # noqa: E402


def build(folder: Path, megabytes: int) -> tuple[Path, Path, int]:
    db = folder / "demo.sqlite"
    engine = make_engine(f"sqlite:///{db}")
    migrate.upgrade(engine)
    demo.generate(engine, "S", 7, date(2026, 11, 18))
    with engine.connect() as conn:
        rows = list(export_records(conn, "activities"))
    engine.dispose()
    header, body = rows[0], rows[1:]
    path = folder / "activities.csv"
    written = 0
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        n = 0
        while out.tell() < megabytes * 1_000_000:
            row = list(body[n % len(body)])
            row[0] = f"BIG{n:09d}"
            writer.writerow(row)
            n += 1
        written = n
    return db, path, written


def timed(db: Path, *args: str) -> dict[str, float]:
    env = {**os.environ, "CRM_DATABASE_URL": f"sqlite:///{db}"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, str(ROOT / "cli.py"), *args], env=env, capture_output=True, text=True
    )
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if done.returncode != 0:
        raise SystemExit(f"{args}: exit {done.returncode}: {done.stderr[-500:]}")
    return {
        "seconds": round(seconds, 1),
        "peak_rss_mb": round(max(peak, before) / 1024, 1),
        "stdout": done.stdout.strip(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db, path, rows = build(Path(tmp), args.mb)
        size = path.stat().st_size
        dry = timed(db, "import", "activities", str(path), "--dry-run")
        real = timed(db, "import", "activities", str(path))
    result = {
        "file_mb": round(size / 1e6, 1),
        "rows": rows,
        "dry_run": dry,
        "import": real,
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "note": "peak_rss_mb of the import is the larger of both runs (RUSAGE_CHILDREN)",
    }
    out = ROOT / "bench" / "results" / f"import-{args.mb}mb.json"
    out.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    print(json.dumps(result, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
