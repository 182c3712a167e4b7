"""Cached access to the read service for pages: one engine per URL (``st.cache_resource``),
and each :mod:`services.reads` function ``f(conn, *args)`` wrapped as a loader ``f(*args)``
held in memory (:class:`Results`) keyed on its arguments *and the versions of the tables it reads*
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
import copy
import dataclasses
import decimal
import enum
import functools
import threading
import time
from collections.abc import Callable
from datetime import date, datetime
from datetime import time as time_of_day
from typing import Any, TypeVar

import pandas as pd
import streamlit as st
from sqlalchemy import Engine
from streamlit.runtime.scriptrunner import get_script_run_ctx

from crm_core import settings
from crm_core.activity_plan import ActivityPlan, by_shortfall
from crm_core.forecasts import report_rows
from crm_core.periods import Period
from crm_core.scope import FactFilter, Scope
from crm_core.weekly import (
    MondayReport,
    PlansAhead,
    forecast_months,
    meeting_month,
    with_actions,
    with_activity,
    with_forecast,
    with_plans,
)
from services import reads, store
from services.reads import ForecastAccuracy, Forecasts
from services.store import database_url, make_engine, on_write, versions_for, writes_here

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


def _now() -> float:
    """Seconds on the clock results are aged by (a test sets it)."""
    return time.monotonic()


class Results:
    """The loaders' results as the objects they are, at most ``max_entries`` (least recently
    read out first), each for ``ttl`` seconds. ``st.cache_data`` pickles a result when it is
    stored and unpickles it on every hit, a copy per view of every table a page shows; here a
    hit hands out :func:`fresh` copies, which share the data until one is changed (pandas'
    copy on write), so a page can do what it likes with its frames and the held result stays
    as computed. Sessions asking for the same missing result at once compute it once."""

    def __init__(self, max_entries: int, ttl: float) -> None:
        self.max_entries, self.ttl = max_entries, ttl
        self._held: collections.OrderedDict[tuple, tuple[float, object]] = collections.OrderedDict()
        self._lock = threading.Lock()
        self._computing: dict[tuple, threading.Lock] = {}

    def get(self, key: tuple, compute: Callable[[], object]) -> object:
        found = self._held_value(key)
        if found is not _MISSING:
            return fresh(found)
        with self._lock:
            computing = self._computing.setdefault(key, threading.Lock())
        with computing:  # a second session waits for the first one's result
            try:
                found = self._held_value(key)
                if found is _MISSING:
                    found = compute()
                    with self._lock:
                        self._held[key] = (_now(), found)
                        while len(self._held) > self.max_entries:
                            self._held.popitem(last=False)
            finally:
                with self._lock:
                    self._computing.pop(key, None)
        return fresh(found)

    def _held_value(self, key: tuple) -> object:
        with self._lock:
            held = self._held.get(key)
            if held is None:
                return _MISSING
            if _now() - held[0] > self.ttl:
                del self._held[key]
                return _MISSING
            self._held.move_to_end(key)
            return held[1]

    def peek(self, key: tuple) -> tuple[object, float] | None:
        """The result held under ``key`` and how many seconds ago it was computed."""
        with self._lock:
            held = self._held.get(key)
        return None if held is None else (held[1], _now() - held[0])

    def drop(self, key: tuple) -> None:
        with self._lock:
            self._held.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._held.clear()

    def __len__(self) -> int:
        return len(self._held)


_MISSING = object()


def fresh(value: T) -> T:
    """``value`` with every frame, series, list and dict in it a copy of its own, and its
    dataclasses new instances of them: frames and series are copied shallowly (copy on write
    shares their data until either is changed), immutable values are given as they are."""
    if isinstance(value, pd.DataFrame | pd.Series | pd.Index):
        return value.copy(deep=False)  # type: ignore[return-value]
    if value is None or isinstance(value, _IMMUTABLE):
        return value
    if isinstance(value, list):
        return [fresh(item) for item in value]  # type: ignore[return-value]
    if isinstance(value, tuple):
        items = [fresh(item) for item in value]
        return type(value)(*items) if hasattr(value, "_fields") else tuple(items)  # type: ignore[return-value]
    if isinstance(value, dict):  # a Counter or defaultdict stays one
        copied_map = copy.copy(value)
        copied_map.update((key, fresh(item)) for key, item in value.items())
        return copied_map
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        copied = copy.copy(value)
        for field in dataclasses.fields(value):
            object.__setattr__(copied, field.name, fresh(getattr(value, field.name)))
        return copied
    return copy.deepcopy(value)  # anything else (a set, an array): a copy of its own


_IMMUTABLE = (str, bytes, int, float, complex, bool, decimal.Decimal, date, datetime, time_of_day,
              enum.Enum, Period, Scope, FactFilter, frozenset)  # fmt: skip
_RESULTS = Results(MAX_RESULTS, ttl=3600)


def _cached_run(name: str, url: str, version: tuple, args: tuple) -> object:
    function = _QUERIES[name]

    def compute() -> object:
        turn = contextlib.nullcontext() if getattr(function, "light", False) else _COMPUTING
        with turn, _engine_for(url).connect() as conn:
            return function(conn, *args)

    return _RESULTS.get((name, url, version, args), compute)


def clear_results() -> None:
    """Forget every held result (tests, benchmarks: a cold start)."""
    _RESULTS.clear()
    with _NEWEST_LOCK:
        _NEWEST.clear()


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
        url = database_url()
        scope, version = _scope_and_versions(function, args)
        return _result(  # type: ignore[return-value]
            name, url, version, args, scope, lambda: _cached_run(name, url, version, args)
        )

    return loader


def _scope_and_versions(read: Callable[..., object], args: tuple) -> tuple[Scope | None, tuple]:
    """The scope a call ``read(conn, *args)`` reads inside (its first argument, if a scope)
    and the current versions of what it reads there: its results' key."""
    scope = args[0] if args and isinstance(args[0], Scope) else None
    tables, until = read.tables_for(*args), read.until_for(*args)  # type: ignore[attr-defined]
    return scope, versions(tables, scope, until)


