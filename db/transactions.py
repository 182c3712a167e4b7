"""Write-side helpers shared by every user action: the audit log and the data version."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import Connection, Engine, select, update

from db.schema import AuditEntry, DataVersion

audit_log = AuditEntry.__table__
data_version = DataVersion.__table__


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


def bump_data_version(conn: Connection) -> int:
    """Increment the data version (cached reads are keyed on it); returns the new value."""
    current = conn.scalar(select(data_version.c.version).where(data_version.c.id == 1))
    if current is None:
        conn.execute(data_version.insert().values(id=1, version=1))
        return 1
    conn.execute(update(data_version).where(data_version.c.id == 1).values(version=current + 1))
    return current + 1


def current_data_version(conn: Connection) -> int:
    return conn.scalar(select(data_version.c.version).where(data_version.c.id == 1)) or 0


def audit_trail(conn: Connection, table: str, row_key: str) -> list[tuple[datetime, str, str]]:
    """``(at, username, new value JSON)`` of every change of one row, oldest first."""
    query = (
        select(audit_log.c.at, audit_log.c.username, audit_log.c.new_value)
        .where(audit_log.c.table_name == table, audit_log.c.row_key == row_key)
        .order_by(audit_log.c.id)
    )
    return [tuple(row) for row in conn.execute(query).all()]
