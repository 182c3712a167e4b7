"""Each cached read names the tables it reads (issue 17.1): its cache is keyed on their
versions, so a write evicts only what it changed. The SQL each read sends, over scopes,
filters and metrics, names no table the read did not declare; a write bumps only its tables."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import Engine, event

from crm_core.periods import iso_week_period, month_period
from crm_core.scope import FactFilter, Scope
from crm_core.vocabulary import METRICS
from db import demo, migrate
from db.engine import make_engine
from db.summaries import SOURCES
from db.transactions import DATA_TABLES, bump_data_version, versions_of
from services import reads

AS_OF = date(2026, 11, 18)
SCOPES = [Scope.everything(), Scope.for_manager(["R001"]), Scope.for_rep("E0001", "R001")]
FACTS = [FactFilter(), FactFilter(frozenset({"P001"}), frozenset({"key"}))]
PERIOD = month_period("2026-11")


def variants(scopes: list[Scope] = SCOPES) -> Iterator[tuple[str, tuple]]:
    """Every cached read with arguments that reach each of its branches."""
    for scope in scopes:
        yield "dimensions", (scope,)
        yield "labels", (scope,)
        yield "daily", (scope, AS_OF)
        yield "sign_off_queue", (scope,)
        yield "monday_report", (scope, iso_week_period("2026-W46"), "x")
        yield "week_report", (scope, iso_week_period("2026-W46"), "x")
        yield "plans_ahead", (scope, iso_week_period("2026-W46"))
        yield "monthly", (scope, "2026-10", AS_OF)
        yield "efficiency", (scope, PERIOD, AS_OF)
        yield "contacts", (scope, AS_OF)
        yield "pipeline", (scope, PERIOD, AS_OF)
        yield "pipeline_history", (scope, AS_OF)
        yield "customers", (scope, AS_OF)
        yield "customer_years", (scope, AS_OF)
        yield "customer_search", (scope, "有限")
        yield "customer_card", (scope, "C000001", AS_OF)
        yield "activity_plan", (scope, PERIOD, AS_OF)
        yield "pipeline_changes", (scope, date(2026, 11, 9), AS_OF)
        yield "forecasts", (scope, "2026-11", AS_OF)
        yield "forecasts", (scope, "2026-12", AS_OF)
        yield "forecast_accuracy", (scope, "2026-10")
        for facts in FACTS:
            yield "overview", (scope, facts, PERIOD, month_period("2026-10"))
            yield "rep_customers", (scope, facts, PERIOD, AS_OF, "E0001")
            for metric in METRICS:
                for by in (("region", "rep"), ("product",), ("rep", "month")):
                    yield "targets_table", (scope, facts, PERIOD, AS_OF, by, metric)
                    yield "compared_actuals", (scope, facts, PERIOD, by, metric)
        for metric in METRICS:
            yield "breakdown_inputs", (scope, metric, 2027, AS_OF)
    yield "unsplit_months", (("R001",), (2026, 2027))


@pytest.fixture(scope="module")
def demo_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('reads') / 'xs.sqlite'}")
    migrate.upgrade(engine)
    demo.generate(engine, "XS", 7, AS_OF)
    yield engine
    engine.dispose()


def test_every_cached_read_declares_the_tables_its_sql_names(demo_engine: Engine) -> None:
    seen: set[str] = set()
    sources = SOURCES  # a summary table counts as the tables it is computed from
    pattern = re.compile(r"\b(" + "|".join([*DATA_TABLES, *sources]) + r")\b")

    def grab(_conn, _cursor, statement, *_rest) -> None:  # noqa: ANN001
        for name in pattern.findall(statement):
            seen.update(sources.get(name, (name,)))

    event.listen(demo_engine, "before_cursor_execute", grab)
    undeclared: dict[str, set[str]] = {}
    try:
        for name, args in variants():
            seen.clear()
            function = getattr(reads, name)
            with demo_engine.connect() as conn:
                function(conn, *args)
            extra = seen - set(function.tables_for(*args))
            assert set(function.tables_for(*args)) <= set(function.tables), name
            if extra:
                undeclared.setdefault(name, set()).update(extra)
    finally:
        event.remove(demo_engine, "before_cursor_execute", grab)
    assert undeclared == {}


def test_every_declared_read_is_checked_here() -> None:
    """A read added to services.reads is in :func:`variants`, so its tables are checked."""
    assert set(reads.READS) == {name for name, _args in variants()}


def test_a_write_bumps_only_the_tables_it_names(demo_engine: Engine) -> None:
    with demo_engine.begin() as conn:
        before = versions_of(conn, DATA_TABLES)
        bump_data_version(conn, ("activities",))
        after = versions_of(conn, DATA_TABLES)
    changed = {t for t, b, a in zip(DATA_TABLES, before, after, strict=True) if a != b}
    assert changed == {"activities"}
    assert after[DATA_TABLES.index("activities")] == before[DATA_TABLES.index("activities")] + 1
    with demo_engine.begin() as conn, pytest.raises(ValueError, match="no version is kept"):
        bump_data_version(conn, ("users",))
