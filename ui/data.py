"""Cached access to the read service for pages: one engine per URL (``st.cache_resource``),
and each :mod:`services.reads` function ``f(conn, *args)`` wrapped as a loader ``f(*args)``
cached with ``st.cache_data`` keyed on its arguments *and the versions of the tables it reads*
(declared with ``services.reads.reading``): a write bumps the versions of the tables it changed,
so a visit written evicts the activity reads and keeps the targets; a read inside a region or
for a rep is keyed on that scope's versions of activities and daily reports, so a visit in one
region keeps the other regions' pages. A result cached under older
versions is dropped as soon as a newer one is asked for, so that writes all day do not pile up
results nobody can read again (a large company's customers table is tens of MB). Nothing is computed
here but the join of the Monday report's two parts.
"""

from __future__ import annotations

import collections
import concurrent.futures
import contextlib
import functools
import threading
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from crm_core.activity_plan import by_shortfall
from crm_core.forecasts import report_rows
from crm_core.periods import Period
from crm_core.scope import Scope
from crm_core.weekly import (
    MondayReport,
    forecast_months,
    meeting_month,
    with_actions,
    with_activity,
    with_forecast,
    with_plans,
)
from services import reads, store
from services.store import database_url, make_engine, versions_for, writes_here

T = TypeVar("T")
_QUERIES: dict[str, Callable[..., object]] = {}
# the newest versions each (read, database, arguments) was asked for, across all sessions
_NEWEST: dict[tuple[str, str, tuple], tuple] = {}
_NEWEST_LOCK = threading.Lock()
# a bound on the results held at once (any mix of reads, scopes and filters), least recent out
MAX_RESULTS = 500
# heavy reads computed at once, across sessions: more only share the one core the GIL leaves
# them and hold their intermediate frames at the same time (the server's memory grows with
# each); the others wait their turn, first come first served
COMPUTING_AT_ONCE = 2


class Turns:
    """At most ``slots`` holders at once, the others served in the order they came: a freed
    slot is handed to the longest waiter (a semaphore lets a newcomer take it first, so under
    load one page could wait without end)."""

    def __init__(self, slots: int) -> None:
        self._lock, self._free = threading.Lock(), slots
        self._waiting: collections.deque[threading.Event] = collections.deque()

    def __enter__(self) -> None:
        with self._lock:
            if self._free:
                self._free -= 1
                return
            turn = threading.Event()
            self._waiting.append(turn)
        turn.wait()  # the slot was handed over: _free was not incremented for it

    def __exit__(self, *_exc: object) -> None:
        with self._lock:
            if self._waiting:
                self._waiting.popleft().set()
            else:
                self._free += 1


_COMPUTING = Turns(COMPUTING_AT_ONCE)


@st.cache_resource(show_spinner=False)
def _engine_for(url: str) -> Engine:
    return make_engine(url)


def engine() -> Engine:
    return _engine_for(database_url())


def schema_problem() -> str | None:
    """What to run before the app can use its database (an older schema), or ``None``."""
    return store.schema_problem(engine())


# what the page view running on this thread asked of the versions (new_view)
_VIEW = threading.local()


def new_view() -> None:
    """Start a page view on this thread (the top of every script run): the versions its
    loaders are keyed on are then asked of the database once in it, and again after a write
    of this process (:func:`versions`). A fragment or dialog reruns without the top of the
    script, so one (the app has none) must call this first."""
    _VIEW.asked, _VIEW.written = {}, writes_here()


def versions(tables: tuple[str, ...], scope: Scope | None, until: date | None = None) -> tuple:
    """The current versions of ``tables`` as read inside ``scope`` up to ``until``
    (:func:`db.transactions.versions_for`). In a page view the database is asked once for
    every table's version and once for each scope's, not twice for each loader, while this
    process writes nothing: the view shows one state of the data, and a write of another
    process shows in the next view. Outside a view (a read started :func:`ahead` on a worker
    thread) the database is asked each time."""
    asked: dict[tuple, object] | None = getattr(_VIEW, "asked", None)
    if asked is not None and _VIEW.written != (written := writes_here()):
        asked.clear()  # this process wrote: what the view asked may be old
        _VIEW.written = written
    with contextlib.ExitStack() as opened:
        conn = _OnFirstUse(lambda: opened.enter_context(engine().connect()))
        return versions_for(conn, tables, scope, until, asked)  # type: ignore[arg-type]


class _OnFirstUse:
    """A connection opened when a statement is first executed on it: a view's versions that
    were all asked already cost no checkout (on PostgreSQL, a round trip to reset it)."""

    def __init__(self, connect: Callable[[], Any]) -> None:
        self._connect, self._conn = connect, None

    def execute(self, *args: Any, **kwargs: Any) -> Any:
        if self._conn is None:
            self._conn = self._connect()
        return self._conn.execute(*args, **kwargs)


