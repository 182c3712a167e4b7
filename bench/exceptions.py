"""How many reps the Monday report flags, week by week (issue 37.1): for each complete ISO week
of a demo database, the reps with an exception, the decisions and their kinds, for the whole
company and for each region (a manager's view).

    CRM_DATABASE_URL=sqlite:///demo.sqlite python -m bench.exceptions --weeks 8 --as-of 2026-11-18
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from datetime import date, timedelta

from crm_core.periods import iso_week_of, iso_week_period
from crm_core.scope import Scope
from db import queries
from db.engine import make_engine
from services.weekly import monday_report


def week_counts(conn: object, scope: Scope, label: str) -> dict[str, object]:
    """Reps in scope, reps with an exception, and the decision list's kinds."""
    report = monday_report(conn, scope, iso_week_period(label), "", ahead=False)
    decisions = report.items.head(report.decisions)
    kinds = Counter(flag["rule"] for item in decisions["findings"] for flag in item[:1])
    return {
        "reps": len(report.reps),
        "flagged": int(report.reps.exception.sum()) if len(report.reps) else 0,
        "flags": len(report.flags),
        "decision_kinds": dict(kinds),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--weeks", type=int, default=8)
    parser.add_argument("--as-of", type=date.fromisoformat, default=date.today())
    args = parser.parse_args()
    engine = make_engine()
    rows = []
    with engine.connect() as conn:
        regions = list(queries.regions(conn, Scope.everything()).region_id)
        for back in range(args.weeks, 0, -1):
            label = iso_week_of(args.as_of - timedelta(weeks=back))
            company = week_counts(conn, Scope.everything(), label)
            managers = [week_counts(conn, Scope.for_manager([r]), label) for r in regions]
            rows.append({
                "week": label, **company,
                "worst_region_share": max(m["flagged"] / m["reps"] for m in managers if m["reps"]),
            })  # fmt: skip
    for row in rows:
        print(json.dumps(row, ensure_ascii=False))


if __name__ == "__main__":
    main()
