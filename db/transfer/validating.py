"""Validation of an import file: the header, every row (types, references to known IDs,
duplicate keys, amounts, the manager hierarchy) and the importer's write rules and scope,
each problem as a :class:`RowError` with file, row, column and what was expected."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Connection, func, not_, select, tuple_

from crm_core import inputs
from crm_core.scope import Role, Scope
from crm_core.spreadsheet import unquoted
from crm_core.vocabulary import MONEY_METRICS
from db import schema
from db.formats import FORMATS, KEY_COLUMN, Column, TableFormat, target_key
from db.scoping import scope_clause
from db.transfer.cells import CellError, parse_cell

MAX_ERRORS = 200
CHUNK = 500


@dataclass(frozen=True)
class RowError:
    file: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.row}:{self.column}: {self.message}"


@dataclass
class ImportResult:
    table: str
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    written: bool = False

    @property
    def ok(self) -> bool:
        return self.error_count == 0


# ---------------------------------------------------------------- import


@dataclass
class _Parsed:
    line: int
    values: dict[str, Any]


CHUNK_ROWS = 5_000  # rows validated (and written) at a time: memory stays bounded
Progress = Callable[[int, int], None]  # (rows done, rows expected or 0)


@dataclass
class _Check:
    """What the pass over a file keeps: counts, the first errors, and the keys seen (for
    duplicates inside the file). Rows themselves are not kept."""

    filename: str
    today: date = date.max
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    rows: int = 0
    seen: dict[tuple[Any, ...], int] = field(default_factory=dict)

    def add(self, errors: list[RowError]) -> None:
        self.error_count += len(errors)
        self.errors += errors[: max(0, MAX_ERRORS - len(self.errors))]


def _header(
    fmt: TableFormat, rows: Iterator[list[str]], filename: str
) -> tuple[list[str], list[RowError]]:
    first = next(rows, None)
    if first is None:
        return [], [RowError(filename, 1, "-", "expected a header row, found an empty file")]
    header = [cell.strip().lstrip("\ufeff").lower() for cell in first]
    return header, _header_errors(fmt, header, filename)


def _chunks(
    fmt: TableFormat, rows: Iterator[list[str]], header: list[str], filename: str, check: _Check
) -> Iterator[list[_Parsed]]:
    """Typed rows, :data:`CHUNK_ROWS` at a time (a table that refers to itself — reps and
    their managers — as one chunk), cell errors recorded in ``check``."""
    size = None if fmt.name == "reps" else CHUNK_ROWS
    chunk: list[_Parsed] = []
    for line, cells in enumerate(rows, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(header) and any(cell.strip() for cell in cells[len(header) :]):
            check.add([RowError(filename, line, "-",
                                f"expected at most {len(header)} cells (the header's), "
                                f"found {len(cells)}")])  # fmt: skip
        values, row_errors = _parse_row(fmt, dict(zip(header, cells, strict=False)), filename, line)
        check.add(row_errors)
        chunk.append(_Parsed(line, values))
        if size is not None and len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _validate_chunk(
    conn: Connection, fmt: TableFormat, parsed: list[_Parsed], check: _Check, scope: Scope | None
) -> None:
    """Duplicates, references, the manager chain, targets' regions and the importer's scope of
    one chunk (cell errors were recorded while parsing)."""
    filename = check.filename
    check.add(_duplicate_errors(fmt, parsed, filename, check.seen))
    check.add(_case_clash_errors(conn, fmt, parsed, filename))
    check.add(_future_errors(fmt, parsed, filename, check.today))
    check.add(_reference_errors(conn, fmt, parsed, filename))
    if fmt.name == "reps":
        check.add(_manager_loop_errors(conn, parsed, filename))
    if check.error_count:
        return
    if fmt.name == "targets":
        _complete_targets(conn, parsed)
    if scope is not None:
        check.add(scope_errors(conn, fmt, parsed, filename, scope))


def _header_errors(fmt: TableFormat, header: list[str], filename: str) -> list[RowError]:
    known = set(fmt.column_names)
    errors = [
        RowError(filename, 1, name, f"unknown column; expected {', '.join(fmt.column_names)}")
        for name in header
        if name and name not in known
    ]
    errors += [
        RowError(filename, 1, name, "required column missing from the header")
        for name in fmt.required_names
        if name not in header
    ]
    repeated = sorted({name for name in header if name and header.count(name) > 1})
    errors += [
        RowError(filename, 1, name, "column appears more than once in the header")
        for name in repeated
    ]
    return errors


def _parse_row(
    fmt: TableFormat, record: dict[str, str], filename: str, line: int
) -> tuple[dict[str, Any], list[RowError]]:
    values: dict[str, Any] = {}
    errors: list[RowError] = []
    for column in fmt.columns:
        raw = unquoted((record.get(column.name) or "").strip())
        if not raw:
            if column.required:
                errors.append(
                    RowError(filename, line, column.name, "a value is required, found empty")
                )
            values[column.name] = column.default
            continue
        try:
            values[column.name] = parse_cell(column, raw)
            if column.kind == "text":
                _check_text(column, raw)
        except (CellError, inputs.InputRefused) as problem:
            errors.append(RowError(filename, line, column.name, str(problem)))
    if fmt.name == "targets":
        errors += _target_amount_errors(values, filename, line)
    return values, errors


def _check_text(column: Column, text: str) -> None:
    """An ID in plain visible characters; a name or code on one line within its column's
    length; free text within :data:`inputs.FREE_TEXT_MAX` (crm_core.inputs)."""
    if column.name.endswith("_id"):
        if problem := inputs.id_problem(text):
            raise CellError(problem)
    elif column.length is not None:
        if hidden := inputs.hidden_characters(text):
            raise CellError(f"expected one line of visible characters, found {', '.join(hidden)}")
        if len(text) > column.length:
            raise CellError(f"expected at most {column.length} characters, found {len(text)}")
    else:
        inputs.free_text(text, "")


def _target_amount_errors(values: dict[str, Any], filename: str, line: int) -> list[RowError]:
    amount, metric = values.get("amount"), values.get("metric")
    if not isinstance(amount, Decimal) or metric is None:
        return []
    if metric in MONEY_METRICS:
        if amount * 100 != (amount * 100).to_integral_value():
            return [
                RowError(filename, line, "amount", f"expected at most 2 decimals, found {amount}")
            ]
        values["amount"] = int(amount * 100)
    elif amount != amount.to_integral_value():
        return [
            RowError(
                filename, line, "amount", f"expected a whole count for {metric}, found {amount}"
            )
        ]
    else:
        values["amount"] = int(amount)
    return []


def _key_of(fmt: TableFormat, values: dict[str, Any]) -> tuple[Any, ...]:
    if fmt.name == "targets":
        return (
            target_key(
                values["period"],
                values["metric"],
                values.get("region_id"),
                values.get("rep_id"),
                values.get("product_id"),
            ),
        )
    return tuple(values.get(name) for name in fmt.key)


def _duplicate_errors(
    fmt: TableFormat,
    parsed: list[_Parsed],
    filename: str,
    seen: dict[tuple[Any, ...], int] | None = None,
) -> list[RowError]:
    seen = {} if seen is None else seen
    errors: list[RowError] = []
    for row in parsed:
        if fmt.name == "targets" and not {"period", "metric"} <= row.values.keys():
            continue
        typed = _key_of(fmt, row.values)
        key = _folded(typed)
        if None in key:
            continue
        if key in seen:
            label = (
                "+".join(fmt.key) if fmt.name != "targets" else "period+metric+region+rep+product"
            )
            errors.append(
                RowError(
                    filename,
                    row.line,
                    label,
                    f"duplicate ID {'/'.join(map(str, typed))}, first on row {seen[key]}",
                )
            )
        else:
            seen[key] = row.line
    return errors


def _folded(key: tuple[Any, ...]) -> tuple[Any, ...]:
    """A key as compared for duplicates: IDs that differ only in case are one ID."""
    return tuple(part.casefold() if isinstance(part, str) else part for part in key)


def _case_clash_errors(
    conn: Connection, fmt: TableFormat, parsed: list[_Parsed], filename: str
) -> list[RowError]:
    """A new ID that differs from a stored one only in case (``b1`` beside ``B1``) would be a
    second, look-alike row: refused, naming the stored one. Checked for the tables other rows
    refer to by ID (regions, reps, products, customers, opportunities)."""
    name = KEY_COLUMN.get(fmt.name)
    if name is None:
        return []
    key = fmt.table.c[name]
    lowered = sorted({v.lower() for row in parsed if isinstance(v := row.values.get(name), str)})
    stored: dict[str, set[str]] = {}
    for start in range(0, len(lowered), CHUNK):
        query = select(key).where(func.lower(key).in_(lowered[start : start + CHUNK]))
        for found in conn.scalars(query):
            stored.setdefault(found.lower(), set()).add(found)
    errors = []
    for row in parsed:
        value = row.values.get(name)
        alike = stored.get(value.lower(), set()) if isinstance(value, str) else set()
        if alike and value not in alike:
            errors.append(
                RowError(filename, row.line, name,
                         f"expected a new ID or an existing one as stored, found {value!r}, "
                         f"which differs only in case from the existing {min(alike)!r}")
            )  # fmt: skip
    return errors


# The days a fact happened on: none of them can lie after the import's as-of day (a planned
# activity can; one done or missed cannot).
FACT_DAYS: dict[str, tuple[str, ...]] = {
    "orders": ("date",),
    "payments": ("date",),
    "activities": ("date",),
    "daily_reports": ("date",),
    "market_reports": ("date", "resolved_on"),
    "opportunities": ("created_on", "closed_on"),
    "opportunity_stages": ("entered_on",),
}


def _future_errors(
    fmt: TableFormat, parsed: list[_Parsed], filename: str, today: date
) -> list[RowError]:
    """Facts dated after ``today`` (an order, a payment, a done activity of tomorrow) would be
    counted as actuals before they happen: refused, naming the row."""
    errors = []
    for row in parsed:
        if fmt.name == "activities" and row.values.get("status") == "planned":
            continue
        for name in FACT_DAYS.get(fmt.name, ()):
            day = row.values.get(name)
            if isinstance(day, date) and day > today:
                errors.append(
                    RowError(filename, row.line, name,
                             f"expected a day no later than today ({today}), found {day}")
                )  # fmt: skip
    return errors


def _reference_errors(
    conn: Connection, fmt: TableFormat, parsed: list[_Parsed], filename: str
) -> list[RowError]:
    errors: list[RowError] = []
    for column in fmt.columns:
        if column.ref is None:
            continue
        wanted = {row.values.get(column.name) for row in parsed} - {None}
        known = _existing_ids(conn, column.ref, wanted)
        if column.ref == fmt.name:
            known |= {row.values.get(KEY_COLUMN[fmt.name]) for row in parsed}
        errors += [
            RowError(
                filename,
                row.line,
                column.name,
                f"expected a known {column.ref} ID, found {row.values[column.name]!r}",
            )
            for row in parsed
            if row.values.get(column.name) is not None and row.values[column.name] not in known
        ]
    return errors


def _manager_loop_errors(conn: Connection, parsed: list[_Parsed], filename: str) -> list[RowError]:
    """A rep may not manage themself, nor be their own manager's manager at any distance
    (the file's rows over the stored ones)."""
    reps = FORMATS["reps"].table
    manager_of: dict[str, str | None] = dict(
        conn.execute(select(reps.c.rep_id, reps.c.manager_id)).all()
    )
    manager_of |= {row.values.get("rep_id"): row.values.get("manager_id") for row in parsed}
    errors = []
    for row in parsed:
        start = row.values.get("rep_id")
        chain, current = [start], row.values.get("manager_id")
        while current is not None and current not in chain:
            chain.append(current)
            current = manager_of.get(current)
        if current is not None:
            loop = " → ".join([*chain[chain.index(current) :], current])
            errors.append(
                RowError(filename, row.line, "manager_id",
                         f"expected a manager chain that ends, found the loop {loop}")
            )  # fmt: skip
    return errors


def _existing_ids(conn: Connection, table_name: str, wanted: set[Any]) -> set[Any]:
    return _existing_values(conn, FORMATS[table_name].table.c[KEY_COLUMN[table_name]], wanted)


def _existing_values(conn: Connection, key: ColumnElement[Any], wanted: set[Any]) -> set[Any]:
    """Which of ``wanted`` stand in the column ``key``, :data:`CHUNK` at a time."""
    found: set[Any] = set()
    values = sorted(wanted)
    for start in range(0, len(values), CHUNK):
        chunk = values[start : start + CHUNK]
        found |= set(conn.scalars(select(key).where(key.in_(chunk))))
    return found


def _complete_targets(conn: Connection, parsed: list[_Parsed]) -> None:
    """A rep target without a region belongs to the rep's region (docs/formats.md)."""
    reps = FORMATS["reps"].table
    missing = {
        row.values["rep_id"]
        for row in parsed
        if row.values.get("rep_id") and not row.values.get("region_id")
    }
    if not missing:
        return
    region_of = dict(
        conn.execute(
            select(reps.c.rep_id, reps.c.region_id).where(reps.c.rep_id.in_(missing))
        ).all()
    )
    for row in parsed:
        if row.values.get("rep_id") and not row.values.get("region_id"):
            row.values["region_id"] = region_of[row.values["rep_id"]]


# ---------------------------------------------------------------- scope on the write path

DIRECTOR_ONLY = frozenset({"regions", "products"})
# The rep's own records: written by the rep in the app (plans, visits, the daily report) and
# signed off by their manager there; a file import of them is history, a director's.
REPS_OWN = frozenset({"daily_reports", "activities"})


def _table_refusal(fmt: TableFormat, scope: Scope, filename: str) -> list[RowError]:
    """Tables the importer may not import at all (checked before any row is read)."""
    if scope.role is Role.DIRECTOR or scope.is_unrestricted:
        return []
    if scope.role is Role.REP:
        return [RowError(filename, 1, "-", "a rep cannot import data")]
    if fmt.name in DIRECTOR_ONLY:
        return [RowError(filename, 1, "-", f"only a director may import {fmt.name}")]
    if fmt.name in REPS_OWN:
        return [
            RowError(
                filename, 1, "-",
                f"{fmt.name} are written by each rep in the app (and signed off there); only a "
                "director imports them, as history",
            )
        ]  # fmt: skip
    return []


def scope_errors(
    conn: Connection, fmt: TableFormat, parsed: list[_Parsed], filename: str, scope: Scope
) -> list[RowError]:
    """Rows an importer with ``scope`` may not write: references outside their regions, rows
    that would overwrite another region's row, region totals (a director's), reps importing."""
    if scope.role is Role.DIRECTOR or scope.is_unrestricted:
        return []
    if refused := _table_refusal(fmt, scope, filename):
        return refused
    regions = scope.region_ids or frozenset()
    region_of = _regions_of_references(conn, fmt, parsed)
    errors: list[RowError] = []
    for row in parsed:
        for column in fmt.columns:
            value = row.values.get(column.name)
            if value is None or column.name not in region_of:
                continue
            if region_of[column.name].get(value) not in regions:
                errors.append(
                    RowError(filename, row.line, column.name,
                             f"expected an ID inside your regions ({', '.join(sorted(regions))}), "
                             f"found {value!r}")
                )  # fmt: skip
        if fmt.name == "targets" and not row.values.get("rep_id"):
            errors.append(
                RowError(filename, row.line, "rep_id",
                         "a manager sets targets of reps; region and company totals are the "
                         "director's")
            )  # fmt: skip
    if fmt.name == "targets" and not errors:
        errors += _region_total_errors(conn, parsed, filename)
    return errors + _foreign_row_errors(conn, fmt, parsed, filename, scope)


def _region_total_errors(conn: Connection, parsed: list[_Parsed], filename: str) -> list[RowError]:
    """A manager splits a region total the director has set (as in the breakdown editor)."""
    targets = schema.Target.__table__
    totals = {
        row.line: target_key(
            row.values["period"], row.values["metric"], row.values["region_id"], None,
            row.values.get("product_id"),
        )
        for row in parsed
    }  # fmt: skip
    known = _existing_values(conn, targets.c.target_key, set(totals.values()))
    return [
        RowError(filename, row.line, "region_id",
                 f"{row.values['metric']} {row.values['period']}: region "
                 f"{row.values['region_id']} has no target yet; the director sets it first")
        for row in parsed
        if totals[row.line] not in known
    ]  # fmt: skip


def _regions_of_references(
    conn: Connection, fmt: TableFormat, parsed: list[_Parsed]
) -> dict[str, dict[str, str]]:
    """For each column that ties a row to a region: value → region ID (file rows included)."""
    customers, reps = schema.Customer.__table__, schema.Rep.__table__
    opportunities = schema.Opportunity.__table__
    lookups = {
        "region_id": None,
        "customer_id": select(customers.c.customer_id, customers.c.region_id),
        "rep_id": select(reps.c.rep_id, reps.c.region_id),
        "owner_rep_id": select(reps.c.rep_id, reps.c.region_id),
        "manager_id": select(reps.c.rep_id, reps.c.region_id),
        "opportunity_id": select(opportunities.c.opportunity_id, customers.c.region_id).join_from(
            opportunities, customers, opportunities.c.customer_id == customers.c.customer_id
        ),
    }
    found: dict[str, dict[str, str]] = {}
    for column in fmt.columns:
        if column.name not in lookups or (
            fmt.name == "opportunities" and column.name == "opportunity_id"
        ):
            continue
        if column.name == "customer_id" and fmt.name == "customers":
            continue
        if column.name == "rep_id" and fmt.name == "reps":
            continue
        values = {row.values.get(column.name) for row in parsed} - {None}
        if lookups[column.name] is None:
            found[column.name] = {v: v for v in values}
            continue
        query = lookups[column.name]
        key = query.selected_columns[0]
        mapping = dict(conn.execute(query.where(key.in_(sorted(values)))).all()) if values else {}
        if fmt.name == "reps" and column.name == "manager_id":
            mapping |= {r.values["rep_id"]: r.values["region_id"] for r in parsed}
        found[column.name] = mapping
    return found


def _foreign_row_errors(
    conn: Connection, fmt: TableFormat, parsed: list[_Parsed], filename: str, scope: Scope
) -> list[RowError]:
    """Existing rows with the same ID that the importer cannot see: refused, not overwritten."""
    records = [_db_row(fmt, row.values) for row in parsed]
    keys = sorted({tuple(r[n] for n in fmt.key) for r in records})
    if not keys:
        return []
    columns = [fmt.table.c[n] for n in fmt.key]
    hidden: set[tuple[Any, ...]] = set()
    for where in _keys_in(fmt, keys):
        query = select(*columns).where(where, not_(scope_clause(fmt.table, scope)))
        hidden |= {tuple(row) for row in conn.execute(query)}
    return [
        RowError(
            filename, row.line, "+".join(fmt.key), "this ID belongs to a row outside your scope"
        )
        for row, record in zip(parsed, records, strict=True)
        if tuple(record[n] for n in fmt.key) in hidden
    ]


def _db_row(fmt: TableFormat, values: dict[str, Any]) -> dict[str, Any]:
    record = {column.db_name: values.get(column.name) for column in fmt.columns}
    if fmt.name == "targets":
        record["target_key"] = _key_of(fmt, values)[0]
    return record


def _keys_in(fmt: TableFormat, keys: list[tuple[Any, ...]]) -> Iterator[ColumnElement[bool]]:
    """WHERE clauses matching ``keys`` (single or composite), :data:`CHUNK` keys at a time."""
    columns = [fmt.table.c[name] for name in fmt.key]
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start : start + CHUNK]
        if len(columns) == 1:
            yield columns[0].in_([key[0] for key in chunk])
        else:
            yield tuple_(*columns).in_(chunk)
