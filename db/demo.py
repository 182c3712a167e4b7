"""Deterministic, realistic demo data (``python cli.py db demo --size S|M|L --seed N``).

Same seed and same end date give the same data. The shape follows the source texts:
Chinese region, rep and company names; monthly seasonality with a Spring Festival dip and a
year-end peak; reps of different skill (conversion, visit discipline, report punctuality);
customer revenue with a Pareto shape (lognormal potential × share of wallet); call funnels near
100 → 50 → 13 → 13 → 5; yearly churn of about 13 %; targets from last year's actuals plus growth,
spread by seasonality; daily reports with some late, missing and returned; opportunities with
stage history; market reports and complaints.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import numpy as np
from sqlalchemy import Connection, Engine, Table, func, select

from crm_core.periods import is_working_day, month_of, months_between, next_working_day
from db import schema
from db.transactions import bump_data_version
from db.users import add_user


@dataclass(frozen=True)
class Size:
    regions: int
    reps: int
    customers: int
    years: int


SIZES = {
    "XS": Size(2, 6, 60, 1),
    "S": Size(3, 20, 500, 1),
    "M": Size(10, 200, 10_000, 2),
    "L": Size(30, 1_000, 100_000, 3),
}

REGION_NAMES = (
    "华东区 华南区 华北区 华中区 西南区 西北区 东北区 上海办事处 北京办事处 广州办事处 深圳办事处 "
    "杭州办事处 南京办事处 成都办事处 武汉办事处 西安办事处 重庆办事处 天津办事处 苏州办事处 "
    "长沙办事处 郑州办事处 青岛办事处 沈阳办事处 宁波办事处 昆明办事处 大连办事处 厦门办事处 "
    "合肥办事处 福州办事处 济南办事处"
).split()
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐"
    "许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉建文斌宇浩凯健俊帆帅旭宁龙林欣"
CITIES = (
    "上海 北京 广州 深圳 杭州 南京 成都 武汉 西安 重庆 天津 苏州 长沙 郑州 青岛 "
    "沈阳 宁波 昆明 大连 厦门 合肥 福州 济南 无锡 佛山 东莞 常州 温州 绍兴 嘉兴"
).split()
BRANDS = (
    "鑫达 恒通 华泰 宏远 永盛 金鼎 瑞丰 天成 嘉禾 东方 博远 盛世 汇丰 联创 新锐 "
    "中兴 安泰 富源 锦程 卓越 德润 万隆 信达 广源 正大 海纳 同创 启航 益民 康达"
).split()
TRADES = "贸易 商贸 实业 科技 建材 电子 机械 食品 医药 化工 物流 家居 汽配 五金 纺织".split()
INDUSTRIES = ("制造", "批发零售", "建筑", "餐饮", "医疗", "教育", "物流", "电子")
PRODUCTS = (
    ("P001", "工业清洗剂 A型", "化学品", 180.0, 0.42),
    ("P002", "工业清洗剂 B型", "化学品", 260.0, 0.38),
    ("P003", "润滑油 5L", "化学品", 320.0, 0.33),
    ("P004", "防护手套(箱)", "劳保用品", 150.0, 0.45),
    ("P005", "安全鞋", "劳保用品", 280.0, 0.40),
    ("P006", "电动工具套装", "设备", 2_400.0, 0.28),
    ("P007", "空气压缩机", "设备", 12_800.0, 0.22),
    ("P008", "焊接设备", "设备", 8_600.0, 0.25),
    ("P009", "包装耗材(卷)", "耗材", 95.0, 0.35),
    ("P010", "标签打印纸", "耗材", 60.0, 0.48),
    ("P011", "年度维保服务", "服务", 6_000.0, 0.55),
    ("P012", "安装调试服务", "服务", 1_500.0, 0.60),
)
PRODUCT_WEIGHTS = np.array([14, 10, 12, 9, 7, 6, 3, 4, 12, 8, 8, 7], dtype=float)
SPRING_FESTIVAL = {
    2020: date(2020, 1, 25), 2021: date(2021, 2, 12), 2022: date(2022, 2, 1),
    2023: date(2023, 1, 22), 2024: date(2024, 2, 10), 2025: date(2025, 1, 29),
    2026: date(2026, 2, 17), 2027: date(2027, 2, 6), 2028: date(2028, 1, 26),
    2029: date(2029, 2, 13), 2030: date(2030, 2, 3),
}  # fmt: skip
MONTH_FACTOR = np.array([0.95, 0.80, 1.0, 1.0, 0.95, 1.05, 0.95, 0.95, 1.05, 0.90, 1.10, 1.35])
PURPOSES = (
    "order",
    "service",
    "collection",
    "new_customer",
    "market_research",
    "complaint",
    "other",
)
PURPOSE_WEIGHTS = np.array([0.25, 0.20, 0.15, 0.20, 0.10, 0.05, 0.05])
OUTCOMES = np.array(
    ["no_contact", "contacted", "appointment", "presentation", "sale"], dtype=object
)
STAGES = ("identified", "contacted", "qualified", "developed", "committed")
ADVANCE = (0.80, 0.70, 0.70, 0.75, 0.80)
LOST_REASONS = ("价格太高", "选择了竞争对手", "预算取消", "需求变化", "联系不上决策人")
MARKET_KINDS = ("competitor", "complaint", "dealer", "personnel", "product_feedback")
MARKET_WEIGHTS = np.array([0.4, 0.2, 0.1, 0.1, 0.2])
MARKET_SUMMARIES = {
    "competitor": (
        "竞争对手推出降价促销,降幅约10%",
        "竞品新增两名销售驻点",
        "竞争对手提供更长账期",
    ),
    "complaint": ("客户反映交货延迟", "客户投诉产品包装破损", "客户对发票开具时间不满"),
    "dealer": ("经销商库存偏高,回款放缓", "新经销商有合作意向"),
    "personnel": ("客户采购负责人更换", "客户新设采购经理岗位"),
    "product_feedback": ("客户希望增加小包装规格", "客户反馈新配方效果良好"),
}
DAILY_SUMMARIES = (
    "拜访重点客户,跟进订单",
    "电话回访老客户,收集需求",
    "开发新客户,递送样品",
    "催收货款,确认付款计划",
)
COMPETITOR_INFO = ("", "", "竞品报价下调", "竞品业务员频繁拜访")
FEEDBACK = ("", "客户满意", "希望缩短交货期", "询问新产品价格")


class DemoError(Exception):
    pass


@dataclass
class World:
    """Arrays of the generated world shared by the generation steps."""

    rng: np.random.Generator
    start: date
    end: date
    days: list[date]
    intensity: np.ndarray  # ordering intensity per day (0 on weekends)
    region_ids: list[str]
    rep_ids: list[str]
    rep_region: np.ndarray
    rep_conv: np.ndarray
    rep_discipline: np.ndarray
    rep_punctuality: np.ndarray
    rep_rate: np.ndarray
    customer_ids: list[str] | None = None
    cust_rep: np.ndarray | None = None
    cust_priority: np.ndarray | None = None
    cust_annual: np.ndarray | None = None
    cust_window: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None  # begin, stop, kind


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
        counts["market_reports"] = _insert(conn, schema.MarketReport.__table__, _market(world))
        counts["targets"] = _insert(conn, schema.Target.__table__, _targets(world, order_rows))
        _demo_users(conn, world)
        bump_data_version(conn)
    return counts


def is_empty(engine: Engine) -> bool:
    """True when no region, customer or user exists yet."""
    with engine.connect() as conn:
        return not any(
            conn.scalar(select(func.count()).select_from(table))
            for table in (schema.Region.__table__, schema.Customer.__table__, schema.User.__table__)
        )


def _insert(conn: Connection, table: Table, rows: Iterable[dict[str, Any]]) -> int:
    total, iterator = 0, iter(rows)
    while batch := list(itertools.islice(iterator, 20_000)):
        conn.execute(table.insert(), batch)
        total += len(batch)
    return total


# ---------------------------------------------------------------- the world


def _world(spec: Size, seed: int, end: date) -> World:
    rng = np.random.default_rng(seed)
    first_month = months_between(date(end.year - spec.years, end.month, 1), end)[1]
    start = date.fromisoformat(f"{first_month}-01")
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    rep_region = _rep_regions(rng, spec)
    return World(
        rng=rng,
        start=start,
        end=end,
        days=days,
        intensity=_intensity(days),
        region_ids=[f"R{n + 1:03d}" for n in range(spec.regions)],
        rep_ids=[f"E{n + 1:04d}" for n in range(spec.reps)],
        rep_region=rep_region,
        rep_conv=np.clip(rng.lognormal(0, 0.35, spec.reps), 0.4, 2.0),
        rep_discipline=np.clip(rng.beta(8, 1.5, spec.reps), 0.55, 0.99),
        rep_punctuality=np.clip(rng.beta(6, 1.5, spec.reps), 0.4, 0.99),
        rep_rate=rng.uniform(4.0, 8.0, spec.reps),
    )


def _rep_regions(rng: np.random.Generator, spec: Size) -> np.ndarray:
    """Each region gets a lead first (rep index = region index), the rest by region weight."""
    weights = rng.uniform(0.6, 1.4, spec.regions)
    rest = rng.choice(spec.regions, spec.reps - spec.regions, p=weights / weights.sum())
    return np.concatenate([np.arange(spec.regions), np.sort(rest)])


def _intensity(days: list[date]) -> np.ndarray:
    factors = np.array([MONTH_FACTOR[d.month - 1] if is_working_day(d) else 0.0 for d in days])
    for index, day in enumerate(days):
        festival = SPRING_FESTIVAL.get(day.year)
        if festival and -7 <= (day - festival).days <= 10:
            factors[index] *= 0.3
    return factors


def _person_names(rng: np.random.Generator, count: int) -> list[str]:
    surnames = rng.integers(0, len(SURNAMES), count)
    first = rng.integers(0, len(GIVEN), count)
    second = rng.integers(0, len(GIVEN) + 12, count)
    return [
        SURNAMES[s] + GIVEN[f] + (GIVEN[g] if g < len(GIVEN) else "")
        for s, f, g in zip(surnames, first, second, strict=True)
    ]


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


# ---------------------------------------------------------------- customers


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


# ---------------------------------------------------------------- activities


def _activities(world: World) -> Iterable[dict[str, Any]]:
    """Per rep and working day a Poisson number of calls and visits; tomorrow's plan too."""
    rng = world.rng
    plan_day = next_working_day(world.end)
    workdays = [d for d in world.days if is_working_day(d)] + [plan_day]
    weights = np.select(
        [world.cust_priority == "key", world.cust_priority == "normal"], [4.0, 2.0], 1.0
    )
    # Reps neglect some customers (about one in five gets almost no attention), so contact
    # cadence has customers to flag; the others get more or less attention at random.
    neglected = rng.random(len(weights)) < 0.2
    weights = weights * np.where(neglected, 0.003, rng.lognormal(0, 0.5, len(weights)))
    serial = itertools.count(1)
    for rep in range(len(world.rep_ids)):
        mine = np.flatnonzero(world.cust_rep == rep)
        if len(mine) == 0:
            continue
        counts = rng.poisson(world.rep_rate[rep], len(workdays))
        day_of = np.repeat(np.arange(len(workdays)), counts)
        yield from _rep_activities(
            world, rep, mine, weights[mine], day_of, workdays, plan_day, serial
        )


