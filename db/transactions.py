"""Write-side helpers shared by every user action: the write transaction, the audit log and
the data versions (one overall, one per data table)."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Connection, Engine, and_, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from crm_core.periods import iso_week_of
from crm_core.scope import Scope
from db.schema import AuditEntry, DataVersion, ScopedVersion, TableVersion

audit_log = AuditEntry.__table__
data_version = DataVersion.__table__
table_versions = TableVersion.__table__
scoped_versions = ScopedVersion.__table__
# the tables a write can change, each with its own version (migration 0006 creates the rows)
DATA_TABLES = (
    "regions", "reps", "products", "customers", "targets", "orders", "payments", "activities",
    "daily_reports", "opportunities", "opportunity_stages", "market_reports", "forecasts",
)  # fmt: skip
# the tables reps write all day, versioned per region and rep as well (ScopedVersion)
SCOPED_TABLES = ("activities", "daily_reports")
EVERY = ("*", "")  # the (axis, axis_id) of a write that names no region, rep or day
_WRITES = itertools.count(1)  # next() is atomic: two threads bumping at once get two numbers
_last_write = 0


_LISTENERS: list[Callable[[], None]] = []


def on_write(listener: Callable[[], None]) -> None:
    """Call ``listener`` on the writing thread after each write of this process (the app marks
    the session that wrote, so that its next views show its own writes at once)."""
    _LISTENERS.append(listener)


def writes_here() -> int:
    """A number that changes with each write this process makes (:func:`bump_data_version`):
    what a view that keeps the versions it read once (ui.data.versions) checks them by."""
    return _last_write


@dataclass(frozen=True)
class Whose:
    """Whose rows a write changed: the regions they belong to (a fact's customer's region, a
    daily report's rep's region), the reps whose scope sees them (the rep of the row and the
    owner of its customer) and the days they are dated. All three must be named, or the write
    counts as touching every scope and day."""

    regions: frozenset[str]
    reps: frozenset[str]
    days: frozenset[date]

    def marks(self) -> list[tuple[str, str]]:
        named = self.regions and self.reps and self.days
        if not named or None in self.regions | self.reps | self.days:
            return [EVERY]
        return sorted(
            [("region", r) for r in self.regions] + [("rep", r) for r in self.reps]
            + [("week", iso_week_of(d)) for d in self.days]
        )  # fmt: skip


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """One transaction for one user action, committed at the end or rolled back on an error.

    On SQLite it starts with ``BEGIN IMMEDIATE``: the write lock is taken before the first read,
    so a second writer waits (busy timeout, see :mod:`db.engine`) and then reads what the first
    one wrote, instead of failing with "database is locked" when it upgrades a stale read. On
    PostgreSQL the conditional updates and row locks of each write path do that job."""
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.rollback()
            raise
        conn.commit()


def audit(
    conn: Connection,
    username: str,
    table: str,
    row_key: str,
    old: object,
    new: object,
    at: datetime | None = None,
) -> None:
    """Record who changed what, when: ``old`` → ``new`` stored as JSON text."""
    conn.execute(
        audit_log.insert().values(
            at=at or datetime.now().replace(microsecond=0),
            username=username,
            table_name=table,
            row_key=row_key,
            old_value=_json(old),
            new_value=_json(new),
        )
    )


def _json(value: object) -> str | None:
    return (
        None
        if value is None
        else json.dumps(value, ensure_ascii=False, default=str, sort_keys=True)
    )


def bump_data_version(
    conn: Connection, tables: Iterable[str] = DATA_TABLES, whose: Whose | None = None
) -> int:
    """Increment the overall data version and the version of each of ``tables`` (what the
    write changed; default all), and of the :data:`SCOPED_TABLES` among them also the versions
    of ``whose`` regions, reps and weeks (without ``whose``: the version of every scope and
    day); returns the new overall version. Each increment is one ``version = version + 1``
    statement, so two writers at once never leave one version (a read-then-write would lose a
    bump on PostgreSQL and leave a stale cache)."""
    global _last_write
    _last_write = next(_WRITES)
    for listener in _LISTENERS:
        listener()
    names = sorted(set(tables))  # one lock order for every writer
    unknown = [n for n in names if n not in DATA_TABLES]
    if unknown:
        raise ValueError(f"no version is kept for {unknown}; known: {', '.join(DATA_TABLES)}")
    if names:
        conn.execute(
            update(table_versions)
            .where(table_versions.c.table_name.in_(names))
            .values(version=table_versions.c.version + 1)
        )
    scoped = [n for n in names if n in SCOPED_TABLES]
    if scoped:
        _bump_scoped(conn, scoped, whose.marks() if whose else [EVERY])
    bumped = conn.execute(
        update(data_version)
        .where(data_version.c.id == 1)
        .values(version=data_version.c.version + 1)
    ).rowcount
    if not bumped:
        conn.execute(data_version.insert().values(id=1, version=1))
    return current_data_version(conn)


def _bump_scoped(conn: Connection, tables: list[str], marks: list[tuple[str, str]]) -> None:
    """Add one to the scoped versions of ``tables`` × ``marks``; a row not there yet is
    inserted at 1 (an upsert: two first writes at once both count)."""
    insert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}[conn.dialect.name]
    keys = ["table_name", "axis", "axis_id"]
    statement = insert(scoped_versions).on_conflict_do_update(
        index_elements=keys, set_={"version": scoped_versions.c.version + 1}
    )
    rows = [dict(zip(keys, (t, a, i), strict=True)) | {"version": 1}
            for t in tables for a, i in marks]  # fmt: skip
    conn.execute(statement, rows)


def versions_for(
    conn: Connection,
    tables: Sequence[str],
    scope: Scope | None,
    until: date | None = None,
    asked: dict[tuple, object] | None = None,
) -> tuple:
    """What a cached read of ``tables`` inside ``scope`` is keyed on: the versions of
    ``tables``, except that for a scope of reps (or else of regions) the
    :data:`SCOPED_TABLES` count by the versions of those reps (regions) and of writes to
    every scope; and for the whole company, when the read depends on no row dated after
    ``until``, by the versions of the weeks up to ``until``'s (summed) and of writes to every
    day. A read inside a scope sees no other scope's rows (db.scoping), and one up to a day no
    later rows, so other writes leave its key, and its result, as they were. ``asked`` keeps
    the rows of each query sent, for the next call (the loaders of one page view): every
    table's version, and the scoped versions of every scoped table for one scope or week."""
    asked = {} if asked is None else asked
    axis, ids = _axis(scope)
    dated = axis is None and until is not None
    plain = [t for t in tables if (axis is None and not dated) or t not in SCOPED_TABLES]
    scoped = [t for t in tables if t not in plain]
    if plain:
        every_table = asked.get(("tables",))
        if every_table is None:
            every_table = asked[("tables",)] = dict(
                zip(DATA_TABLES, versions_of(conn, DATA_TABLES), strict=True)
            )
        key = tuple(every_table.get(name, 0) for name in plain)  # type: ignore[attr-defined]
    else:
        key = ()
    if not scoped:
        return key
    week = iso_week_of(until) if dated else None  # type: ignore[arg-type]
    rows = asked.get(("scoped", axis, ids, week))
    if rows is None:
        rows = asked[("scoped", axis, ids, week)] = _scoped_rows(conn, axis, ids, week)
    return key + tuple(sorted(row for row in rows if row[0] in scoped))  # type: ignore[attr-defined]


