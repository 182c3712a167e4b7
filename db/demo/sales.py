"""Orders, payments and targets (last year's actuals plus growth, spread by season)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import numpy as np

from crm_core.periods import month_of, months_between
from db.demo.world import PRODUCT_WEIGHTS, PRODUCTS, World, _intensity

# ---------------------------------------------------------------- orders and payments


def _orders(world: World) -> list[dict[str, Any]]:
    rng = world.rng
    begin, stop, kind = world.cust_window
    annual = world.cust_annual
    buying = np.flatnonzero(kind != 2)
    per_year = np.clip((annual[buying] / 10_000) ** 0.6, 1, 80)
    active_days = np.clip(stop[buying] - begin[buying], 0, None)
    counts = rng.poisson(per_year * active_days / 365)
    customer = np.repeat(buying, counts)
    cum = np.concatenate([[0.0], np.cumsum(world.intensity)])
    low = cum[np.minimum(begin[customer].astype(int), len(world.days))]
    high = cum[np.minimum(stop[customer].astype(int), len(world.days))]
    day_index = np.searchsorted(cum, rng.uniform(low, high), side="left") - 1
    day_index = np.clip(day_index, 0, len(world.days) - 1)
    order = np.lexsort((customer, day_index))
    customer, day_index = customer[order], day_index[order]
    mean_order = (annual / np.clip((annual / 10_000) ** 0.6, 1, 80))[customer]
    amount = mean_order * rng.lognormal(-0.12, 0.5, len(customer))
    product = rng.choice(len(PRODUCTS), len(customer), p=PRODUCT_WEIGHTS / PRODUCT_WEIGHTS.sum())
    price = np.array([p[3] for p in PRODUCTS])[product]
    margin = np.array([p[4] for p in PRODUCTS])[product] * rng.uniform(0.85, 1.15, len(customer))
    quantity = np.maximum(1, np.round(amount / price)).astype(int)
    amount_cents = (quantity * price * 100).round().astype(np.int64)
    cost_cents = (amount_cents * (1 - margin)).round().astype(np.int64)
    return [
        {
            "order_id": f"SO{i + 1:08d}",
            "date": world.days[day_index[i]],
            "customer_id": world.customer_ids[customer[i]],
            "rep_id": world.rep_ids[world.cust_rep[customer[i]]],
            "product_id": PRODUCTS[product[i]][0],
            "quantity": int(quantity[i]),
            "amount_cents": int(amount_cents[i]),
            "cost_cents": int(cost_cents[i]),
        }
        for i in range(len(customer))
    ]


def _payments(world: World, orders: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rng = world.rng
    delay = rng.choice([30, 60, 90], len(orders), p=[0.5, 0.35, 0.15]) + rng.normal(
        0, 10, len(orders)
    )
    unpaid = rng.random(len(orders)) < 0.04
    rows = []
    for order, days, skip in zip(orders, delay, unpaid, strict=True):
        paid_on = order["date"] + timedelta(days=max(0, int(days)))
        if skip or paid_on > world.end:
            continue
        rows.append(
            {
                "payment_id": f"PM{len(rows) + 1:08d}",
                "date": paid_on,
                "customer_id": order["customer_id"],
                "rep_id": order["rep_id"],
                "amount_cents": order["amount_cents"],
            }
        )
    return rows


# ---------------------------------------------------------------- targets


def _targets(world: World, orders: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rep targets per month: last year's actual of the rep × 1.10, spread by seasonality
    (the model's expectation where no last year is in the data); regions and the company are
    the exact sums of their reps."""
    months = months_between(world.start, date(world.end.year, 12, 31))
    shares = {year: _season_share(year) for year in {int(m[:4]) for m in months}}
    last_year = _revenue_by_rep_year(orders)
    expected = np.bincount(world.cust_rep, weights=world.cust_annual, minlength=len(world.rep_ids))
    rows: dict[str, dict[str, Any]] = {}
    for rep, rid in enumerate(world.rep_ids):
        region = world.region_ids[world.rep_region[rep]]
        for month in months:
            year = int(month[:4])
            base = last_year.get((rid, year - 1)) or expected[rep] * 0.78
            revenue = int(round(base * 1.10 * shares[year][int(month[5:]) - 1], -3)) * 100
            visits = int(round(world.rep_rate[rep] * world.rep_discipline[rep] * 21))
            values = {
                "revenue": revenue,
                "gross_margin": int(round(revenue * 0.32, -5)),
                "collections": int(round(revenue * 0.95, -5)),
                "new_customers": int((rep + int(month[5:])) % 3 == 0),
                "visits": visits,
            }
            for metric, amount in values.items():
                for key_region, key_rep in ((region, rid), (region, None), (None, None)):
                    _add_target(rows, month, metric, amount, key_region, key_rep)
    return list(rows.values())


def _add_target(
    rows: dict[str, dict[str, Any]],
    month: str,
    metric: str,
    amount: int,
    region: str | None,
    rep: str | None,
) -> None:
    key = "|".join([month, metric, region or "", rep or "", ""])
    if key in rows:
        rows[key]["amount"] += amount
        return
    rows[key] = {
        "target_key": key,
        "period": month,
        "metric": metric,
        "amount": amount,
        "region_id": region,
        "rep_id": rep,
        "product_id": None,
    }


def _season_share(year_number: int) -> np.ndarray:
    first = date(year_number, 1, 1)
    year = [first + timedelta(days=n) for n in range((date(year_number + 1, 1, 1) - first).days)]
    by_month = np.zeros(12)
    for day, weight in zip(year, _intensity(year), strict=True):
        by_month[day.month - 1] += weight
    return by_month / by_month.sum()


def _revenue_by_rep_year(orders: list[dict[str, Any]]) -> dict[tuple[str, int], float]:
    totals: dict[tuple[str, int], float] = {}
    months: dict[tuple[str, int], set[str]] = {}
    for order in orders:
        key = (order["rep_id"], order["date"].year)
        totals[key] = totals.get(key, 0.0) + order["amount_cents"] / 100
        months.setdefault(key, set()).add(month_of(order["date"]))
    return {key: total for key, total in totals.items() if len(months[key]) == 12}
