"""Backups of the whole database (``cli.py db backup`` / ``db restore``, issue 41.3).

SQLite is copied with its online backup API in one step: one read transaction, so the copy is
the database as of one moment while the app goes on writing (WAL). PostgreSQL is dumped with
``pg_dump`` (one snapshot) in its custom format and restored through ``psql`` in a single
transaction that first drops the tables there: a failed restore leaves the database as it was.

A restore refuses a database holding data unless forced, refuses a backup made by a newer
version of the app, migrates an older one to this version's schema, and moves every data
version past any it had before, so that a running app's caches, keyed on those versions, do not
serve what they read before the restore.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from sqlalchemy import Connection, Engine, func, inspect, select, table

from db import migrate
from db.engine import refresh_statistics
from db.transactions import (
    DATA_TABLES,
    EVERY,
    SCOPED_TABLES,
    data_version,
    scoped_versions,
    table_versions,
)

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"
# Tables that hold no user data: a database with rows only here is empty (db init fills them).
BOOKKEEPING = ("alembic_version", "data_version", "table_versions", "scoped_versions")


class BackupError(ValueError):
    """A backup or restore refused, with what to do about it."""


def backup(engine: Engine, path: Path, force: bool = False) -> dict[str, int]:
    """Write the whole database to ``path`` (a new file unless ``force``); returns the row
    counts of the copy. The file appears only once complete."""
    if path.exists() and not force:
        raise BackupError(f"{path} exists already; give another name or --force to replace it")
    if not path.parent.is_dir():
        raise BackupError(f"{path.parent} is not a folder")
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        if engine.dialect.name == "sqlite":
            _sqlite_backup(engine, partial)
        else:
            _pg_run(engine, "pg_dump", "--format=custom", "--no-owner", "--no-privileges",
                    f"--file={partial}")  # fmt: skip
        partial.chmod(0o600)  # every row and password hash: for its owner's eyes only
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return backup_counts(path, engine.dialect.name)


def restore(engine: Engine, path: Path, force: bool = False) -> dict[str, int]:
    """Replace the database's contents with the backup at ``path`` and migrate it to this
    version's schema; returns the row counts after the restore."""
    kind = backup_kind(path)
    if kind != engine.dialect.name:
        raise BackupError(
            f"{path} is a {kind} backup and the database is {engine.dialect.name}: a backup "
            "is restored into the kind of database it was made from (move data between them "
            "with export and import)"
        )
    _known_revision(backup_revision(path, kind), path)
    if not force and not is_empty(engine):
        raise BackupError(
            "the database holds data; restoring replaces all of it: give --force to do so "
            "(and make a backup of it first)"
        )
    before = highest_version(engine)
    if kind == "sqlite":
        _sqlite_restore(path, engine)
    else:
        _pg_restore(path, engine)
    migrate.upgrade(engine)
    with engine.begin() as conn:
        versions_beyond(conn, before)
    refresh_statistics(engine)
    return row_counts(engine)


def backup_kind(path: Path) -> str:
    """``sqlite`` or ``postgresql``, by the file's first bytes."""
    if not path.is_file():
        raise BackupError(f"{path}: no such file")
    with path.open("rb") as file:
        head = file.read(len(SQLITE_MAGIC))
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_DUMP_MAGIC):
        return "postgresql"
    raise BackupError(f"{path} is not a backup made by db backup (neither SQLite nor pg_dump)")


def backup_revision(path: Path, kind: str) -> str | None:
    """The schema revision the backup was made at (``None``: no schema in it)."""
    if kind == "sqlite":
        with _read_only(path) as source:
            try:
                row = source.execute("SELECT version_num FROM alembic_version").fetchone()
            except sqlite3.DatabaseError:
                return None
            return row[0] if row else None
    script = _pg_tool("pg_restore", "--data-only", "--table=alembic_version", "--file=-", str(path))
    lines = script.stdout.splitlines()
    for number, line in enumerate(lines):
        if line.startswith("COPY ") and "alembic_version" in line and number + 1 < len(lines):
            found = lines[number + 1].strip()
            return None if found == "\\." else found
    return None


def backup_counts(path: Path, kind: str) -> dict[str, int]:
    """The rows of each table in a backup file (SQLite: read from the file itself; PostgreSQL:
    the ``COPY`` lines of the dump)."""
    if kind == "sqlite":
        with _read_only(path) as source:
            names = [row[0] for row in source.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )]  # fmt: skip
            return {n: source.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0]
                    for n in sorted(names)}  # fmt: skip
    counts: dict[str, int] = {}
    current: str | None = None
    with _pg_output("pg_restore", "--data-only", "--file=-", str(path)) as lines:
        for line in lines:
            if current is None:
                if line.startswith("COPY "):
                    current = line.split()[1].split(".")[-1].strip('"')
                    counts[current] = 0
            elif line == "\\.\n":
                current = None
            else:
                counts[current] += 1
    return dict(sorted(counts.items()))


def row_counts(engine: Engine) -> dict[str, int]:
    """The rows of every table of the database, by name."""
    with engine.connect() as conn:
        names = inspect(conn).get_table_names()
        return {n: conn.scalar(select(func.count()).select_from(table(n))) or 0
                for n in sorted(names)}  # fmt: skip


def is_empty(engine: Engine) -> bool:
    """No rows outside the :data:`BOOKKEEPING` tables (a new or just-initialised database)."""
    return not any(count for name, count in row_counts(engine).items() if name not in BOOKKEEPING)


def highest_version(engine: Engine) -> int:
    """The largest data version the database has given out (0 without any)."""
    with engine.connect() as conn:
        present = set(inspect(conn).get_table_names())
        found = [conn.scalar(select(func.max(t.c.version)))
                 for t in (data_version, table_versions, scoped_versions)
                 if t.name in present]  # fmt: skip
    return max((int(v) for v in found if v is not None), default=0)