def _result(
    name: str, url: str, version: tuple, args: tuple, scope: Scope | None,
    compute: Callable[[], object],
) -> object:  # fmt: skip
    """The result of ``name(*args)`` under ``version``, or the one held under the versions
    before while it is computed again on the refresh thread, when the view may lag
    (:func:`_allowed_lag`): a director's or manager's view waited for a company or region read
    computed again after every visit anyone wrote. It is computed again at most once a third
    of the lag: a company's reps write several visits a second at 20:00, and each would have
    the company's figures counted again."""
    with _NEWEST_LOCK:
        older = _NEWEST.get((name, url, args))
    if older is not None and older != version and (lag := _allowed_lag(scope)):
        held = _RESULTS.peek((name, url, older, args))
        if held is not None and held[1] < lag:
            if held[1] >= lag / 3:
                _refresh(name, url, version, args, older, compute)
            return fresh(held[0])
    _forget_older(name, url, version, args)
    return compute()


def _forget_older(
    name: str, url: str, version: tuple, args: tuple, expected: object = _MISSING
) -> None:
    """Drop the result of ``name(*args)`` held under other versions than ``version``: the
    versions only grow, so it can never be read again. With ``expected`` (a refresh), only
    while the newest versions asked are still those: a view may have moved past them."""
    key = (name, url, args)
    with _NEWEST_LOCK:
        older = _NEWEST.get(key)
        if expected is not _MISSING and older != expected:
            return
        _NEWEST[key] = version
    if older is not None and older != version:
        _RESULTS.drop((name, url, older, args))


#: How long a manager's or director's figures may lag other people's writes (seconds).
LAG_SECONDS = 30.0
_LAGGING = threading.local()  # set while a view joins results (combined): they must agree
# one result computed again at a time, each (read, arguments) once however many views ask
_REFRESH = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="refresh")
_REFRESHING: set[tuple] = set()


