"""Import and export of the docs/formats.md tables, CSV or XLSX.

Import reads the file as a stream, 5,000 rows at a time, and validates every row (types, enums,
dates, references to known IDs, amounts ≥ 0, duplicate IDs inside the file, the importer's write
rules). One transaction holds the whole import: while no error has turned up each chunk is
written (new rows inserted, changed rows updated — upsert on the ID —, unchanged rows left alone,
so re-importing a file changes nothing); an error anywhere rolls all of it back. Rows are
numbered as in a spreadsheet: the header is row 1, the first data row is row 2.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import ColumnElement, Connection, Engine, bindparam, not_, select, tuple_
from sqlalchemy.exc import IntegrityError, OperationalError

from crm_core.scope import Role, Scope
from crm_core.spreadsheet import csv_safe, text_not_formula, unquoted
from crm_core.vocabulary import MONEY_METRICS
from db import schema
from db.formats import FORMATS, KEY_COLUMN, Column, TableFormat, target_key
from db.scoping import apply_scope, scope_clause
from db.targets import TargetRefused, check_sums
from db.transactions import audit, bump_data_version, write_transaction

MAX_ERRORS = 200
CHUNK = 500
TRUE = {"true", "1", "yes", "y", "t", "是", "真"}
FALSE = {"false", "0", "no", "n", "f", "否", "假"}


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


# ---------------------------------------------------------------- reading files


class FileUnreadable(ValueError):
    """The file is not a readable CSV or XLSX file (or not UTF-8/GBK text); ``row`` is the
    spreadsheet row where reading failed (1 when the whole file is unreadable)."""

    def __init__(self, message: str, row: int = 1) -> None:
        super().__init__(message)
        self.row = row


@dataclass(frozen=True)
class TableFile:
    """A ``.csv`` or ``.xlsx`` file (bytes, or a path) read row by row, header first, as
    often as needed, without holding its rows in memory: a 50 MB file is checked and imported
    in bounded memory, chunk by chunk."""

    name: str
    source: bytes | Path
    encoding: str = "utf-8-sig"

    @property
    def is_xlsx(self) -> bool:
        return self.name.lower().endswith(".xlsx")

    def _binary(self) -> BinaryIO:
        return io.BytesIO(self.source) if isinstance(self.source, bytes) else self.source.open("rb")

    def rows(self) -> Iterator[list[str]]:
        """Every row as text cells. Raises :class:`FileUnreadable` naming the line."""
        yield from (self._xlsx_rows() if self.is_xlsx else self._csv_rows())

    def _csv_rows(self) -> Iterator[list[str]]:
        with self._binary() as raw:
            # newline="": the csv module sees \r\n, \n and a lone \r (old Mac) as line ends
            text = io.TextIOWrapper(raw, encoding=self.encoding, newline="")
            reader = csv.reader(text, strict=True)
            try:
                yield from reader
            except (csv.Error, UnicodeDecodeError) as problem:
                raise FileUnreadable(
                    f"not readable as CSV text ({problem})", max(1, reader.line_num)
                ) from None

    def _xlsx_rows(self) -> Iterator[list[str]]:
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(self._binary(), read_only=True, data_only=True)
        except Exception as problem:  # noqa: BLE001 - zip, XML and openpyxl errors alike
            raise FileUnreadable(
                f"not a readable Excel .xlsx file ({type(problem).__name__}: {problem})"
            ) from None
        try:
            for row in workbook.worksheets[0].iter_rows(values_only=True):
                yield [_xlsx_text(value) for value in row]
        except Exception as problem:  # noqa: BLE001 - a sheet that is corrupt further in
            raise FileUnreadable(
                f"not a readable Excel .xlsx file ({type(problem).__name__}: {problem})"
            ) from None
        finally:
            workbook.close()

    def line_count(self) -> int:
        """About how many rows the file has (for a progress bar)."""
        if self.is_xlsx:
            return 0
        count = 0
        with self._binary() as raw:
            for chunk in iter(lambda: raw.read(1 << 20), b""):
                count += chunk.count(b"\n") or chunk.count(b"\r")
        return count


def open_table_file(source: bytes | Path, filename: str | None = None) -> TableFile:
    """A :class:`TableFile` for ``source``; a CSV's encoding is UTF-8 (with or without BOM),
    else GB18030 (a superset of GBK and GB2312), decided by reading it through once."""
    name = filename or (source.name if isinstance(source, Path) else "upload")
    lowered = name.lower()
    if not lowered.endswith((".csv", ".xlsx")):
        raise FileUnreadable(f"{name}: expected a .csv or .xlsx file")
    table = TableFile(name, source)
    if lowered.endswith(".csv") and not _utf8(table):
        table = TableFile(name, source, "gb18030")
    return table


def _utf8(table: TableFile) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    with table._binary() as raw:
        try:
            for chunk in iter(lambda: raw.read(1 << 20), b""):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


def read_table_file(data: bytes, filename: str) -> list[list[str]]:
    """The rows of a ``.csv`` or ``.xlsx`` file as text cells, header first (small files)."""
    return list(open_table_file(data, filename).rows())


def _xlsx_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value)) if abs(value) < 1e18 else str(value)
    return str(value)


# ---------------------------------------------------------------- validating cells


class CellError(ValueError):
    pass


def parse_cell(column: Column, raw: str) -> object:
    """The typed value of one non-empty cell, or :class:`CellError` saying what was expected."""
    text = raw.strip()
    match column.kind:
        case "text":
            return text
        case "date":
            return _parse_date(text)
        case "datetime":
            return _parse_datetime(text)
        case "money":
            return _parse_money(text)
        case "amount":
            return _parse_decimal(text)
        case "int":
            return _parse_int(text)
        case "bool":
            return _parse_bool(text)
        case "enum":
            return _parse_enum(column, text)
        case "period":
            return _parse_period(text)
    raise AssertionError(column.kind)


def _parse_date(text: str) -> date:
    """``YYYY-MM-DD``; a midnight timestamp (how Excel exports a date) is read as its day."""
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise CellError(f"expected a date YYYY-MM-DD, found {text!r}") from None
    if moment.time() != datetime.min.time():
        raise CellError(f"expected a date YYYY-MM-DD, found the timestamp {text!r}")
    return moment.date()


def _parse_datetime(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise CellError(f"expected a timestamp YYYY-MM-DDTHH:MM[:SS], found {text!r}") from None
    return moment.replace(tzinfo=None) if moment.tzinfo is None else _local_naive(moment)


def _local_naive(moment: datetime) -> datetime:
    from zoneinfo import ZoneInfo

    return moment.astimezone(ZoneInfo("Asia/Shanghai")).replace(tzinfo=None)


PLAIN_NUMBER = re.compile(r"\d+(\.\d+)?|\d{1,3}(,\d{3})+(\.\d+)?|\.\d+")
MAX_MONEY = Decimal("1000000000000")  # ¥1 trillion: one cell above it is a typo, not a sale
MAX_INT = 2_147_483_647


def _parse_decimal(text: str, limit: Decimal = MAX_MONEY) -> Decimal:
    """A plain decimal ≥ 0 (thousands separators only in groups of three, ``¥`` allowed);
    no exponent, at most ``limit``."""
    cleaned = text.replace("¥", "").replace("￥", "").strip()
    if not PLAIN_NUMBER.fullmatch(cleaned):
        raise CellError(f"expected a number ≥ 0, found {text!r}")
    value = Decimal(cleaned.replace(",", ""))
    if value > limit:
        raise CellError(f"expected a number at most {limit:,}, found {text!r}")
    return value


def _parse_money(text: str) -> int:
    value = _parse_decimal(text)
    cents = value * 100
    if cents != cents.to_integral_value():
        raise CellError(f"expected an amount with at most 2 decimals, found {text!r}")
    return int(cents)


def _parse_int(text: str) -> int:
    value = _parse_decimal(text, Decimal(MAX_INT))
    if value != value.to_integral_value():
        raise CellError(f"expected a whole number ≥ 0, found {text!r}")
    return int(value)


def _parse_bool(text: str) -> bool:
    lowered = text.lower()
    if lowered in TRUE:
        return True
    if lowered in FALSE:
        return False
    raise CellError(f"expected true or false, found {text!r}")


def _parse_enum(column: Column, text: str) -> str:
    for choice in column.choices:
        if text.lower() == choice.lower():
            return choice
    raise CellError(f"expected one of {'|'.join(column.choices)}, found {text!r}")


def _parse_period(text: str) -> str:
    try:
        year, month = text.split("-")
        if len(year) == 4 and len(month) == 2 and 1 <= int(month) <= 12:
            return f"{int(year):04d}-{int(month):02d}"
    except ValueError:
        pass
    raise CellError(f"expected a month YYYY-MM, found {text!r}")


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
        except CellError as problem:
            errors.append(RowError(filename, line, column.name, str(problem)))
    if fmt.name == "targets":
        errors += _target_amount_errors(values, filename, line)
    return values, errors


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
        key = _key_of(fmt, row.values)
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
                    f"duplicate ID {'/'.join(map(str, key))}, first on row {seen[key]}",
                )
            )
        else:
            seen[key] = row.line
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
    if scope.role is Role.DIRECTOR or (scope.region_ids is None and scope.rep_ids is None):
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
    if scope.role is Role.DIRECTOR or (scope.region_ids is None and scope.rep_ids is None):
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


def import_rows(
    engine: Engine,
    table: str,
    rows: Sequence[list[str]] | TableFile,
    filename: str | None = None,
    *,
    dry_run: bool = False,
    username: str = "cli",
    scope: Scope | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Validate ``rows`` (header first: a list, or a :class:`TableFile` read as a stream) and,
    when valid and not a dry run, upsert them in one transaction. With a ``scope`` (an
    importing manager) every row must lie inside it. ``progress(done, expected)`` is called
    after each chunk of rows is checked (and written). Returns counts and every error (the
    first :data:`MAX_ERRORS` kept)."""
    fmt = FORMATS[table]
    source = rows if isinstance(rows, TableFile) else None
    filename = filename or (source.name if source else table)
    result = ImportResult(table)

    rows_in = source.rows() if source is not None else iter(rows)  # type: ignore[arg-type]
    expected = (source.line_count() if source else len(rows)) - 1  # type: ignore[arg-type]
    try:
        with engine.connect() if dry_run else write_transaction(engine) as conn:
            check = _import_all(
                conn, fmt, rows_in, filename, scope, username, result, not dry_run, progress,
                expected,
            )  # fmt: skip
            result.rows, result.error_count, result.errors = (
                check.rows,
                check.error_count,
                check.errors,
            )
            if check.error_count and not dry_run:
                raise _Invalid  # roll back what the chunks before the first error wrote
    except _Invalid:
        _nothing_written(result)
    except FileUnreadable as unreadable:
        return _refused(result, filename, "-", f"{unreadable}; nothing written", unreadable.row)
    except (IntegrityError, OperationalError) as clash:
        return _conflict(result, filename, clash)
    except TargetRefused as broken:
        return _refused(result, filename, "amount", f"{broken}; nothing written")
    return result


