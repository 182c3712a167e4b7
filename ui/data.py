"""Cached access to the read service for pages: one engine per URL (``st.cache_resource``),
and each :mod:`services.reads` function ``f(conn, *args)`` wrapped as a loader ``f(*args)``
cached with ``st.cache_data`` keyed on its arguments *and the data version*, which every write
bumps, so a write invalidates every cached read. Nothing is computed here.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date
from typing import TypeVar

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from crm_core.scope import Scope
from services import reads
from services.store import current_data_version, database_url, make_engine

T = TypeVar("T")
_QUERIES: dict[str, Callable[..., object]] = {}


@st.cache_resource(show_spinner=False)
def _engine_for(url: str) -> Engine:
    return make_engine(url)


def engine() -> Engine:
    return _engine_for(database_url())


def data_version() -> int:
    with engine().connect() as conn:
        return current_data_version(conn)


@st.cache_data(show_spinner=False, ttl=3600)
def _cached_run(name: str, url: str, version: int, args: tuple) -> object:
    with _engine_for(url).connect() as conn:
        return _QUERIES[name](conn, *args)


def cached_query(function: Callable[..., T]) -> Callable[..., T]:
    """``function(conn, *args)`` becomes a loader ``function(*args)``, cached on its name, the
    database URL, the data version and its arguments (all hashable by Streamlit)."""
    name = f"{function.__module__}.{function.__qualname__}"
    _QUERIES[name] = function

    @functools.wraps(function)
    def loader(*args: object) -> T:
        return _cached_run(name, database_url(), data_version(), args)  # type: ignore[return-value]

    return loader


dimensions = cached_query(reads.dimensions)
labels = cached_query(reads.labels)
overview = cached_query(reads.overview)
targets_table = cached_query(reads.targets_table)
breakdown_inputs = cached_query(reads.breakdown_inputs)
daily = cached_query(reads.daily)
monday_report = cached_query(reads.monday_report)
monthly = cached_query(reads.monthly)
efficiency = cached_query(reads.efficiency)
pipeline = cached_query(reads.pipeline)
customers = cached_query(reads.customers)
customer_search = cached_query(reads.customer_search)
customer_card = cached_query(reads.customer_card)
rep_customers = cached_query(reads.rep_customers)
unsplit_months = cached_query(reads.unsplit_months)


def rep_day(rep_id: str, day: date) -> dict[str, pd.DataFrame]:
    """A rep's own plan and report of ``day`` (not cached: it is edited)."""
    with engine().connect() as conn:
        return reads.rep_day(conn, rep_id, day)


def sign_off_queue(scope: Scope) -> pd.DataFrame:
    with engine().connect() as conn:
        return reads.sign_off_queue(conn, scope)


def report_history(report_id: str) -> list[tuple]:
    with engine().connect() as conn:
        return reads.report_history(conn, report_id)