def lag_seconds() -> float:
    """``CRM_LAG_SECONDS`` (default :data:`LAG_SECONDS`; 0: a view always waits for the
    current figures)."""
    text = settings.value("CRM_LAG_SECONDS")
    return settings.bounded("CRM_LAG_SECONDS", text, LAG_SECONDS, 0.0, 600.0, "seconds")


def _allowed_lag(scope: Scope | None) -> float:
    """The seconds (:func:`lag_seconds`) this read may be served as it was, 0 when it may
    not lag: it may in a page view of a session that has written nothing for as long (its
    own writes show at once), for a read of a region or the company (a rep's own reads are
    keyed on their own writes and always current), and not while joining results that must
    agree (:func:`combined`)."""
    if scope is None or scope.rep_ids is not None or getattr(_LAGGING, "off", False):
        return 0.0
    lag = lag_seconds()
    if lag <= 0 or get_script_run_ctx() is None:
        return 0.0
    wrote = st.session_state.get(_WROTE_AT)
    return lag if wrote is None or _now() - wrote >= lag else 0.0


_WROTE_AT = "_data_wrote_at"


def _mark_writer() -> None:
    """Note in the session that wrote (on its script thread) when it last wrote."""
    if get_script_run_ctx() is not None:
        st.session_state[_WROTE_AT] = _now()


on_write(_mark_writer)


def _refresh(
    name: str, url: str, version: tuple, args: tuple, older: tuple,
    compute: Callable[[], object],
) -> None:  # fmt: skip
    """Compute ``name(*args)`` under ``version`` on the refresh thread, unless it is already
    being computed; once done, the result under ``older`` is dropped."""
    key = (name, url, args)
    with _NEWEST_LOCK:
        if key in _REFRESHING:
            return
        _REFRESHING.add(key)

    def run() -> None:
        try:
            compute()
            _forget_older(name, url, version, args, expected=older)
        finally:
            with _NEWEST_LOCK:
                _REFRESHING.discard(key)

    _REFRESH.submit(run)


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
    month, before = forecast_months(week)
    parts = (
        ("week_report", (scope, week, label)),
        ("plans_ahead", (scope, week)),
        ("activity_plan", (scope, meeting_month(week), week.end)),
        ("forecasts", (scope, month, week.end)),
        ("forecast_accuracy", (scope, before)),
    )
    report = combined("monday_report", parts, _joined_report)
    with engine().connect() as conn:
        return with_actions(report, reads.report_actions(conn, scope, week, on))


def _joined_report(
    week: MondayReport, plans: PlansAhead, plan: ActivityPlan, calls: Forecasts,
    past: ForecastAccuracy,
) -> MondayReport:  # fmt: skip
    report = with_activity(with_plans(week, plans), by_shortfall(plan.table))
    return with_forecast(report, report_rows(calls.reps, past.reps))


def combined(name: str, parts: tuple[tuple[str, tuple], ...], join: Callable[..., T]) -> T:
    """``join`` of the results of the loaders ``parts`` (each a read's name and arguments),
    held as long as all of them are the same: a page that joins cached results on every
    view (the Monday report of five reads) joins them once per change of one. It may lag
    as a read does (:func:`_result`)."""
    url = database_url()
    scoped = [_scope_and_versions(reads.READS[read], args) for read, args in parts]
    scope, version = scoped[0][0], tuple(part_version for _, part_version in scoped)

    def joined() -> object:
        _LAGGING.off = True  # the parts as they are now, not some as they were
        try:
            return join(*(LOADERS[read](*args) for read, args in parts))
        finally:
            _LAGGING.off = False

    return _result(  # type: ignore[return-value]
        name, url, version, parts, scope, lambda: _RESULTS.get((name, url, version, parts), joined)
    )


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


def report_history(report_id: str) -> list[tuple]:
    with engine().connect() as conn:
        return reads.report_history(conn, report_id)
