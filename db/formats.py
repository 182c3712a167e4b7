"""The docs/formats.md import/export formats: columns in order, kinds, enums and references,
read off the tables of :mod:`db.schema` (one description of each table)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sqlalchemy import Boolean, Date, DateTime, Integer, Table
from sqlalchemy import Column as SqlColumn

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
    length: int | None = None  # a text column's most characters; None: free text

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


# A format is read off its table in db/schema.py: one column per database column (``*_cents``
# is the money column without the suffix), required unless nullable or defaulted, a reference
# where it has a foreign key, the codes of ``info["choices"]``, and ``info["kind"]`` where the
# type does not tell (a target's period and amount). The target's key is computed, not read.
_KIND_OF_TYPE = ((DateTime, "datetime"), (Date, "date"), (Boolean, "bool"), (Integer, "int"))
_COMPUTED = {"target_key"}


def _kind(column: SqlColumn) -> Kind:
    if "kind" in column.info:
        return column.info["kind"]
    if "choices" in column.info:
        return "enum"
    if column.name.endswith("_cents"):
        return "money"
    return next((kind for type_, kind in _KIND_OF_TYPE if isinstance(column.type, type_)), "text")


def _column(column: SqlColumn) -> Column:
    default = column.default.arg if column.default is not None else None  # type: ignore[attr-defined]
    money = column.name.endswith("_cents")
    return Column(
        name=column.name.removesuffix("_cents"),
        kind=_kind(column),
        required=not column.nullable and default is None,
        choices=column.info.get("choices", ()),
        ref=next((key.column.table.name for key in column.foreign_keys), None),
        db=column.name if money else None,
        default=default,
        length=getattr(column.type, "length", None),
    )


def _format(model: type[schema.Base]) -> TableFormat:
    table: Table = model.__table__  # type: ignore[assignment]
    return TableFormat(
        table.name,
        table,
        tuple(column.name for column in table.primary_key.columns),
        tuple(_column(column) for column in table.columns if column.name not in _COMPUTED),
    )


FORMATS: dict[str, TableFormat] = {
    f.name: f
    for f in map(
        _format,
        [
            schema.Region,
            schema.Rep,
            schema.Product,
            schema.Customer,
            schema.Target,
            schema.Order,
            schema.Payment,
            schema.Activity,
            schema.DailyReport,
            schema.Opportunity,
            schema.OpportunityStage,
            schema.MarketReport,
        ],
    )
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
