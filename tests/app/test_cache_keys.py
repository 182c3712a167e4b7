"""Invalidation by what changed (issue 17.1): a cached read is computed again only when a
table it reads has been written; a visit written keeps the cached targets."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import date

import pytest

from crm_core.periods import month_period
from crm_core.scope import FactFilter, Scope
from db.engine import make_engine
from db.transactions import bump_data_version
from services import reads
from ui import data

pytestmark = pytest.mark.usefixtures("demo_db")
PERIOD, AS_OF = month_period("2026-11"), date(2026, 11, 18)


def test_a_visit_written_keeps_the_cached_targets_and_refreshes_efficiency(monkeypatch) -> None:
    computed: Counter[str] = Counter()
    for name in ("services.reads.targets_table", "services.reads.efficiency"):

        def counting(conn, *args, _original=data._QUERIES[name], _name=name):  # noqa: ANN001, ANN202
            computed[_name.rsplit(".", 1)[1]] += 1
            return _original(conn, *args)

        monkeypatch.setitem(data._QUERIES, name, counting)

    def read_both() -> None:
        data.targets_table(Scope.everything(), FactFilter(), PERIOD, AS_OF, ("region",), "revenue")
        data.efficiency(Scope.everything(), PERIOD, AS_OF)

    read_both()
    read_both()
    assert computed == {"targets_table": 1, "efficiency": 1}, "the second reads are cache hits"
    engine = make_engine()
    with engine.begin() as conn:
        bump_data_version(conn, ("activities",))  # what a visit written bumps
    read_both()
    assert computed == {"targets_table": 1, "efficiency": 2}
    with engine.begin() as conn:
        bump_data_version(conn, ("targets",))  # what a saved breakdown bumps
    read_both()
    # both read the targets (the league ranks reps by attainment)
    assert computed == {"targets_table": 2, "efficiency": 3}
    engine.dispose()


def test_a_result_of_older_versions_is_dropped_once_a_newer_one_is_read(monkeypatch) -> None:
    """Writes all day must not pile up results nobody can read again (issue 17.5)."""
    name = "services.reads.efficiency"
    computed: Counter[str] = Counter()

    def counting(conn, *args, _original=data._QUERIES[name]):  # noqa: ANN001, ANN202
        computed["efficiency"] += 1
        return _original(conn, *args)

    monkeypatch.setitem(data._QUERIES, name, counting)
    data._cached_run.clear()
    args = (Scope.everything(), PERIOD, AS_OF)
    data.efficiency(*args)
    url, before = data.database_url(), data.versions(reads.efficiency.tables_for(*args), args[0])
    data._cached_run(name, url, before, args)
    assert computed["efficiency"] == 1, "the result under the current versions is cached"
    engine = make_engine()
    with engine.begin() as conn:
        bump_data_version(conn, ("activities",))
    engine.dispose()
    data.efficiency(*args)
    assert computed["efficiency"] == 2
    data._cached_run(name, url, before, args)  # the same call as before the visit
    assert computed["efficiency"] == 3, "the result under the older versions was dropped"


def test_at_most_two_reads_are_computed_at_once_across_sessions(monkeypatch) -> None:
    """Issue 17.5: four sessions asking for four different cold reads at once compute them two
    at a time (the others wait), so their frames are not all held at the same moment."""
    name = "services.reads.efficiency"
    running, most, lock = [0], [0], threading.Lock()
    both_in = threading.Barrier(data.COMPUTING_AT_ONCE, timeout=30)

    def watched(conn, *args, _original=data._QUERIES[name]):  # noqa: ANN001, ANN202
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        both_in.wait()  # the first two meet here: two at once are allowed
        try:
            return _original(conn, *args)
        finally:
            with lock:
                running[0] -= 1

    monkeypatch.setitem(data._QUERIES, name, watched)
    data._cached_run.clear()
    days = [date(2026, 11, d) for d in (16, 17, 18, 19)]  # four different cache keys
    threads = [threading.Thread(target=data.efficiency, args=(Scope.everything(), PERIOD, d))
               for d in days]  # fmt: skip
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert most[0] == data.COMPUTING_AT_ONCE == 2


def test_reads_waiting_for_a_turn_are_served_in_the_order_they_came() -> None:
    turns, order = data.Turns(1), []
    hold = threading.Event()

    def first() -> None:
        with turns:
            hold.wait(30)

    def later(name: str) -> None:
        with turns:
            order.append(name)

    threads = [threading.Thread(target=first)]
    threads[0].start()
    while turns._free:  # the first holds the only turn
        threading.Event().wait(0.01)
    for name in ("b", "c", "d"):
        threads.append(threading.Thread(target=later, args=(name,)))
        threads[-1].start()
        while len(turns._waiting) < len(threads) - 1:  # queued before the next comes
            threading.Event().wait(0.01)
    hold.set()
    for thread in threads:
        thread.join(timeout=30)
    assert order == ["b", "c", "d"]
    assert (turns._free, len(turns._waiting)) == (1, 0)


def test_a_light_read_does_not_wait_for_a_turn() -> None:
    """The plans of next week, the names of the filters: a few rows each, computed at once
    even while the heavy reads hold every turn."""
    data._cached_run.clear()
    for _ in range(data.COMPUTING_AT_ONCE):
        data._COMPUTING.__enter__()  # the heavy reads of other sessions hold every turn
    try:
        done = threading.Event()
        light = threading.Thread(
            target=lambda: (data.dimensions(Scope.everything()), done.set()), daemon=True
        )
        light.start()
        assert done.wait(60), "a light read waited for a turn"
    finally:
        for _ in range(data.COMPUTING_AT_ONCE):
            data._COMPUTING.__exit__(None, None, None)
