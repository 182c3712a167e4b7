"""The analyst's-notebook baseline (issue 9): each page's main aggregations written by hand in
pandas and in DuckDB over the same rows, loaded into memory once beforehand (loading is not
timed). The page times of the benchmark are reported as ratios to these.

Each ``PAGE_WORK`` entry computes, for one page, the aggregations its numbers rest on; it does
not format or render anything, so the ratio says what the app costs on top of the arithmetic.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import duckdb
import pandas as pd
from sqlalchemy import Engine, text

TABLES = {
    "orders": "SELECT date, customer_id, rep_id, product_id, amount_cents, cost_cents FROM orders",
    "payments": "SELECT date, customer_id, rep_id, amount_cents FROM payments",
    "activities": "SELECT date, rep_id, customer_id, kind, status, planned, outcome, "
    "duration_min, cost_cents FROM activities",
    "customers": "SELECT customer_id, region_id, owner_rep_id, status, priority, "
    "annual_potential_cents FROM customers",
    "reps": "SELECT rep_id, region_id FROM reps",
    "opportunities": "SELECT opportunity_id, customer_id, rep_id, amount_cents, stage, "
    "created_on, expected_close, closed_on FROM opportunities",
    "targets": "SELECT period, metric, amount, region_id, rep_id FROM targets "
    "WHERE product_id IS NULL",
    "forecasts": "SELECT rep_id, month, kind, commit_cents, best_case_cents, day FROM forecasts",
}


def load(engine: Engine) -> dict[str, pd.DataFrame]:
    """Every table the baseline needs, as DataFrames with real dates."""
    frames = {}
    with engine.connect() as conn:
        for name, sql in TABLES.items():
            frame = pd.read_sql(text(sql), conn)
            for column in ("date", "created_on", "expected_close", "closed_on"):
                if column in frame.columns:
                    frame[column] = pd.to_datetime(frame[column])
            frames[name] = frame
    return frames


@dataclass(frozen=True)
class Window:
    as_of: date
    month_start: date
    year_start: date  # trailing 12 months
    week_start: date  # the last completed ISO week
    week_end: date

    @classmethod
    def of(cls, as_of: date) -> Window:
        monday = as_of - timedelta(days=as_of.weekday()) - timedelta(days=7)
        return cls(
            as_of, as_of.replace(day=1), as_of - timedelta(days=364), monday,
            monday + timedelta(days=6),
        )  # fmt: skip


def _ts(day: date) -> pd.Timestamp:
    return pd.Timestamp(day)


# ------------------------------------------------------------------------------ pandas


def pandas_overview(f: dict[str, pd.DataFrame], w: Window) -> object:
    o = f["orders"]
    now = o[(o.date >= _ts(w.month_start)) & (o.date <= _ts(w.as_of))]
    trend = o[o.date >= _ts(w.year_start)]
    first = o.groupby("customer_id").date.min()
    return (
        now.amount_cents.sum(), (now.amount_cents - now.cost_cents).sum(),
        trend.groupby(trend.date.dt.to_period("M")).amount_cents.sum(),
        (first >= _ts(w.month_start)).sum(),
        f["payments"][f["payments"].date >= _ts(w.month_start)].amount_cents.sum(),
        (f["activities"][f["activities"].date >= _ts(w.month_start)].status == "done").sum(),
    )  # fmt: skip


def pandas_targets(f: dict[str, pd.DataFrame], w: Window) -> object:
    o = f["orders"]
    year = o[o.date >= _ts(w.year_start)]
    by_rep_month = year.groupby(["rep_id", year.date.dt.to_period("M")]).amount_cents.sum()
    t = f["targets"]
    return by_rep_month, t[(t.metric == "revenue") & t.rep_id.notna()].groupby(
        ["rep_id", "period"]
    ).amount.sum()


def pandas_daily(f: dict[str, pd.DataFrame], w: Window) -> object:
    a = f["activities"]
    day = a[a.date == _ts(w.as_of)]
    o = f["orders"]
    return (
        day.groupby(["rep_id", "status", "planned"]).size(),
        o[o.date == _ts(w.as_of)].groupby("rep_id").amount_cents.sum(),
    )


def pandas_weekly(f: dict[str, pd.DataFrame], w: Window) -> object:
    o, a = f["orders"], f["activities"]
    week = o[(o.date >= _ts(w.week_start)) & (o.date <= _ts(w.week_end))]
    eight = o[(o.date >= _ts(w.week_start - timedelta(days=56))) & (o.date < _ts(w.week_start))]
    average = eight.groupby("customer_id").amount_cents.sum() / 8
    this = week.groupby("customer_id").amount_cents.sum().reindex(average.index, fill_value=0)
    acts = a[(a.date >= _ts(w.week_start)) & (a.date <= _ts(w.week_end))]
    return (
        week.groupby("rep_id").amount_cents.sum(),
        acts.groupby(["rep_id", "status", "outcome"], dropna=False).size(),
        (this < average / 2).sum(),
    )


def pandas_monthly(f: dict[str, pd.DataFrame], w: Window) -> object:
    o = f["orders"].merge(f["customers"][["customer_id", "region_id"]], on="customer_id")
    month = o[o.date >= _ts(w.month_start)]
    previous = o[(o.date >= _ts(w.month_start - timedelta(days=31)).replace(day=1))
                 & (o.date < _ts(w.month_start))]  # fmt: skip
    active = set(o[o.date >= _ts(w.year_start)].customer_id)
    d = f["opportunities"]
    open_ = d[(d.created_on <= _ts(w.as_of)) & (d.closed_on.isna() | (d.closed_on > _ts(w.as_of)))]
    return (
        month.groupby("region_id").amount_cents.sum(), month.groupby("rep_id").amount_cents.sum(),
        previous.groupby("rep_id").amount_cents.sum(), len(active),
        open_.groupby("stage").amount_cents.agg(["size", "sum"]),
    )  # fmt: skip


def pandas_efficiency(f: dict[str, pd.DataFrame], w: Window) -> object:
    a = f["activities"]
    month = a[a.date >= _ts(w.month_start)]
    done = a[(a.status == "done") & (a.date <= _ts(w.as_of))]
    last = done.groupby(["customer_id", "kind"]).date.max()
    o = f["orders"]
    revenue = o[o.date >= _ts(w.year_start)].groupby("customer_id").amount_cents.sum()
    minutes = a[a.date >= _ts(w.year_start)].groupby("customer_id").duration_min.sum()
    return (
        month.groupby(["rep_id", "status", "outcome"], dropna=False).agg(
            n=("kind", "size"), minutes=("duration_min", "sum"), cost=("cost_cents", "sum")
        ),
        last, revenue.sort_values(ascending=False).cumsum(), minutes,
    )  # fmt: skip


def pandas_pipeline(f: dict[str, pd.DataFrame], w: Window) -> object:
    d = f["opportunities"]
    as_of = _ts(w.as_of)
    open_ = d[(d.created_on <= as_of) & (d.closed_on.isna() | (d.closed_on > as_of))]
    closed = d[d.closed_on >= _ts(w.year_start)]
    next_month = open_[
        open_.expected_close >= _ts(w.month_start + timedelta(days=32)).replace(day=1)
    ]
    return (
        open_.groupby("stage").amount_cents.agg(["size", "sum"]),
        closed.groupby([closed.closed_on.dt.to_period("M"), "stage"]).amount_cents.agg(
            ["size", "sum"]
        ),
        next_month.groupby("rep_id").amount_cents.sum(),
        (as_of - open_.expected_close).dt.days.clip(lower=0),
    )


def pandas_customers(f: dict[str, pd.DataFrame], w: Window) -> object:
    o, a = f["orders"], f["activities"]
    year = o[o.date >= _ts(w.year_start)]
    per = year.groupby("customer_id").agg(
        revenue=("amount_cents", "sum"), cost=("cost_cents", "sum")
    )
    ranked = per.sort_values("revenue", ascending=False)
    share = ranked.revenue.cumsum().shift(fill_value=0) / ranked.revenue.sum()
    serve = (
        a[(a.date >= _ts(w.year_start)) & (a.status == "done")]
        .groupby("customer_id")
        .cost_cents.sum()
    )
    years = o.groupby(["customer_id", o.date.dt.year]).size()
    return share, serve, years, per.merge(f["customers"], on="customer_id")


def pandas_forecast(f: dict[str, pd.DataFrame], w: Window) -> object:
    o, d, c = f["orders"], f["opportunities"], f["forecasts"]
    month, as_of = f"{w.as_of:%Y-%m}", _ts(w.as_of)
    sold = o[o.date >= _ts(w.month_start)].groupby("rep_id").amount_cents.sum()
    open_ = d[(d.created_on <= as_of) & (d.closed_on.isna() | (d.closed_on > as_of))]
    inside = open_[open_.expected_close.dt.strftime("%Y-%m") == month]
    calls = c[c.month == month].sort_values("day").groupby(["rep_id", "kind"]).last()
    t = f["targets"]
    target = t[(t.period == month) & (t.metric == "revenue") & t.rep_id.notna()]
    return sold, inside.groupby(["rep_id", "stage"]).amount_cents.sum(), calls, target


PANDAS: dict[str, Callable[[dict[str, pd.DataFrame], Window], object]] = {
    "overview": pandas_overview,
    "targets": pandas_targets,
    "daily": pandas_daily,
    "weekly": pandas_weekly,
    "meeting": pandas_weekly,  # the same Monday report, as slides
    "monthly": pandas_monthly,
    "efficiency": pandas_efficiency,
    "pipeline": pandas_pipeline,
    "forecast": pandas_forecast,
    "customers": pandas_customers,
}

# ------------------------------------------------------------------------------ DuckDB

DUCK_SQL: dict[str, list[str]] = {
    "overview": [
        "SELECT sum(amount_cents), sum(amount_cents - cost_cents) FROM orders "
        "WHERE date BETWEEN $month AND $as_of",
        "SELECT date_trunc('month', date) m, sum(amount_cents) FROM orders WHERE date >= $year "
        "GROUP BY m",
        "SELECT count(*) FROM (SELECT customer_id, min(date) f FROM orders GROUP BY 1) "
        "WHERE f >= $month",
        "SELECT sum(amount_cents) FROM payments WHERE date >= $month",
        "SELECT count(*) FROM activities WHERE date >= $month AND status = 'done'",
    ],
    "targets": [
        "SELECT rep_id, date_trunc('month', date) m, sum(amount_cents) FROM orders "
        "WHERE date >= $year GROUP BY 1, 2",
        "SELECT rep_id, period, sum(amount) FROM targets WHERE metric = 'revenue' "
        "AND rep_id IS NOT NULL GROUP BY 1, 2",
    ],
    "daily": [
        "SELECT rep_id, status, planned, count(*) FROM activities WHERE date = $as_of "
        "GROUP BY 1, 2, 3",
        "SELECT rep_id, sum(amount_cents) FROM orders WHERE date = $as_of GROUP BY 1",
    ],
    "weekly": [
        "SELECT rep_id, sum(amount_cents) FROM orders WHERE date BETWEEN $week AND $week_end "
        "GROUP BY 1",
        "SELECT rep_id, status, outcome, count(*) FROM activities "
        "WHERE date BETWEEN $week AND $week_end GROUP BY 1, 2, 3",
        "WITH avg8 AS (SELECT customer_id, sum(amount_cents) / 8 a FROM orders "
        "WHERE date >= $week - INTERVAL 56 DAY AND date < $week GROUP BY 1), "
        "wk AS (SELECT customer_id, sum(amount_cents) s FROM orders "
        "WHERE date BETWEEN $week AND $week_end GROUP BY 1) "
        "SELECT count(*) FROM avg8 LEFT JOIN wk USING (customer_id) "
        "WHERE coalesce(s, 0) < a / 2",
    ],
    "monthly": [
        "SELECT c.region_id, sum(o.amount_cents) FROM orders o JOIN customers c "
        "USING (customer_id) WHERE o.date >= $month GROUP BY 1",
        "SELECT rep_id, sum(amount_cents) FROM orders WHERE date >= $month GROUP BY 1",
        "SELECT rep_id, sum(amount_cents) FROM orders WHERE date >= $month - INTERVAL 1 MONTH "
        "AND date < $month GROUP BY 1",
        "SELECT count(DISTINCT customer_id) FROM orders WHERE date >= $year",
        "SELECT stage, count(*), sum(amount_cents) FROM opportunities WHERE created_on <= $as_of "
        "AND (closed_on IS NULL OR closed_on > $as_of) GROUP BY 1",
    ],
    "efficiency": [
        "SELECT rep_id, status, outcome, count(*), sum(duration_min), sum(cost_cents) "
        "FROM activities WHERE date >= $month GROUP BY 1, 2, 3",
        "SELECT customer_id, kind, max(date) FROM activities WHERE status = 'done' "
        "AND date <= $as_of GROUP BY 1, 2",
        "SELECT customer_id, sum(amount_cents) r, sum(sum(amount_cents)) OVER (ORDER BY "
        "sum(amount_cents) DESC) FROM orders WHERE date >= $year GROUP BY 1",
        "SELECT customer_id, sum(duration_min) FROM activities WHERE date >= $year GROUP BY 1",
    ],
    "pipeline": [
        "SELECT stage, count(*), sum(amount_cents) FROM opportunities WHERE created_on <= $as_of "
        "AND (closed_on IS NULL OR closed_on > $as_of) GROUP BY 1",
        "SELECT date_trunc('month', closed_on), stage, count(*), sum(amount_cents) "
        "FROM opportunities WHERE closed_on >= $year GROUP BY 1, 2",
        "SELECT rep_id, sum(amount_cents) FROM opportunities WHERE created_on <= $as_of "
        "AND (closed_on IS NULL OR closed_on > $as_of) AND expected_close > $as_of GROUP BY 1",
    ],
    "forecast": [
        "SELECT rep_id, sum(amount_cents) FROM orders WHERE date BETWEEN $month AND $as_of "
        "GROUP BY 1",
        "SELECT rep_id, stage, sum(amount_cents) FROM opportunities WHERE created_on <= $as_of "
        "AND (closed_on IS NULL OR closed_on > $as_of) AND date_trunc('month', expected_close) "
        "= $month GROUP BY 1, 2",
        "SELECT rep_id, kind, arg_max(commit_cents, day), arg_max(best_case_cents, day) "
        "FROM forecasts WHERE month = strftime($month, '%Y-%m') GROUP BY 1, 2",
    ],
    "customers": [
        "SELECT customer_id, r, sum(r) OVER (ORDER BY r DESC, customer_id ROWS BETWEEN "
        "UNBOUNDED PRECEDING AND 1 PRECEDING) / sum(r) OVER () FROM (SELECT customer_id, "
        "sum(amount_cents) r FROM orders WHERE date >= $year GROUP BY 1)",
        "SELECT customer_id, sum(cost_cents) FROM activities WHERE date >= $year "
        "AND status = 'done' GROUP BY 1",
        "SELECT customer_id, year(date), count(*) FROM orders GROUP BY 1, 2",
    ],
}


DUCK_SQL["meeting"] = DUCK_SQL["weekly"]


def duck_connection(frames: dict[str, pd.DataFrame]) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with every frame registered as a table (copied in, so the timed
    queries do not pay for reading pandas)."""
    con = duckdb.connect()
    for name, frame in frames.items():
        con.register(f"{name}_df", frame)
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM {name}_df")
    return con


def duck_page(con: duckdb.DuckDBPyConnection, page: str, w: Window) -> None:
    params = {
        "as_of": w.as_of, "month": w.month_start, "year": w.year_start,
        "week": w.week_start, "week_end": w.week_end,
    }  # fmt: skip
    for sql in DUCK_SQL[page]:
        used = {k: v for k, v in params.items() if f"${k}" in sql}
        con.execute(sql, used).fetchall()
