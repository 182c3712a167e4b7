"""Forecasts (crm_core.forecasts): a rep submits their own, a manager adjusts their region's
reps' (the director anyone's), each a new row dated on the day it is made; every write is
audited and bumps the ``forecasts`` version, every read is scoped by the rep's region
(db.scoping)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

import pandas as pd
from sqlalchemy import Connection, Engine, select

from crm_core import inputs
from crm_core.forecasts import RECORD_COLUMNS, checked_pair, in_force, note_text
from crm_core.periods import Period, month_of, month_period
from crm_core.pipeline import expected_in
from crm_core.scope import Role, Scope
from crm_core.weekly import totals_by_rep
from db import queries
from db.pipeline import configured_probabilities, open_deals
from db.schema import ForecastEntry, Rep
from db.scoping import scope_clause
from db.transactions import audit, bump_data_version, write_transaction
from db.users import Account

forecasts_t = ForecastEntry.__table__
reps_t = Rep.__table__
INPUT_COLUMNS = ["rep", "name", "region", "target", "actual", "committed", "developed",
                 "weighted"]  # fmt: skip


class ForecastRefused(ValueError):
    pass


def checked_month(text: str, day: date) -> str:
    """``YYYY-MM`` of this month (of ``day``) or a later one: a month that is over has an
    actual, not a forecast."""
    try:
        month_period(text)
    except ValueError:
        raise ForecastRefused(f"month: expected YYYY-MM, found {text!r}") from None
    if len(text) != 7 or text < month_of(day):
        raise ForecastRefused(
            f"month: expected {month_of(day)} or a later month (YYYY-MM), found {text!r}"
        )
    return text


def _rep_in(conn: Connection, scope: Scope, rep_id: str) -> None:
    found = conn.execute(
        select(reps_t.c.rep_id).where(reps_t.c.rep_id == rep_id, scope_clause(reps_t, scope))
    ).first()
    if found is None:
        raise ForecastRefused(f"rep: no rep {rep_id!r} you can see")


def _insert(conn: Connection, actor: Account, values: dict[str, object]) -> int:
    entry = int(conn.execute(forecasts_t.insert().values(**values)).inserted_primary_key[0])
    bump_data_version(conn, ["forecasts"])
    audit(conn, actor.username, "forecasts", str(entry), None, values)
    return entry


def submit_forecast(engine: Engine, actor: Account, rep_id: str, month: str, commit: int,
                    best_case: int, day: date, at: datetime | None = None) -> int:  # fmt: skip
    """Record ``actor``'s own forecast of ``month`` (cents), dated ``day``; its ID. Refused
    (naming the field) unless ``actor`` is the rep ``rep_id``, the month is not over and the
    best case is at least the commit."""
    if actor.role != Role.REP or actor.rep_id != rep_id:
        raise ForecastRefused("a rep submits only their own forecast")
    month = checked_month(month, day)
    checked_pair(commit, best_case)
    with write_transaction(engine) as conn:
        _rep_in(conn, actor.scope, rep_id)
        return _insert(conn, actor, {
            "rep_id": rep_id, "month": month, "kind": "submitted", "commit_cents": commit,
            "best_case_cents": best_case, "note": None, "day": day, "made_by": actor.username,
            "made_at": at or datetime.now().replace(microsecond=0)})  # fmt: skip


def adjust_forecast(engine: Engine, actor: Account, rep_id: str, month: str,
                    commit: int | None, best_case: int | None, note: str | None, day: date,
                    at: datetime | None = None) -> int:  # fmt: skip
    """Record ``actor``'s adjustment of the commit, the best case or both of ``rep_id``'s
    forecast of ``month`` (cents), with the note saying why; its ID. Refused unless ``actor``
    is the director or a manager who sees the rep, the month is not over, and the best case
    in force afterwards is at least the commit in force."""
    if actor.role not in (Role.DIRECTOR, Role.MANAGER):
        raise ForecastRefused("only a manager or the director adjusts a forecast")
    if commit is None and best_case is None:
        raise inputs.InputRefused("commit, best case: give at least one of them")
    month = checked_month(month, day)
    said = note_text(note, required=True)
    with write_transaction(engine) as conn:
        _rep_in(conn, actor.scope, rep_id)
        force = in_force(records(conn, actor.scope.narrow(None, [rep_id]), [month]), day).get(
            rep_id, {}
        )
        checked_pair(commit if commit is not None else force.get("commit"),
                     best_case if best_case is not None else force.get("best_case"))  # fmt: skip
        return _insert(conn, actor, {
            "rep_id": rep_id, "month": month, "kind": "adjusted", "commit_cents": commit,
            "best_case_cents": best_case, "note": said, "day": day, "made_by": actor.username,
            "made_at": at or datetime.now().replace(microsecond=0)})  # fmt: skip


def records(conn: Connection, scope: Scope, months: Sequence[str]) -> pd.DataFrame:
    """Every submission and adjustment of ``months`` in ``scope``, oldest first
    (:data:`crm_core.forecasts.RECORD_COLUMNS`, money in cents)."""
    f = forecasts_t.c
    query = (
        select(f.id, f.rep_id, f.month, f.kind, f.commit_cents, f.best_case_cents, f.note, f.day,
               f.made_by)
        .where(f.month.in_(list(months)), scope_clause(forecasts_t, scope))
        .order_by(f.day, f.id)
    )  # fmt: skip
    frame = pd.DataFrame([tuple(r) for r in conn.execute(query)], columns=RECORD_COLUMNS)
    frame = frame.astype(object)
    return frame.where(frame.notna(), None)


def month_inputs(conn: Connection, scope: Scope, month: Period, as_of: date) -> pd.DataFrame:
    """Per active rep of ``scope`` (:data:`INPUT_COLUMNS`, cents): the revenue target of
    ``month`` (``None`` without one), the revenue from its start to ``as_of``, and the deals
    open on ``as_of`` expected to close in it: in stage committed, in stage developed, and
    all of them weighted by stage probability."""
    reps = queries.reps(conn, scope)
    label = f"{month.start:%Y-%m}"
    targets = queries.targets_by(conn, scope, label, label, ["rep"], ["revenue"])
    target = {r: int(v) for r, v in zip(targets.rep, targets.target, strict=True) if v == v}
    until = min(as_of, month.end)
    sold = (totals_by_rep(queries.sales_by(conn, scope, month.start, until, ["rep"]))
            if until >= month.start else {})  # fmt: skip
    deals = open_deals(conn, scope, as_of)
    inside = deals[(deals.expected_close >= month.start) & (deals.expected_close <= month.end)]
    by_stage = inside.groupby(["rep", "stage"]).amount.sum().to_dict() if len(inside) else {}
    weighted = expected_in(deals, month.start, month.end, "rep", configured_probabilities())
    weights = dict(zip(weighted.rep, weighted.weighted, strict=True))
    rows = [
        (rep.rep_id, rep.name, rep.region_id, target.get(rep.rep_id), sold.get(rep.rep_id, 0),
         int(by_stage.get((rep.rep_id, "committed"), 0)),
         int(by_stage.get((rep.rep_id, "developed"), 0)), int(weights.get(rep.rep_id, 0)))
        for rep in reps[reps.active.astype(bool)].itertuples()
    ]  # fmt: skip
    frame = pd.DataFrame(rows, columns=INPUT_COLUMNS).astype(object)
    return frame.where(frame.notna(), None)


def revenue_by_rep_month(conn: Connection, scope: Scope, months: Sequence[str]) -> pd.DataFrame:
    """``rep, month, revenue`` (cents) of ``months`` (consecutive) in ``scope``."""
    first, last = month_period(months[0]), month_period(months[-1])
    sales = queries.sales_by(conn, scope, first.start, last.end, ["rep", "month"])
    return sales[["rep", "month", "revenue"]]


def reps_of(conn: Connection, scope: Scope) -> pd.DataFrame:
    """``rep, name, region`` of every rep in ``scope`` (a rep who left still has a record)."""
    reps = queries.reps(conn, scope)
    return pd.DataFrame({"rep": reps.rep_id, "name": reps.name, "region": reps.region_id})
