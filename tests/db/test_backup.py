"""``db backup`` and ``db restore`` on SQLite and PostgreSQL (issue 41.3): consistent while the
app writes, refused over data without ``--force``, atomic, older backups migrated, caches'
versions moved past the old ones."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Engine, func, select, text

from db import backup, migrate, summaries
from db.engine import make_engine
from db.schema import Order
from db.transactions import DATA_TABLES, SCOPED_TABLES
from db.transfer import import_rows
from tests.conftest import PG, cli
from tests.world import load_world, rows_of

HEADER = "order_id,date,customer_id,rep_id,product_id,quantity,amount,cost\n"


@pytest.fixture
def world(engine: Engine) -> Engine:
    load_world(engine)
    return engine


@pytest.fixture
def target(blank_engine: Engine, tmp_path: Path) -> Iterator[Engine]:
    """An empty database of the kind under test, beside it, to restore into."""
    world = blank_engine
    if world.dialect.name == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'restored.sqlite'}")
        yield engine
        engine.dispose()
        return
    name = f"{world.url.database}_restored"
    with psycopg.connect(dbname="postgres", autocommit=True, **PG) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    engine = make_engine(world.url.set(database=name).render_as_string(hide_password=False))
    yield engine
    engine.dispose()
    with psycopg.connect(dbname="postgres", autocommit=True, **PG) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def url_of(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def suffix(engine: Engine) -> str:
    return ".sqlite" if engine.dialect.name == "sqlite" else ".dump"


def order_count(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(Order))


def test_a_backup_taken_while_orders_are_written_restores_one_consistent_moment(
    world: Engine, target: Engine, tmp_path: Path
) -> None:
    """A writer imports one order at a time (each import also refreshes the monthly
    summaries in its transaction) while the backup runs; the restored database holds every
    other table as it was, an order count between the counts before and after, and summaries
    equal to its raw rows (``db summaries`` exits 0)."""
    others_before = {n: c for n, c in backup.row_counts(world).items() if n != "orders"}
    orders_before = order_count(world)
    started, stop = threading.Event(), threading.Event()
    written: list[int] = []

    def write_orders() -> None:
        for i in range(1, 400):
            line = f"W{i},2026-10-{1 + i % 28:02d},C1,E02,P1,1,{i}.00,{i / 2:.2f}\n"
            result = import_rows(world, "orders", rows_of(HEADER + line), f"w{i}.csv")
            assert result.ok, result.errors
            written.append(i)
            if i == 5:
                started.set()
            if stop.is_set():
                return

    writer = threading.Thread(target=write_orders)
    writer.start()
    assert started.wait(60)
    path = tmp_path / f"during{suffix(world)}"
    try:
        copied = backup.backup(world, path)
    finally:
        stop.set()
        writer.join(120)
    assert len(written) > 5, "the writer wrote while the backup ran"
    assert path.stat().st_mode & 0o777 == 0o600
    restored = backup.restore(target, path)
    assert restored["orders"] == copied["orders"]
    assert orders_before + 5 <= restored["orders"] <= orders_before + len(written)
    assert {n: c for n, c in restored.items() if n in others_before and n not in BUILT} == {
        n: c for n, c in others_before.items() if n not in BUILT
    }
    with target.connect() as conn:
        assert set(summaries.differences(conn).values()) == {0}
    assert cli(url_of(target), "db", "summaries").returncode == 0


# Tables the writes change besides orders: the summaries and the bookkeeping.
BUILT = {
    "order_months", "first_orders", "order_years", "trailing_orders", "audit_log",
    "data_version", "table_versions", "scoped_versions", "summary_days",
}  # fmt: skip


def test_restore_refuses_a_database_holding_data_unless_forced(
    world: Engine, target: Engine, tmp_path: Path
) -> None:
    path = tmp_path / f"world{suffix(world)}"
    backup.backup(world, path)
    migrate.upgrade(target)
    load_world(target, {"regions": "region_id,name\nR9,只有一个区\n"})
    with pytest.raises(backup.BackupError, match="holds data.*--force"):
        backup.restore(target, path)
    assert backup.row_counts(target)["regions"] == 1 and order_count(target) == 0
    done = cli(url_of(target), "db", "restore", str(path))
    assert done.returncode == 2 and "--force" in done.stderr
    done = cli(url_of(target), "db", "restore", str(path), "--force")
    assert done.returncode == 0, done.stderr
    assert backup.row_counts(target) == backup.row_counts(world) | _versions_of(target)


def _versions_of(engine: Engine) -> dict[str, int]:
    """The bookkeeping counts of ``engine`` (version rows differ after a restore by design)."""
    counts = backup.row_counts(engine)
    return {n: counts[n] for n in ("data_version", "table_versions", "scoped_versions")}


def test_a_just_initialised_database_counts_as_empty(engine: Engine) -> None:
    assert backup.is_empty(engine)
    load_world(engine, {"regions": "region_id,name\nR9,一个区\n"})
    assert not backup.is_empty(engine)


def test_every_data_version_after_a_restore_is_beyond_any_before(
    world: Engine, target: Engine, tmp_path: Path
) -> None:
    """A running app keyed its caches on the versions it read; the restored database's
    versions (and those a first write would create) must all be new to it."""
    path = tmp_path / f"world{suffix(world)}"
    backup.backup(world, path)
    migrate.upgrade(target)
    load_world(target)  # many writes: versions well above the backup's
    for i in range(30):
        line = f"X{i},2026-10-02,C1,E02,P1,1,1.00,0.50\n"
        assert import_rows(target, "orders", rows_of(HEADER + line), "x.csv").ok
    highest = backup.highest_version(target)
    backup.restore(target, path, force=True)
    with target.connect() as conn:
        data = conn.scalar(text("SELECT version FROM data_version"))
        tables = dict(conn.execute(text("SELECT table_name, version FROM table_versions")).all())
        every = dict(
            conn.execute(
                text("SELECT table_name, version FROM scoped_versions WHERE axis = '*'")
            ).all()
        )
    assert data > highest
    assert set(tables) >= set(DATA_TABLES) and min(tables.values()) > highest
    assert set(every) == set(SCOPED_TABLES) and min(every.values()) > highest
    if target.dialect.name == "postgresql":  # the planner's statistics, gathered at once
        with target.connect() as conn:
            unanalysed = conn.scalars(
                text("SELECT relname FROM pg_stat_user_tables WHERE last_analyze IS NULL")
            ).all()
        assert unanalysed == []


def test_an_older_backup_is_migrated_and_a_newer_one_refused(
    blank_engine: Engine, target: Engine, tmp_path: Path
) -> None:
    migrate.upgrade(blank_engine, "0018")  # before saved views (0019)
    path = tmp_path / f"old{suffix(blank_engine)}"
    backup.backup(blank_engine, path)
    assert backup.backup_revision(path, blank_engine.dialect.name) == "0018"
    backup.restore(target, path)
    assert migrate.schema_behind(target) is None
    assert "saved_views" in backup.row_counts(target)
    if blank_engine.dialect.name != "sqlite":
        return
    import sqlite3

    newer = tmp_path / "newer.sqlite"
    newer.write_bytes(path.read_bytes())
    with sqlite3.connect(newer) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0999'")
    with pytest.raises(backup.BackupError, match="0999, which this version of the app does not"):
        backup.restore(target, newer, force=True)


def test_a_damaged_dump_leaves_the_database_as_it_was(
    world: Engine, target: Engine, tmp_path: Path
) -> None:
    path = tmp_path / f"world{suffix(world)}"
    backup.backup(world, path)
    backup.restore(target, path)
    before = backup.row_counts(target)
    damaged = tmp_path / f"damaged{suffix(world)}"
    whole = path.read_bytes()
    damaged.write_bytes(whole[: len(whole) * 2 // 3])
    with pytest.raises(backup.BackupError):
        backup.restore(target, damaged, force=True)
    target.dispose()
    assert backup.row_counts(target) == before


def test_bad_files_and_places_are_named(world: Engine, tmp_path: Path) -> None:
    url = url_of(world)
    not_a_backup = tmp_path / "orders.csv"
    not_a_backup.write_text(HEADER)
    cases = {
        ("db", "restore", str(tmp_path / "missing")): "missing: no such file",
        ("db", "restore", str(not_a_backup)): "is not a backup made by db backup",
        ("db", "backup", str(not_a_backup)): "exists already; give another name or --force",
        ("db", "backup", str(tmp_path / "no" / "x")): "is not a folder",
    }
    for args, message in cases.items():
        done = cli(url, *args)
        assert done.returncode == 2 and message in done.stderr, (args, done.stderr)
    if world.dialect.name == "postgresql":
        source = make_engine(f"sqlite:///{tmp_path / 'src.sqlite'}")
        migrate.upgrade(source)
        backup.backup(source, tmp_path / "src-backup.sqlite")
        source.dispose()
        done = cli(url, "db", "restore", str(tmp_path / "src-backup.sqlite"), "--force")
        assert done.returncode == 2
        assert "is a sqlite backup and the database is postgresql" in done.stderr