def _scoped_rows(
    conn: Connection, axis: str | None, ids: frozenset[str], week: str | None
) -> list[tuple]:
    """The versions of every scoped table counted for a scope of reps or regions (``axis``,
    ``ids``), or for the company's weeks up to ``week``: (table, axis, id, version) rows, or
    (table, the highest axis, the summed version) rows of a week."""
    v = scoped_versions.c
    every = and_(v.axis == EVERY[0], v.axis_id == EVERY[1])
    if week is not None:
        weeks = and_(v.axis == "week", v.axis_id <= week)  # ISO weeks sort as text
        query = (
            select(v.table_name, func.max(v.axis), func.sum(v.version))
            .where(v.table_name.in_(SCOPED_TABLES), or_(every, weeks))
            .group_by(v.table_name, v.axis == "week")
        )
    else:
        query = select(v.table_name, v.axis, v.axis_id, v.version).where(
            v.table_name.in_(SCOPED_TABLES),
            or_(every, and_(v.axis == axis, v.axis_id.in_(sorted(ids)))),
        )
    return [tuple(row) for row in conn.execute(query)]


def _axis(scope: Scope | None) -> tuple[str | None, frozenset[str]]:
    if scope is None:
        return None, frozenset()
    if scope.rep_ids is not None:
        return "rep", scope.rep_ids
    if scope.region_ids is not None:
        return "region", scope.region_ids
    return None, frozenset()


def current_data_version(conn: Connection) -> int:
    return conn.scalar(select(data_version.c.version).where(data_version.c.id == 1)) or 0


def versions_of(conn: Connection, tables: Sequence[str]) -> tuple[int, ...]:
    """The versions of ``tables``, in their order (0 for a table never written)."""
    query = select(table_versions.c.table_name, table_versions.c.version).where(
        table_versions.c.table_name.in_(list(tables))
    )
    found = dict(conn.execute(query).all())
    return tuple(int(found.get(name, 0)) for name in tables)


def audit_trail(conn: Connection, table: str, row_key: str) -> list[tuple[datetime, str, str]]:
    """``(at, username, new value JSON)`` of every change of one row, oldest first."""
    query = (
        select(audit_log.c.at, audit_log.c.username, audit_log.c.new_value)
        .where(audit_log.c.table_name == table, audit_log.c.row_key == row_key)
        .order_by(audit_log.c.id)
    )
    return [tuple(row) for row in conn.execute(query).all()]
