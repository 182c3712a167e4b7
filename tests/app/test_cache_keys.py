"""Invalidation by what changed (issue 17.1): a cached read is computed again only when a
table it reads has been written; a visit written keeps the cached targets."""

from __future__ import annotations

import threading
import time
from collections import Counter
from datetime import date

import pytest

from crm_core.periods import iso_week_period, month_period
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
    data.clear_results()
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
    data.clear_results()
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
    data.clear_results()
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


def counted_on_threads(monkeypatch: pytest.MonkeyPatch, name: str) -> list[str]:
    """The names of the threads that compute the read ``name`` from now on (cache cleared)."""
    threads: list[str] = []

    def counting(conn, *args, _original=data._QUERIES[name]):  # noqa: ANN001, ANN202
        threads.append(threading.current_thread().name)
        return _original(conn, *args)

    monkeypatch.setitem(data._QUERIES, name, counting)
    data.clear_results()
    return threads


def same_contacts(one: reads.Contacts, other: reads.Contacts) -> bool:
    return one.overdue.equals(other.overdue) and one.allocation.equals(other.allocation)


def test_a_read_started_ahead_is_computed_once_beside_the_page_and_then_cached(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    threads = counted_on_threads(monkeypatch, "services.reads.contacts")
    scope = Scope.for_manager(["R001"])
    result = data.ahead(data.contacts, scope, AS_OF)
    # a page asks for it later, when the read shown first is done; here: once the worker started
    deadline = time.monotonic() + 30
    while not threads and time.monotonic() < deadline:
        time.sleep(0.01)
    ahead = result()
    assert len(threads) == 1 and threads[0].startswith("ahead"), threads
    again = data.contacts(scope, AS_OF)
    assert len(threads) == 1, "the page's own call is a cache hit"
    assert same_contacts(again, ahead)
    assert same_contacts(result(), ahead), "asking twice gives the same result"
    with make_engine().connect() as conn:
        assert same_contacts(reads.contacts(conn, scope, AS_OF), ahead)


def test_a_read_the_busy_workers_have_not_started_is_computed_by_the_page_itself(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With every worker busy (other sessions' reads ahead), the page does not queue behind
    them: it takes its read back and computes it on its own thread."""
    threads = counted_on_threads(monkeypatch, "services.reads.contacts")
    release = threading.Event()
    busy = [data._AHEAD.submit(release.wait, 60) for _ in range(data.COMPUTING_AT_ONCE)]
    try:
        result = data.ahead(data.contacts, Scope.everything(), AS_OF)
        contacts = result()
        assert threads == [threading.current_thread().name]
        assert list(contacts.allocation.group) == ["top_10", "next_30", "rest_60"]
    finally:
        release.set()
    assert all(b.result(timeout=60) for b in busy)
    assert same_contacts(data.contacts(Scope.everything(), AS_OF), contacts)
    assert len(threads) == 1, "cached by the page's own computation"


def test_a_page_view_asks_the_versions_once_until_this_process_writes() -> None:
    """ui.data.versions: in a view the loaders' keys come from one query of the tables'
    versions and one per scope, the same keys as asked one by one; a write of this process
    makes the next loader ask again; outside a view every call asks."""
    from sqlalchemy import event

    from db.transactions import versions_for

    asked: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:  # noqa: ANN001
        if "versions" in statement:
            asked.append(statement)

    engine = data.engine()
    event.listen(engine, "before_cursor_execute", count)
    company, rep = Scope.everything(), Scope.for_rep("R001")
    calls = [(("activities", "targets"), company, None), (("orders",), company, None),
             (("activities", "customers"), rep, None), (("daily_reports",), rep, None),
             (("activities",), company, AS_OF)]  # fmt: skip
    try:
        data.new_view()
        keys = [data.versions(*call) for call in calls]
        assert len(asked) == 3  # every table's version, the rep's, the company's weeks
        with engine.connect() as conn:
            assert keys == [versions_for(conn, *call) for call in calls]
        asked.clear()
        assert [data.versions(*call) for call in calls] == keys and asked == []
        with engine.begin() as conn:
            bump_data_version(conn, ("orders",))
        asked.clear()
        after = data.versions(("orders",), company)
        assert after == (keys[1][0] + 1,) and len(asked) == 1
        del data._VIEW.asked  # a worker thread's read: no view
        asked.clear()
        data.versions(("orders",), company)
        data.versions(("orders",), company)
        assert len(asked) == 2
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_the_monday_report_is_joined_once_and_again_after_a_visit(monkeypatch) -> None:
    """The weekly page joins five cached reads; a second view finds the joined report held,
    a visit written (activities) makes the next view join it again."""
    joined: list[int] = []
    original = data._joined_report

    def counting(*parts):  # noqa: ANN002, ANN202
        joined.append(1)
        return original(*parts)

    monkeypatch.setattr(data, "_joined_report", counting)
    week, scope = iso_week_period("2026-W46"), Scope.for_manager(["R001"])
    first = data.monday_report(scope, week, "R001", AS_OF)
    again = data.monday_report(scope, week, "R001", AS_OF)
    assert len(joined) == 1
    assert again.reps.equals(first.reps) and again.items.equals(first.items)
    engine = make_engine()
    with engine.begin() as conn:
        bump_data_version(conn, ("activities",))
    engine.dispose()
    data.new_view()  # the next page view asks the versions again
    data.monday_report(scope, week, "R001", AS_OF)
    assert len(joined) == 2


@pytest.fixture()
def in_a_view(monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    """A page view of a session (its state a dict) with figures allowed to lag 30 s."""
    state: dict[str, object] = {}
    monkeypatch.setenv("CRM_LAG_SECONDS", "30")
    view, context = threading.current_thread(), object()
    monkeypatch.setattr(
        data, "get_script_run_ctx", lambda: context if threading.current_thread() is view else None
    )
    monkeypatch.setattr(data.st, "session_state", state)
    data.new_view()
    return state


def visit_written_elsewhere() -> None:
    """Another session's visit (another thread: this one is the view's session)."""

    def write() -> None:
        engine = make_engine()
        with engine.begin() as conn:
            bump_data_version(conn, ("activities",))
        engine.dispose()

    writer = threading.Thread(target=write)
    writer.start()
    writer.join(30)
    data.new_view()  # the next page view asks the versions again


def wait_for_refreshes() -> None:
    data._REFRESH.submit(lambda: None).result(timeout=60)


@pytest.fixture()
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The seconds the held results are aged by (set ``clock[0]``)."""
    now = [1000.0]
    monkeypatch.setattr(data, "_now", lambda: now[0])
    return now


def test_a_directors_view_shows_the_figures_before_a_visit_while_they_are_computed_again(
    monkeypatch: pytest.MonkeyPatch, in_a_view: dict[str, object], clock: list[float]
) -> None:
    threads = counted_on_threads(monkeypatch, "services.reads.efficiency")
    args = (Scope.everything(), PERIOD, AS_OF)
    before = data.efficiency(*args)
    visit_written_elsewhere()
    clock[0] += 5  # computed 5 s ago: shown as it is, not computed again yet
    lagging = data.efficiency(*args)
    assert lagging.league.reps.equals(before.league.reps)
    wait_for_refreshes()
    assert len(threads) == 1
    clock[0] += 6  # 11 s: more than a third of the 30 s lag, computed again behind the view
    data.efficiency(*args)
    wait_for_refreshes()
    assert len(threads) == 2 and threads[1].startswith("refresh"), threads
    data.efficiency(*args)
    assert len(threads) == 2, "the view after the refresh finds the current figures held"


def test_a_session_that_wrote_and_a_rep_see_the_current_figures_at_once(
    monkeypatch: pytest.MonkeyPatch, in_a_view: dict[str, object]
) -> None:
    threads = counted_on_threads(monkeypatch, "services.reads.efficiency")
    company, rep = (
        (Scope.everything(), PERIOD, AS_OF),
        (Scope.for_rep("E0001", "R001"), PERIOD, AS_OF),
    )
    data.efficiency(*company)
    data.efficiency(*rep)
    data._mark_writer()  # this session writes
    visit_written_elsewhere()
    data.efficiency(*company)
    assert len(threads) == 3 and not any(t.startswith("refresh") for t in threads)
    del in_a_view[data._WROTE_AT]
    visit_written_elsewhere()
    data.efficiency(*rep)  # a rep's own reads never lag
    assert len(threads) == 4 and threads[3] == threading.current_thread().name


def test_figures_older_than_the_lag_are_computed_again_before_the_view(
    monkeypatch: pytest.MonkeyPatch, in_a_view: dict[str, object], clock: list[float]
) -> None:
    threads = counted_on_threads(monkeypatch, "services.reads.efficiency")
    args = (Scope.everything(), PERIOD, AS_OF)
    data.efficiency(*args)
    clock[0] += 31
    visit_written_elsewhere()
    data.efficiency(*args)
    assert threads == [threading.current_thread().name] * 2


def test_the_lag_setting_is_checked() -> None:
    import os

    refused = (("soon", "expected a number of seconds"), ("-1", "0 to 600"), ("900", "0 to 600"))
    for text, problem in refused:
        os.environ["CRM_LAG_SECONDS"] = text
        try:
            with pytest.raises(ValueError, match=problem):
                data.lag_seconds()
        finally:
            os.environ["CRM_LAG_SECONDS"] = "0"