@st.cache_data(show_spinner=False, ttl=3600, max_entries=MAX_RESULTS)
def _cached_run(name: str, url: str, version: tuple, args: tuple) -> object:
    function = _QUERIES[name]
    turn = contextlib.nullcontext() if getattr(function, "light", False) else _COMPUTING
    with turn, _engine_for(url).connect() as conn:
        return function(conn, *args)


def cached_query(function: Callable[..., T]) -> Callable[..., T]:
    """``function(conn, *args)`` becomes a loader ``function(*args)``, cached on its name, the
    database URL, the versions of the tables it reads and its arguments (all hashable)."""
    name = f"{function.__module__}.{function.__qualname__}"
    tables = getattr(function, "tables", None)
    if tables is None:
        raise TypeError(f"{name} does not declare the tables it reads (services.reads.reading)")
    _QUERIES[name] = function

    @functools.wraps(function)
    def loader(*args: object) -> T:
        url, read = database_url(), function.tables_for(*args)  # type: ignore[attr-defined]
        scope = args[0] if args and isinstance(args[0], Scope) else None
        version = versions(read, scope, function.until_for(*args))  # type: ignore[attr-defined]
        _forget_older(name, url, version, args)
        return _cached_run(name, url, version, args)  # type: ignore[return-value]

    return loader


def _forget_older(name: str, url: str, version: tuple, args: tuple) -> None:
    """Drop the result of ``name(*args)`` cached under other versions than ``version``: the
    versions only grow, so it can never be read again."""
    key = (name, url, args)
    with _NEWEST_LOCK:
        older = _NEWEST.get(key)
        _NEWEST[key] = version
    if older is not None and older != version:
        _cached_run.clear(name, url, older, args)


#: One cached loader per read declared in services.reads (``@reading``), by the read's name:
#: ``data.overview(scope, …)`` is ``reads.overview(conn, scope, …)``, cached.
LOADERS: dict[str, Callable[..., Any]] = {
    name: cached_query(read) for name, read in reads.READS.items()
}


def __getattr__(name: str) -> Callable[..., Any]:
    """``data.NAME``: the loader of the read ``NAME`` (:data:`LOADERS`)."""
    try:
        return LOADERS[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None


# reads started ahead of the page's need, across sessions: as many as compute at once
_AHEAD = concurrent.futures.ThreadPoolExecutor(COMPUTING_AT_ONCE, thread_name_prefix="ahead")


def ahead(loader: Callable[..., T], *args: object) -> Callable[[], T]:
    """Start ``loader(*args)`` (a cached read of this module) on a worker thread and return
    the function that gives its result. A page starts the read it shows further down before
    the one it shows first, so the two are computed at once: SQLite and psycopg let go of the
    interpreter while a statement runs, so one read's SQL runs on the second core while the
    other's rows are turned into frames (the customers page: its customer base by year beside
    the classification). The worker only calls the
    cached read, as Streamlit's own background refresh does, and draws nothing. A read that
    has not started when it is asked for (the workers busy with other sessions' reads) is
    taken back and computed on the page's own thread instead of waiting its turn."""
    future = _AHEAD.submit(loader, *args)

    def result() -> T:
        return loader(*args) if future.cancel() else future.result()

    return result


def monday_report(scope: Scope, week: Period, label: str, on: date) -> MondayReport:
    """The Monday report of ``week``: the week itself, cached until a row dated in it or
    before changes, with the plans of the week after, computed again after each plan, and
    the actions it opens with, their status on ``on`` (read each time)."""
    report = with_plans(
        LOADERS["week_report"](scope, week, label), LOADERS["plans_ahead"](scope, week)
    )
    plan = LOADERS["activity_plan"](scope, meeting_month(week), week.end)
    report = with_activity(report, by_shortfall(plan.table))
    month, before = forecast_months(week)
    calls = LOADERS["forecasts"](scope, month, week.end).reps
    past = LOADERS["forecast_accuracy"](scope, before).reps
    report = with_forecast(report, report_rows(calls, past))
    with engine().connect() as conn:
        return with_actions(report, reads.report_actions(conn, scope, week, on))


def rep_day(rep_id: str, day: date) -> dict[str, pd.DataFrame]:
    """A rep's own plan and report of ``day`` (not cached: it is edited)."""
    with engine().connect() as conn:
        return reads.rep_day(conn, rep_id, day)


def saved_views(username: str) -> list[reads.View]:
    """The user's saved views and those shared with them (not cached: they edit them)."""
    with engine().connect() as conn:
        return reads.saved_views(conn, username)


def share_choices(username: str) -> list[tuple[str, str]]:
    with engine().connect() as conn:
        return reads.share_choices(conn, username)


def sign_off_queue(scope: Scope) -> pd.DataFrame:
    with engine().connect() as conn:
        return reads.sign_off_queue(conn, scope)


def report_history(report_id: str) -> list[tuple]:
    with engine().connect() as conn:
        return reads.report_history(conn, report_id)