def _rep_activities(
    world: World,
    rep: int,
    mine: np.ndarray,
    weights: np.ndarray,
    day_of: np.ndarray,
    workdays: list[date],
    plan_day: date,
    serial: Iterable[int],
) -> Iterable[dict[str, Any]]:
    rng, n = world.rng, len(day_of)
    customers = rng.choice(mine, n, p=weights / weights.sum())
    is_call = rng.random(n) < 0.55
    purpose = rng.choice(len(PURPOSES), n, p=PURPOSE_WEIGHTS)
    planned = rng.random(n) < 0.8
    done = ~planned | (rng.random(n) < world.rep_discipline[rep])
    outcome = _outcomes(rng, is_call, world.rep_conv[rep])
    duration = np.where(is_call, rng.integers(3, 21, n), rng.integers(30, 151, n))
    cost = np.where(is_call, rng.integers(200, 501, n), rng.integers(3_000, 30_001, n))
    today_open = rng.random(n) < 0.5
    counter = iter(serial)
    for i in range(n):
        day = workdays[day_of[i]]
        future = day == plan_day or (day == world.end and planned[i] and today_open[i])
        if future and not planned[i]:
            continue
        status = "planned" if future else ("done" if done[i] else "missed")
        yield {
            "activity_id": f"A{next(counter):09d}",
            "date": day,
            "rep_id": world.rep_ids[rep],
            "customer_id": world.customer_ids[customers[i]],
            "kind": "call" if is_call[i] else "visit",
            "purpose": PURPOSES[purpose[i]],
            "status": status,
            "planned": bool(planned[i]),
            "outcome": outcome[i] if status == "done" else None,
            "duration_min": int(duration[i]) if status == "done" else None,
            "cost_cents": int(cost[i]) if status == "done" else None,
            "notes": None,
        }