class _Invalid(Exception):
    """Raised inside the import's transaction to roll it back when a row was refused."""


def _import_all(
    conn: Connection,
    fmt: TableFormat,
    rows: Iterator[list[str]],
    filename: str,
    scope: Scope | None,
    username: str,
    result: ImportResult,
    write: bool,
    progress: Progress | None,
    expected: int,
) -> _Check:
    """One pass, chunk by chunk: every check of every row; while no error has been found each
    chunk is also written (``write``) or counted as new/changed/unchanged (a dry run). The
    caller rolls the transaction back when an error turns up later in the file. At the end:
    the summary audit entry, the data version and, for targets, the sums of the tree."""
    check = _Check(filename)
    header, header_errors = _header(fmt, rows, filename)
    check.add(header_errors)
    if not header_errors and scope is not None:
        check.add(_table_refusal(fmt, scope, filename))
    if check.error_count:
        return check
    touched: set[tuple[str, str]] = set()
    for parsed in _chunks(fmt, rows, header, filename, check):
        check.rows += len(parsed)
        _validate_chunk(conn, fmt, parsed, check, scope)
        if not check.error_count:
            records = [_db_row(fmt, row.values) for row in parsed]
            if write:
                new, changed = _write(conn, fmt, records, username)
            else:
                new, changed = (len(part) for part in _split(conn, fmt, records))
            result.inserted += new
            result.updated += changed
            if fmt.name == "targets":
                touched |= {(r["metric"], r["period"]) for r in records}
        if progress:
            progress(check.rows, expected)
    result.unchanged = check.rows - result.inserted - result.updated
    if write and not check.error_count:
        if result.inserted or result.updated:
            summary = {"file": filename, "inserted": result.inserted, "updated": result.updated}
            audit(conn, username, fmt.name, f"import {filename}", None, summary)
            bump_data_version(conn)
        if touched:
            check_sums(conn, touched)
        result.written = True
    return check


