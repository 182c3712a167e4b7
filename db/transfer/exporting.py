"""The export: every row of a table inside the reader's scope, cells as the import reads them
(money in yuan with two decimals)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, select

from crm_core.scope import Scope
from crm_core.vocabulary import MONEY_METRICS
from db.formats import FORMATS, Column, TableFormat
from db.scoping import apply_scope
from db.transfer.files import write_table_file

# ---------------------------------------------------------------- export


def export_records(conn: Connection, table: str, scope: Scope | None = None) -> Iterator[list[str]]:
    """Header, then every row (within ``scope``) in the import format, ordered by ID."""
    fmt = FORMATS[table]
    query = select(fmt.table).order_by(*[fmt.table.c[name] for name in fmt.key])
    if scope is not None:
        query = apply_scope(query, fmt.table, scope)
    yield fmt.column_names
    for row in conn.execute(query).mappings():
        yield [_export_cell(column, row, fmt) for column in fmt.columns]


def _export_cell(column: Column, row: Any, fmt: TableFormat) -> str:
    value = row[column.db_name]
    if value is None:
        return ""
    if column.kind == "money" or (
        fmt.name == "targets" and column.name == "amount" and row["metric"] in MONEY_METRICS
    ):
        return f"{Decimal(value) / 100:.2f}"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def export_file(engine: Engine, table: str, path: Path, scope: Scope | None = None) -> int:
    """Write ``table`` to ``path``; returns the number of data rows."""
    with engine.connect() as conn:
        rows = list(export_records(conn, table, scope))
    path.write_bytes(write_table_file(rows, path.name))
    return len(rows) - 1