def versions_beyond(conn: Connection, floor: int) -> None:
    """Add ``floor`` + 1 to every data version, creating those a write would create, so that
    each is higher than any the database had before the restore: a cached read keyed on an old
    version can never be taken for a read of the restored data."""
    step = floor + 1
    for counter in (data_version, table_versions, scoped_versions):
        conn.execute(counter.update().values(version=counter.c.version + step))
    if conn.scalar(select(func.count()).select_from(data_version)) == 0:
        conn.execute(data_version.insert().values(id=1, version=step))
    kept = set(conn.scalars(select(table_versions.c.table_name)))
    for name in DATA_TABLES:
        if name not in kept:
            conn.execute(table_versions.insert().values(table_name=name, version=step))
    every = scoped_versions.c.axis == EVERY[0]
    scoped = set(conn.scalars(select(scoped_versions.c.table_name).where(every)))
    for name in SCOPED_TABLES:
        if name not in scoped:
            conn.execute(scoped_versions.insert().values(
                table_name=name, axis=EVERY[0], axis_id=EVERY[1], version=step))  # fmt: skip


def _known_revision(revision: str | None, path: Path) -> None:
    from alembic.script import ScriptDirectory

    if revision is None:
        raise BackupError(f"{path} holds no dashboard schema (no alembic_version)")
    scripts = ScriptDirectory(str(migrate.MIGRATIONS))
    if revision not in {script.revision for script in scripts.walk_revisions()}:
        raise BackupError(
            f"{path} was made at schema revision {revision}, which this version of the app does "
            "not know (a newer version made it): restore it with that version or a later one"
        )


def _sqlite_backup(engine: Engine, partial: Path) -> None:
    raw = engine.raw_connection()
    try:
        target = sqlite3.connect(partial)
        try:
            raw.driver_connection.backup(target)  # type: ignore[union-attr]
            target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            if (check := target.execute("PRAGMA quick_check").fetchone()[0]) != "ok":
                raise BackupError(f"the copy failed SQLite's check: {check}")
        finally:
            target.close()
    finally:
        raw.close()


def _sqlite_restore(path: Path, engine: Engine) -> None:
    with _read_only(path) as source:
        if (check := source.execute("PRAGMA quick_check").fetchone()[0]) != "ok":
            raise BackupError(f"{path} fails SQLite's check: {check}")
        raw = engine.raw_connection()
        try:
            source.backup(raw.driver_connection)  # type: ignore[arg-type]
        finally:
            raw.close()
    engine.dispose()  # pooled connections still hold the schema of the database replaced


@contextmanager
def _read_only(path: Path) -> Iterator[sqlite3.Connection]:
    """A read-only connection to a SQLite file, closed on leaving the ``with``."""
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        yield connection
    finally:
        connection.close()


def _pg_restore(path: Path, engine: Engine) -> None:
    """The dump as SQL (``pg_restore --file=-``) piped into ``psql``, which runs it in one
    transaction after dropping every table there, so nothing of the database before is left
    beside it and a failure leaves it as it was."""
    with engine.connect() as conn:
        names = inspect(conn).get_table_names()
    quote = engine.dialect.identifier_preparer.quote
    drop = ["--command=DROP TABLE IF EXISTS " + ", ".join(quote(n) for n in names) + " CASCADE"]
    dump = _pg_process("pg_restore", "--no-owner", "--no-privileges", "--file=-", str(path))
    try:
        _pg_run(engine, "psql", "--quiet", "--no-psqlrc", "--single-transaction",
                "--set=ON_ERROR_STOP=1", *(drop if names else []), "--file=-",
                stdin=dump.stdout)  # fmt: skip
    except BackupError:
        dump.kill()
        dump.wait()
        raise
    finally:
        engine.dispose()
    _finished(dump)


def _pg_run(engine: Engine, tool: str, *args: str, stdin: IO[str] | None = None) -> None:
    """Run ``tool`` against the engine's database (its URL's host, port, user, password)."""
    url = engine.url
    env = os.environ | {"PGHOST": url.host or "", "PGPORT": str(url.port or 5432),
                        "PGUSER": url.username or "", "PGPASSWORD": url.password or "",
                        "PGDATABASE": url.database or ""}  # fmt: skip
    _pg_tool(tool, *args, env=env, stdin=stdin)


def _pg_tool(
    tool: str, *args: str, env: dict[str, str] | None = None, stdin: IO[str] | None = None
) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([_found(tool), *args], env=env, stdin=stdin, capture_output=True,
                          text=True)  # fmt: skip
    if done.returncode != 0:
        raise BackupError(f"{tool} failed: {done.stderr.strip()}")
    return done


@contextmanager
def _pg_output(tool: str, *args: str) -> Iterator[IO[str]]:
    """The lines ``tool`` prints, read as it prints them (a dump's data can be large)."""
    process = _pg_process(tool, *args)
    try:
        yield process.stdout  # type: ignore[misc]
    finally:
        _finished(process)


def _pg_process(tool: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([_found(tool), *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)  # fmt: skip


def _finished(process: subprocess.Popen[str]) -> None:
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    problem = process.stderr.read()
    if process.wait() != 0:
        raise BackupError(f"{Path(str(process.args[0])).name} failed: {problem.strip()}")


def _found(tool: str) -> str:
    found = shutil.which(tool)
    if found is None:
        raise BackupError(
            f"{tool} is not installed: install PostgreSQL's client programs "
            "(Debian: apt-get install postgresql-client)"
        )
    return found