def _outcomes(rng: np.random.Generator, is_call: np.ndarray, conv: float) -> np.ndarray:
    """Furthest funnel step: calls ≈ 100 → 50 → 13 → 12 → 5; visits reach people more often."""
    n = len(is_call)
    boost = np.sqrt(conv)
    p_contact = np.where(is_call, 0.50, 0.85)
    p_appointment = np.where(is_call, 0.26, 0.45) * boost
    p_presentation = np.where(is_call, 0.95, 0.90)
    p_sale = np.clip(np.where(is_call, 0.38, 0.30) * boost, 0, 0.9)
    steps = np.stack([p_contact, p_appointment, p_presentation, p_sale])
    passed = np.cumprod(rng.random((4, n)) < steps, axis=0)
    return OUTCOMES[passed.sum(axis=0)]


# ---------------------------------------------------------------- daily reports


def _daily_reports(world: World) -> Iterable[dict[str, Any]]:
    rng = world.rng
    workdays = [d for d in world.days if is_working_day(d)]
    serial = itertools.count(1)
    for rep, rid in enumerate(world.rep_ids):
        lead = world.rep_ids[world.rep_region[rep]]
        punctual = world.rep_punctuality[rep]
        missing = rng.random(len(workdays)) < (1 - punctual) * 0.3
        on_time = rng.random(len(workdays)) < punctual
        minutes = np.where(
            on_time,
            rng.integers(17 * 60, 20 * 60, len(workdays)),
            rng.integers(20 * 60 + 1, 24 * 60 + 9 * 60, len(workdays)),
        )
        verdict = rng.choice(2, len(workdays), p=[0.94, 0.06])
        texts = rng.integers(0, 4, (3, len(workdays)))
        for i, day in enumerate(workdays):
            if missing[i] or (day == world.end and not on_time[i]):
                continue
            submitted = datetime.combine(day, time()) + timedelta(minutes=int(minutes[i]))
            reviewed = (world.end - day).days > 2
            status = ("approved" if verdict[i] == 0 else "returned") if reviewed else "submitted"
            yield {
                "report_id": f"DR{next(serial):08d}",
                "rep_id": rid,
                "date": day,
                "submitted_at": submitted,
                "summary": DAILY_SUMMARIES[texts[0, i]],
                "competitor_info": COMPETITOR_INFO[texts[1, i]] or None,
                "customer_feedback": FEEDBACK[texts[2, i]] or None,
                "status": status,
                "reviewed_by": lead if reviewed else None,
                "reviewed_at": submitted + timedelta(hours=14) if reviewed else None,
                "review_comment": "请补充客户反馈细节" if status == "returned" else None,
            }


