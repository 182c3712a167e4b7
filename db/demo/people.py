"""Regions, reps, products, customers and the demo users."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import numpy as np
from sqlalchemy import Connection

from db import schema
from db.demo.world import (
    BRANDS,
    CITIES,
    INDUSTRIES,
    PRODUCTS,
    REGION_NAMES,
    TRADES,
    Size,
    World,
    _insert,
    _person_names,
)
from db.users import add_user

# ---------------------------------------------------------------- customers


def _regions(conn: Connection, world: World) -> int:
    rows = [
        {"region_id": rid, "name": REGION_NAMES[n] if n < len(REGION_NAMES) else f"区域{n + 1}"}
        for n, rid in enumerate(world.region_ids)
    ]
    return _insert(conn, schema.Region.__table__, rows)


def _reps(conn: Connection, world: World, spec: Size) -> int:
    names = _person_names(world.rng, spec.reps)
    hired = world.rng.integers(60, 3_000, spec.reps)
    rows = [
        {
            "rep_id": rid,
            "name": names[n],
            "region_id": world.region_ids[world.rep_region[n]],
            "manager_id": None if n < spec.regions else world.rep_ids[world.rep_region[n]],
            "hire_date": world.start - timedelta(days=int(hired[n])),
            "active": True,
        }
        for n, rid in enumerate(world.rep_ids)
    ]
    return _insert(conn, schema.Rep.__table__, rows)


def _product_rows() -> list[dict[str, Any]]:
    return [{"product_id": p[0], "name": p[1], "category": p[2]} for p in PRODUCTS]


def _customers(conn: Connection, world: World, spec: Size) -> int:
    rng, n = world.rng, spec.customers
    region_weights = np.bincount(world.rep_region, minlength=spec.regions).astype(float)
    cust_region = rng.choice(spec.regions, n, p=region_weights / region_weights.sum())
    cust_rep = np.array([_pick_rep(rng, world.rep_region, r) for r in cust_region])
    potential = np.clip(rng.lognormal(np.log(300_000), 1.1, n), 20_000, 30_000_000).round(-3)
    share = rng.beta(2, 4, n)
    kind = rng.choice(3, n, p=[0.62, 0.23, 0.15])  # existing, new in window, prospect
    window = (world.end - world.start).days
    acquired = np.where(kind == 1, rng.integers(0, window, n), -rng.integers(30, 2_900, n))
    churn = rng.exponential(365 / 0.13, n)
    churn_day = np.maximum(acquired, 0) + churn
    lost = (kind != 2) & (churn_day < window)
    status = np.where(kind == 2, "prospect", np.where(lost, "lost", "active"))
    priority = _priority(potential * share)
    world.customer_ids = [f"C{i + 1:06d}" for i in range(n)]
    world.cust_rep = cust_rep
    world.cust_priority = priority
    world.cust_annual = np.where(kind == 2, 0.0, potential * share)
    world.cust_window = (np.maximum(acquired, 0), np.where(lost, churn_day, window + 1), kind)
    names = _company_names(rng, n)
    terms = rng.choice([30, 60, 90], n, p=[0.5, 0.35, 0.15])
    rows = []
    for i, cid in enumerate(world.customer_ids):
        created = world.start + timedelta(days=int(acquired[i]) - int(rng.integers(10, 120)))
        rows.append(
            {
                "customer_id": cid,
                "name": names[i],
                "region_id": world.region_ids[cust_region[i]],
                "owner_rep_id": world.rep_ids[cust_rep[i]],
                "status": str(status[i]),
                "created_on": created,
                "priority": str(priority[i]),
                "prospect_grade": str(rng.choice(list("ABCD"))) if kind[i] == 2 else None,
                "annual_potential_cents": int(potential[i]) * 100,
                "industry": INDUSTRIES[int(rng.integers(0, len(INDUSTRIES)))],
                "employees": int(rng.integers(5, 2_000)),
                "credit_rating": str(rng.choice(["A", "B", "C"], p=[0.4, 0.45, 0.15])),
                "credit_limit_cents": int(round(potential[i] * 0.2, -3)) * 100,
                "payment_terms_days": int(terms[i]),
                "contact": _person_names(rng, 1)[0],
                "phone": f"1{int(rng.integers(30, 90))}{int(rng.integers(10**7, 10**8))}",
                "address": f"{CITIES[i % len(CITIES)]}市{BRANDS[i % len(BRANDS)]}路{i % 300 + 1}号",
            }
        )
    return _insert(conn, schema.Customer.__table__, rows)


def _pick_rep(rng: np.random.Generator, rep_region: np.ndarray, region: int) -> int:
    return int(rng.choice(np.flatnonzero(rep_region == region)))


def _priority(annual: np.ndarray) -> np.ndarray:
    high, low = np.quantile(annual, [0.8, 0.4])
    return np.where(annual >= high, "key", np.where(annual >= low, "normal", "low"))


def _company_names(rng: np.random.Generator, count: int) -> list[str]:
    city = rng.integers(0, len(CITIES), count)
    brand = rng.integers(0, len(BRANDS), count)
    trade = rng.integers(0, len(TRADES), count)
    return [
        f"{CITIES[c]}{BRANDS[b]}{TRADES[t]}有限公司" + ("" if i < 13_500 else f"({i // 13_500})")
        for i, (c, b, t) in enumerate(zip(city, brand, trade, strict=True))
    ]


# ---------------------------------------------------------------- demo users


def demo_rep(world: World) -> str:
    """The rep the demo's rep user is: a rep of the first region, not its first."""
    return next(
        rid
        for n, rid in enumerate(world.rep_ids)
        if world.rep_region[n] == 0 and n >= len(world.region_ids)
    )


def _demo_users(conn: Connection, world: World) -> None:
    first_region = world.region_ids[0]
    second_rep = demo_rep(world)
    add_user(conn, "director", "演示总监", "director", "demo", is_demo=True)
    add_user(
        conn,
        "manager",
        "演示经理",
        "manager",
        "demo",
        regions=[first_region],
        is_demo=True,
    )
    add_user(conn, "rep", "演示业务员", "rep", "demo", rep_id=second_rep, is_demo=True)