def _nothing_written(result: ImportResult) -> None:
    result.written = False
    result.inserted = result.updated = result.unchanged = 0


def _refused(
    result: ImportResult, filename: str, column: str, message: str, row: int = 1
) -> ImportResult:
    _nothing_written(result)
    result.errors = [RowError(filename, row, column, message)]
    result.error_count = 1
    return result


def _conflict(result: ImportResult, filename: str, clash: Exception) -> ImportResult:
    """Another import or edit wrote the same rows, or held the database, at the same moment:
    nothing of this import was written; running it again applies it on top."""
    busy = isinstance(clash, OperationalError)
    message = (
        "the database was busy with another write for too long; nothing written, try again"
        if busy
        else "another import or edit wrote the same rows at the same moment; nothing written, "
        "run the import again"
    )
    return _refused(result, filename, "-", message)


def import_file(
    engine: Engine,
    table: str,
    path: Path,
    *,
    dry_run: bool = False,
    username: str = "cli",
    scope: Scope | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    return import_rows(
        engine,
        table,
        open_table_file(path),
        dry_run=dry_run,
        username=username,
        scope=scope,
        progress=progress,
    )


def _keys_in(fmt: TableFormat, keys: list[tuple[Any, ...]]) -> Iterator[ColumnElement[bool]]:
    """WHERE clauses matching ``keys`` (single or composite), :data:`CHUNK` keys at a time."""
    columns = [fmt.table.c[name] for name in fmt.key]
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start : start + CHUNK]
        if len(columns) == 1:
            yield columns[0].in_([key[0] for key in chunk])
        else:
            yield tuple_(*columns).in_(chunk)