# ---------------------------------------------------------------- opportunities


def _opportunities(world: World) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    rng = world.rng
    months = len(months_between(world.start, world.end))
    window = (world.end - world.start).days
    opportunities: list[dict[str, Any]] = []
    history: list[dict[str, Any]] = []
    for rep, rid in enumerate(world.rep_ids):
        mine = np.flatnonzero(world.cust_rep == rep)
        if len(mine) == 0:
            continue
        for _ in range(int(rng.poisson(4 * months))):
            oid = f"OP{len(opportunities) + 1:07d}"
            created = world.start + timedelta(days=int(rng.integers(0, window + 1)))
            stage, closed, entries = _walk_stages(rng, created, world.end, world.rep_conv[rep])
            history += [{"opportunity_id": oid, "stage": s, "entered_on": d} for s, d in entries]
            opportunities.append(
                {
                    "opportunity_id": oid,
                    "customer_id": world.customer_ids[int(rng.choice(mine))],
                    "rep_id": rid,
                    "name": f"{PRODUCTS[int(rng.integers(0, len(PRODUCTS)))][1]} 采购项目",
                    "amount_cents": int(round(rng.lognormal(np.log(250_000), 0.8), -3)) * 100,
                    "stage": stage,
                    "created_on": created,
                    "expected_close": created + timedelta(days=int(rng.integers(30, 120))),
                    "closed_on": closed,
                    "lost_reason": str(rng.choice(LOST_REASONS)) if stage == "lost" else None,
                }
            )
    return opportunities, history


