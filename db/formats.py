"""The docs/formats.md import/export formats: columns in order, kinds, enums and references."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sqlalchemy import Table

from crm_core.vocabulary import (
    ACTIVITY_STATUS,
    CREDIT,
    GRADE,
    KINDS,
    MARKET_KINDS,
    METRICS,
    OPEN_STATUS,
    OUTCOMES,
    PRIORITY,
    PURPOSES,
    REPORT_STATUS,
    SEVERITY,
    STAGES,
    STATUS,
)
from db import schema

Kind = Literal["text", "date", "datetime", "money", "int", "bool", "enum", "period", "amount"]


@dataclass(frozen=True)
class Column:
    """One column of an import file. ``db`` names the database column when it differs."""

    name: str
    kind: Kind = "text"
    required: bool = True
    choices: tuple[str, ...] = ()
    ref: str | None = None
    db: str | None = None
    default: object = None

    @property
    def db_name(self) -> str:
        return self.db or self.name


@dataclass(frozen=True)
class TableFormat:
    name: str
    table: Table
    key: tuple[str, ...]
    columns: tuple[Column, ...]

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]

    @property
    def required_names(self) -> list[str]:
        return [column.name for column in self.columns if column.required]


def _c(name: str, kind: Kind = "text", **options: object) -> Column:
    return Column(name, kind, **options)  # type: ignore[arg-type]


def _opt(name: str, kind: Kind = "text", **options: object) -> Column:
    return Column(name, kind, required=False, **options)  # type: ignore[arg-type]


def _money(name: str, required: bool = True) -> Column:
    return Column(name, "money", required=required, db=f"{name}_cents")


FORMATS: dict[str, TableFormat] = {
    f.name: f
    for f in [
        TableFormat(
            "regions", schema.Region.__table__, ("region_id",), (_c("region_id"), _c("name"))
        ),
        TableFormat(
            "reps",
            schema.Rep.__table__,
            ("rep_id",),
            (
                _c("rep_id"),
                _c("name"),
                _c("region_id", ref="regions"),
                _opt("manager_id", ref="reps"),
                _opt("hire_date", "date"),
                _opt("active", "bool", default=True),
            ),
        ),
        TableFormat(
            "products",
            schema.Product.__table__,
            ("product_id",),
            (_c("product_id"), _c("name"), _opt("category")),
        ),
        TableFormat(
            "customers",
            schema.Customer.__table__,
            ("customer_id",),
            (
                _c("customer_id"),
                _c("name"),
                _c("region_id", ref="regions"),
                _c("owner_rep_id", ref="reps"),
                _c("status", "enum", choices=STATUS),
                _c("created_on", "date"),
                _opt("priority", "enum", choices=PRIORITY),
                _opt("prospect_grade", "enum", choices=GRADE),
                _money("annual_potential", required=False),
                _opt("industry"),
                _opt("employees", "int"),
                _opt("credit_rating", "enum", choices=CREDIT),
                _money("credit_limit", required=False),
                _opt("payment_terms_days", "int"),
                _opt("contact"),
                _opt("phone"),
                _opt("address"),
            ),
        ),
        TableFormat(
            "targets",
            schema.Target.__table__,
            ("target_key",),
            (
                _c("period", "period"),
                _c("metric", "enum", choices=METRICS),
                _c("amount", "amount"),
                _opt("region_id", ref="regions"),
                _opt("rep_id", ref="reps"),
                _opt("product_id", ref="products"),
            ),
        ),
        TableFormat(
            "orders",
            schema.Order.__table__,
            ("order_id",),
            (
                _c("order_id"),
                _c("date", "date"),
                _c("customer_id", ref="customers"),
                _c("rep_id", ref="reps"),
                _c("product_id", ref="products"),
                _c("quantity", "int"),
                _money("amount"),
                _money("cost"),
            ),
        ),
        TableFormat(
            "payments",
            schema.Payment.__table__,
            ("payment_id",),
            (
                _c("payment_id"),
                _c("date", "date"),
                _c("customer_id", ref="customers"),
                _c("rep_id", ref="reps"),
                _money("amount"),
            ),
        ),
        TableFormat(
            "activities",
            schema.Activity.__table__,
            ("activity_id",),
            (
                _c("activity_id"),
                _c("date", "date"),
                _c("rep_id", ref="reps"),
                _c("customer_id", ref="customers"),
                _c("kind", "enum", choices=KINDS),
                _c("purpose", "enum", choices=PURPOSES),
                _c("status", "enum", choices=ACTIVITY_STATUS),
                _c("planned", "bool"),
                _opt("outcome", "enum", choices=OUTCOMES),
                _opt("duration_min", "int"),
                _money("cost", required=False),
                _opt("notes"),
            ),
        ),
        TableFormat(
            "daily_reports",
            schema.DailyReport.__table__,
            ("report_id",),
            (
                _c("report_id"),
                _c("rep_id", ref="reps"),
                _c("date", "date"),
                _c("submitted_at", "datetime"),
                _opt("summary"),
                _opt("competitor_info"),
                _opt("customer_feedback"),
                _c("status", "enum", choices=REPORT_STATUS),
                _opt("reviewed_by"),
                _opt("reviewed_at", "datetime"),
                _opt("review_comment"),
            ),
        ),
        TableFormat(
            "opportunities",
            schema.Opportunity.__table__,
            ("opportunity_id",),
            (
                _c("opportunity_id"),
                _c("customer_id", ref="customers"),
                _c("rep_id", ref="reps"),
                _c("name"),
                _money("amount"),
                _c("stage", "enum", choices=STAGES),
                _c("created_on", "date"),
                _c("expected_close", "date"),
                _opt("closed_on", "date"),
                _opt("lost_reason"),
            ),
        ),
        TableFormat(
            "opportunity_stages",
            schema.OpportunityStage.__table__,
            ("opportunity_id", "stage"),
            (
                _c("opportunity_id", ref="opportunities"),
                _c("stage", "enum", choices=STAGES),
                _c("entered_on", "date"),
            ),
        ),
        TableFormat(
            "market_reports",
            schema.MarketReport.__table__,
            ("report_id",),
            (
                _c("report_id"),
                _c("date", "date"),
                _c("rep_id", ref="reps"),
                _opt("customer_id", ref="customers"),
                _c("kind", "enum", choices=MARKET_KINDS),
                _c("severity", "enum", choices=SEVERITY),
                _c("summary"),
                _c("status", "enum", choices=OPEN_STATUS),
                _opt("resolved_on", "date"),
            ),
        ),
    ]
}

TABLE_NAMES: tuple[str, ...] = tuple(FORMATS)

KEY_COLUMN: dict[str, str] = {
    "regions": "region_id",
    "reps": "rep_id",
    "products": "product_id",
    "customers": "customer_id",
    "opportunities": "opportunity_id",
}


def target_key(
    period: str, metric: str, region_id: str | None, rep_id: str | None, product_id: str | None
) -> str:
    """The natural key of a target row (the import format has no ID column)."""
    return "|".join([period, metric, region_id or "", rep_id or "", product_id or ""])