def _existing_rows(
    conn: Connection, fmt: TableFormat, records: list[dict[str, Any]]
) -> dict[tuple[Any, ...], dict[str, Any]]:
    keys = sorted({tuple(record[name] for name in fmt.key) for record in records})
    existing: dict[tuple[Any, ...], dict[str, Any]] = {}
    for where in _keys_in(fmt, keys):
        for row in conn.execute(select(fmt.table).where(where)).mappings():
            existing[tuple(row[name] for name in fmt.key)] = dict(row)
    return existing


def _split(
    conn: Connection, fmt: TableFormat, records: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[tuple[dict[str, Any], dict[str, Any]]]]:
    existing = _existing_rows(conn, fmt, records)
    new: list[dict[str, Any]] = []
    changed: list[tuple[dict[str, Any], dict[str, Any]]] = []
    for record in records:
        old = existing.get(tuple(record[name] for name in fmt.key))
        if old is None:
            new.append(record)
        elif any(old.get(name) != value for name, value in record.items()):
            changed.append((old, record))
    return new, changed


def _write(
    conn: Connection, fmt: TableFormat, records: list[dict[str, Any]], username: str
) -> tuple[int, int]:
    """Insert the new and update the changed ``records`` (each change audited old → new);
    returns how many of each."""
    new, changed = _split(conn, fmt, records)
    table = fmt.table
    if fmt.name == "reps":
        new = _managers_first(new)
    for start in range(0, len(new), CHUNK * 10):
        conn.execute(table.insert(), new[start : start + CHUNK * 10])
    if changed:
        where = [table.c[name] == bindparam(f"k_{name}") for name in fmt.key]
        statement = table.update().where(*where)
        conn.execute(
            statement,
            [{**record, **{f"k_{n}": record[n] for n in fmt.key}} for _old, record in changed],
        )
    for old, record in changed:
        before = {k: v for k, v in old.items() if record.get(k) != v}
        after = {k: record[k] for k in before}
        audit(conn, username, fmt.name, "/".join(str(record[n]) for n in fmt.key), before, after)
    return len(new), len(changed)


def _managers_first(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Reps that other new reps report to are inserted first (foreign key on manager_id)."""
    ordered: list[dict[str, Any]] = []
    pending = list(records)
    placed: set[str] = set()
    new_ids = {r["rep_id"] for r in records}
    while pending:
        ready = [
            r
            for r in pending
            if r["manager_id"] not in new_ids - placed or r["manager_id"] == r["rep_id"]
        ]
        if not ready:
            ready = pending
        ordered += ready
        placed |= {r["rep_id"] for r in ready}
        pending = [r for r in pending if r["rep_id"] not in placed]
    return ordered


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


def write_table_file(rows: Iterable[list[str]], filename: str) -> bytes:
    """CSV (UTF-8 with BOM, so Excel shows Chinese correctly) or XLSX bytes."""
    if filename.lower().endswith(".xlsx"):
        return _xlsx_bytes(rows)
    if filename.lower().endswith(".csv"):
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows([csv_safe(c) for c in r] for r in rows)
        return buffer.getvalue().encode("utf-8-sig")
    raise ValueError(f"{filename}: expected a .csv or .xlsx file")


def _xlsx_bytes(rows: Iterable[list[str]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for row in rows:
        sheet.append([text_not_formula(WriteOnlyCell(sheet, value=value)) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_file(engine: Engine, table: str, path: Path, scope: Scope | None = None) -> int:
    """Write ``table`` to ``path``; returns the number of data rows."""
    with engine.connect() as conn:
        rows = list(export_records(conn, table, scope))
    path.write_bytes(write_table_file(rows, path.name))
    return len(rows) - 1