def _walk_stages(
    rng: np.random.Generator, created: date, end: date, conv: float
) -> tuple[str, date | None, list[tuple[str, date]]]:
    """Walk one deal through the stages until it is won, lost, or the data ends."""
    entries = [("identified", created)]
    index, day = 0, created
    stuck = rng.random() < 0.12
    while True:
        day += timedelta(days=int(rng.exponential(60 if stuck else 12)) + 2)
        if day > end:
            return STAGES[index], None, entries
        if rng.random() > min(0.95, ADVANCE[index] * conv**0.25):
            entries.append(("lost", day))
            return "lost", day, entries
        index += 2 if index < 3 and rng.random() < 0.08 else 1
        if index >= len(STAGES):
            entries.append(("won", day))
            return "won", day, entries
        entries.append((STAGES[index], day))


# ---------------------------------------------------------------- market reports


def _market(world: World) -> list[dict[str, Any]]:
    rng = world.rng
    months = len(months_between(world.start, world.end))
    window = (world.end - world.start).days
    rows: list[dict[str, Any]] = []
    for rep, rid in enumerate(world.rep_ids):
        mine = np.flatnonzero(world.cust_rep == rep)
        for _ in range(int(rng.poisson(1.5 * months))):
            kind = MARKET_KINDS[int(rng.choice(5, p=MARKET_WEIGHTS))]
            day = world.start + timedelta(days=int(rng.integers(0, window + 1)))
            resolved = day + timedelta(days=int(rng.integers(1, 40)))
            with_customer = len(mine) > 0 and kind in ("complaint", "product_feedback", "personnel")
            options = MARKET_SUMMARIES[kind]
            rows.append(
                {
                    "report_id": f"MR{len(rows) + 1:07d}",
                    "date": day,
                    "rep_id": rid,
                    "customer_id": world.customer_ids[int(rng.choice(mine))]
                    if with_customer
                    else None,
                    "kind": kind,
                    "severity": str(rng.choice(["low", "medium", "high"], p=[0.5, 0.35, 0.15])),
                    "summary": options[int(rng.integers(0, len(options)))],
                    "status": "resolved" if resolved <= world.end else "open",
                    "resolved_on": resolved if resolved <= world.end else None,
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


# ---------------------------------------------------------------- demo users


def _demo_users(conn: Connection, world: World) -> None:
    first_region = world.region_ids[0]
    second_rep = next(
        rid
        for n, rid in enumerate(world.rep_ids)
        if world.rep_region[n] == 0 and n >= len(world.region_ids)
    )
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
