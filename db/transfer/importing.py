"""The import: validate every row of a file (types, references, duplicates, the importer's
write rules and scope) and write it in one transaction, chunk by chunk, or nothing."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, select
from sqlalchemy.exc import IntegrityError, OperationalError

from crm_core.scope import Scope
from db import deal_history, summaries
from db.engine import today
from db.formats import FORMATS, TableFormat
from db.targets import TargetRefused, check_sums
from db.transactions import audit, bump_data_version, write_transaction
from db.transfer.files import FileUnreadable, TableFile, open_table_file
from db.transfer.validating import (
    CHUNK,
    ImportResult,
    Progress,
    RowError,
    _Check,
    _chunks,
    _db_row,
    _header,
    _keys_in,
    _table_refusal,
    _validate_chunk,
)


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
    as_of: date | None = None,
) -> ImportResult:
    """Validate ``rows`` (header first: a list, or a :class:`TableFile` read as a stream) and,
    when valid and not a dry run, upsert them in one transaction. With a ``scope`` (an
    importing manager) every row must lie inside it. No fact may be dated after ``as_of``
    (default: today, or ``CRM_AS_OF``). ``progress(done, expected)`` is called after each chunk
    of rows is checked (and written). Returns counts and every error (the first
    :data:`MAX_ERRORS` kept)."""
    fmt = FORMATS[table]
    source = rows if isinstance(rows, TableFile) else None
    filename = filename or (source.name if source else table)
    result = ImportResult(table)

    rows_in = source.rows() if source is not None else iter(rows)  # type: ignore[arg-type]
    expected = (source.line_count() if source else len(rows)) - 1  # type: ignore[arg-type]
    try:
        with engine.connect() if dry_run else write_transaction(engine) as conn:
            check = _import_all(
                conn, fmt, rows_in, _Check(filename, as_of or today()), scope, username, result,
                not dry_run, progress, expected,
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
    check: _Check,
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
    filename = check.filename
    header, header_errors = _header(fmt, rows, filename)
    check.add(header_errors)
    if not header_errors and scope is not None:
        check.add(_table_refusal(fmt, scope, filename))
    if check.error_count:
        return check
    touched: set[tuple[str, str]] = set()
    pending = summaries.Pending()
    present = present_columns(fmt, header)
    for parsed in _chunks(fmt, rows, header, filename, check):
        check.rows += len(parsed)
        _validate_chunk(conn, fmt, parsed, check, scope)
        if not check.error_count:
            records = [_db_row(fmt, row.values) for row in parsed]
            if write:
                new, changed = _write(conn, fmt, records, username, pending, present, check.today)
            else:
                new, changed = (len(part) for part in _split(conn, fmt, records, present))
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
            pending.apply(conn)
            bump_data_version(conn, (fmt.table.name,))
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
    as_of: date | None = None,
) -> ImportResult:
    return import_rows(
        engine,
        table,
        open_table_file(path),
        dry_run=dry_run,
        username=username,
        scope=scope,
        progress=progress,
        as_of=as_of,
    )


def _existing_rows(
    conn: Connection, fmt: TableFormat, records: list[dict[str, Any]]
) -> dict[tuple[Any, ...], dict[str, Any]]:
    keys = sorted({tuple(record[name] for name in fmt.key) for record in records})
    existing: dict[tuple[Any, ...], dict[str, Any]] = {}
    for where in _keys_in(fmt, keys):
        for row in conn.execute(select(fmt.table).where(where)).mappings():
            existing[tuple(row[name] for name in fmt.key)] = dict(row)
    return existing


def present_columns(fmt: TableFormat, header: list[str]) -> frozenset[str]:
    """The database columns a file with ``header`` sets: its own columns and the key. A column
    the file leaves out keeps each existing row's value (a new row gets the default)."""
    named = {column.db_name for column in fmt.columns if column.name in header}
    computed = {"target_key"} if fmt.name == "targets" else set()
    return frozenset(named | set(fmt.key) | computed)


def _split(
    conn: Connection, fmt: TableFormat, records: list[dict[str, Any]], present: frozenset[str]
) -> tuple[list[dict[str, Any]], list[tuple[dict[str, Any], dict[str, Any]]]]:
    """The new ``records`` and the changed ones (each with its row as stored), an existing
    row's values kept for every column the file does not have."""
    existing = _existing_rows(conn, fmt, records)
    new: list[dict[str, Any]] = []
    changed: list[tuple[dict[str, Any], dict[str, Any]]] = []
    for record in records:
        old = existing.get(tuple(record[name] for name in fmt.key))
        if old is None:
            new.append(record)
            continue
        merged = {name: record[name] if name in present else old.get(name) for name in record}
        if any(old.get(name) != value for name, value in merged.items()):
            changed.append((old, merged))
    return new, changed


def _write(
    conn: Connection,
    fmt: TableFormat,
    records: list[dict[str, Any]],
    username: str,
    pending: summaries.Pending,
    present: frozenset[str],
    day: date,
) -> tuple[int, int]:
    """Insert the new and update the changed ``records`` (each change audited old → new, the
    summary slices they touch added to ``pending``); returns how many of each."""
    new, changed = _split(conn, fmt, records, present)
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
    pending.add(fmt.table.name, new, changed)
    if fmt.name == "opportunities":
        deal_history.record(conn, day, [*new, *(record for _old, record in changed)])
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
