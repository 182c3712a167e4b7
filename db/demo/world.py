"""The demo world: sizes, the names and shapes it draws from, and the arrays every table's
generation shares (reps' skills, customers' owners and windows, daily intensity)."""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import Connection, Table

from crm_core import vocabulary
from crm_core.periods import is_working_day, months_between
from crm_core.pipeline import STAGES as OPEN_STAGES


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


def _catalog(path: Path) -> list[dict[str, str]]:
    """The demo's product catalog, products.csv beside this module: ID, name, category, list
    price in yuan, gross margin share and how often the product is ordered (``weight``)."""
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


_CATALOG = _catalog(Path(__file__).with_name("products.csv"))
PRODUCTS = tuple(
    (p["product_id"], p["name"], p["category"], float(p["list_price_yuan"]), float(p["margin"]))
    for p in _CATALOG
)
PRODUCT_WEIGHTS = np.array([float(p["weight"]) for p in _CATALOG])
SPRING_FESTIVAL = {
    2020: date(2020, 1, 25), 2021: date(2021, 2, 12), 2022: date(2022, 2, 1),
    2023: date(2023, 1, 22), 2024: date(2024, 2, 10), 2025: date(2025, 1, 29),
    2026: date(2026, 2, 17), 2027: date(2027, 2, 6), 2028: date(2028, 1, 26),
    2029: date(2029, 2, 13), 2030: date(2030, 2, 3),
}  # fmt: skip
MONTH_FACTOR = np.array([0.95, 0.80, 1.0, 1.0, 0.95, 1.05, 0.95, 0.95, 1.05, 0.90, 1.10, 1.35])
PURPOSES = (  # the vocabulary's purposes in the order of PURPOSE_WEIGHTS
    "order",
    "service",
    "collection",
    "new_customer",
    "market_research",
    "complaint",
    "other",
)
PURPOSE_WEIGHTS = np.array([0.25, 0.20, 0.15, 0.20, 0.10, 0.05, 0.05])
OUTCOMES = np.array(vocabulary.OUTCOMES, dtype=object)
STAGES = OPEN_STAGES
ADVANCE = (0.80, 0.70, 0.70, 0.75, 0.80)
LOST_REASONS = ("价格太高", "选择了竞争对手", "预算取消", "需求变化", "联系不上决策人")
MARKET_KINDS = vocabulary.MARKET_KINDS
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


def _insert(conn: Connection, table: Table, rows: Iterable[dict[str, Any]]) -> int:
    """Write ``rows`` into ``table`` inside the caller's transaction: by PostgreSQL's COPY
    where the database is PostgreSQL (many times faster than INSERT), else in batches."""
    if conn.dialect.name == "postgresql":
        return _copy(conn, table, rows)
    total, iterator = 0, iter(rows)
    while batch := list(itertools.islice(iterator, 20_000)):
        conn.execute(table.insert(), batch)
        total += len(batch)
    return total


def _copy(conn: Connection, table: Table, rows: Iterable[dict[str, Any]]) -> int:
    """``rows`` through ``COPY table (columns) FROM STDIN`` on the connection's psycopg cursor;
    a column a row leaves out takes its Python-side default (as an INSERT would), and an
    autoincrementing key its sequence's next value."""
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        return 0
    rows = itertools.chain([first], rows)
    counter = table.autoincrement_column
    columns = [c for c in table.columns if c is not counter or c.name in first]
    defaults = {c.name: c.default.arg for c in columns if c.default is not None}  # type: ignore[attr-defined]
    names = ", ".join(f'"{c.name}"' for c in columns)
    total = 0
    with conn.connection.cursor() as cursor:
        with cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row([row.get(c.name, defaults.get(c.name)) for c in columns])
                total += 1
    return total
