"""Deterministic, realistic demo data (``python cli.py db demo --size S|M|L --seed N``).

Same seed and same end date give the same data. The shape follows the source texts:
Chinese region, rep and company names; monthly seasonality with a Spring Festival dip and a
year-end peak; reps of different skill (conversion, visit discipline, report punctuality);
customer revenue with a Pareto shape (lognormal potential × share of wallet); call funnels near
100 → 50 → 13 → 13 → 5; yearly churn of about 13 %; targets from last year's actuals plus growth,
spread by seasonality; daily reports with some late, missing and returned; opportunities with
stage history; market reports and complaints; monthly forecasts with each rep's habit.

The package: ``world`` (sizes, names, the shared arrays), ``people`` (regions, reps,
products, customers, users), ``sales`` (orders, payments, targets), ``activities`` (calls,
visits, daily reports), ``pipeline`` (opportunities, market reports) and ``forecasts``.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine, func, select

from db import schema, summaries
from db.demo.activities import _activities, _daily_reports
from db.demo.forecasts import _forecasts
from db.demo.people import _customers, _demo_users, _product_rows, _regions, _reps, demo_rep
from db.demo.pipeline import _deal_history, _market, _opportunities
from db.demo.sales import _orders, _payments, _targets
from db.demo.world import SIZES, DemoError, Size, _insert, _world
from db.engine import refresh_statistics
from db.transactions import bump_data_version

__all__ = ["SIZES", "DemoError", "Size", "generate", "is_empty"]


def generate(engine: Engine, size: str | Size, seed: int, end: date) -> dict[str, int]:
    """Fill an empty database with a world of ``size`` (a name of :data:`SIZES` or a
    :class:`Size`) whose data ends on ``end``; returns row counts per table."""
    spec = SIZES[size] if isinstance(size, str) else size
    if not is_empty(engine):
        raise DemoError("the database is not empty; demo data goes into an empty database")
    with engine.begin() as conn:
        world = _world(spec, seed, end)
        counts = {"regions": _regions(conn, world), "reps": _reps(conn, world, spec)}
        counts["products"] = _insert(conn, schema.Product.__table__, _product_rows())
        counts["customers"] = _customers(conn, world, spec)
        order_rows = _orders(world)
        counts["orders"] = _insert(conn, schema.Order.__table__, order_rows)
        counts["payments"] = _insert(conn, schema.Payment.__table__, _payments(world, order_rows))
        counts["activities"] = _insert(conn, schema.Activity.__table__, _activities(world))
        counts["daily_reports"] = _insert(conn, schema.DailyReport.__table__, _daily_reports(world))
        opportunities, stages = _opportunities(world)
        counts["opportunities"] = _insert(conn, schema.Opportunity.__table__, opportunities)
        counts["opportunity_stages"] = _insert(conn, schema.OpportunityStage.__table__, stages)
        history = _deal_history(opportunities, stages, world.end)
        counts["deal_history"] = _insert(conn, schema.DealVersion.__table__, history)
        counts["market_reports"] = _insert(conn, schema.MarketReport.__table__, _market(world))
        target_rows = _targets(world, order_rows)
        counts["targets"] = _insert(conn, schema.Target.__table__, target_rows)
        calls = _forecasts(world, order_rows, target_rows, demo_rep(world))
        counts["forecasts"] = _insert(conn, schema.ForecastEntry.__table__, calls)
        _demo_users(conn, world)
        summaries.rebuild(conn)
        bump_data_version(conn)
    refresh_statistics(engine)
    return counts


def is_empty(engine: Engine) -> bool:
    """True when no region, customer or user exists yet."""
    with engine.connect() as conn:
        return not any(
            conn.scalar(select(func.count()).select_from(table))
            for table in (schema.Region.__table__, schema.Customer.__table__, schema.User.__table__)
        )
