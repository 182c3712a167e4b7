"""Actions of the Monday meeting (crm_core.actions): recorded by a director or a manager about
a rep or a region they see, owned by a user who sees it too, closed by the owner or a manager
or director who sees it; every write audited, every read scoped like the rep or region the
action is about (db.scoping)."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
from sqlalchemy import Connection, Engine, select, update

from crm_core import inputs
from crm_core.actions import ACTION_COLUMNS, NewAction, carried_into, new_action, status
from crm_core.periods import Period, iso_week_of, parse_week
from crm_core.scope import Role, Scope
from db import queries
from db.schema import Action, Region, Rep
from db.scoping import scope_clause
from db.transactions import audit, write_transaction
from db.users import Account, load_accounts

actions_t = Action.__table__
reps_t = Rep.__table__
regions_t = Region.__table__


class ActionRefused(ValueError):
    pass


def _subject(conn: Connection, scope: Scope, about: str) -> tuple[str | None, str, str]:
    """``(rep_id or None, region_id, name)`` of a rep or region ID inside ``scope``."""
    rep = conn.execute(
        select(reps_t.c.rep_id, reps_t.c.region_id, reps_t.c.name).where(
            reps_t.c.rep_id == about, scope_clause(reps_t, scope)
        )
    ).first()
    if rep is not None:
        return rep.rep_id, rep.region_id, rep.name
    region = conn.execute(
        select(regions_t.c.region_id, regions_t.c.name).where(
            regions_t.c.region_id == about, scope_clause(regions_t, scope)
        )
    ).first()
    if region is not None and scope.rep_ids is None:
        return None, region.region_id, region.name
    raise ActionRefused(f"about: no rep or region {about!r} you can see")


def may_own(account: Account, rep_id: str | None, region_id: str) -> bool:
    """Whether ``account`` sees what an action is about, so it can own it: the director, a
    manager of the region, the rep themself."""
    if account.disabled:
        return False
    match account.role:
        case Role.DIRECTOR:
            return True
        case Role.MANAGER:
            return region_id in account.region_ids
        case Role.REP:
            return rep_id is not None and account.rep_id == rep_id
    return False


def owners(conn: Connection, about: str, scope: Scope) -> list[Account]:
    """The users who may own an action about ``about``, by username."""
    rep_id, region_id, _ = _subject(conn, scope, about)
    return sorted(
        (a for a in load_accounts(conn).values() if may_own(a, rep_id, region_id)),
        key=lambda a: a.username,
    )


def owner_choices(conn: Connection, scope: Scope) -> list[tuple[str, str]]:
    """``(username, display name)`` of every active user who may own an action about something
    in ``scope``: directors, managers of its regions, rep users of its reps."""
    regions = set(queries.regions(conn, scope).region_id)
    reps = set(queries.reps(conn, scope).rep_id)
    chosen = [
        a for a in load_accounts(conn).values()
        if not a.disabled and (a.role == Role.DIRECTOR
                               or (a.role == Role.MANAGER and regions & set(a.region_ids))
                               or (a.role == Role.REP and a.rep_id in reps))
    ]  # fmt: skip
    return [(a.username, a.display_name) for a in sorted(chosen, key=lambda a: a.username)]


def add_action(
    engine: Engine,
    actor: Account,
    week_label: str,
    about: str,
    owner: str,
    due: date,
    text: str,
    at: datetime | None = None,
) -> int:
    """Record an action; its ID. Refused (:class:`ActionRefused` or
    :class:`crm_core.inputs.InputRefused`, naming the field) unless ``actor`` is a director or
    a manager who sees ``about`` and ``owner`` may own it."""
    if actor.role not in (Role.DIRECTOR, Role.MANAGER):
        raise ActionRefused("only a director or a manager records actions")
    try:
        week = parse_week(week_label)
    except ValueError as problem:
        raise ActionRefused(f"week: {problem}") from None
    checked: NewAction = new_action(week, iso_week_of(week.start), about, owner, due, text)
    with write_transaction(engine) as conn:
        rep_id, region_id, _ = _subject(conn, actor.scope, checked.about)
        account = load_accounts(conn).get(inputs.username(owner) if owner else owner)
        if account is None or not may_own(account, rep_id, region_id):
            raise ActionRefused(
                f"owner: {owner!r} is no active user who sees {checked.about} "
                "(the director, a manager of its region, or the rep)"
            )
        values = {"week": checked.week, "rep_id": rep_id,
                  "region_id": None if rep_id else region_id, "owner": account.username,
                  "due": checked.due, "text": checked.text, "created_by": actor.username,
                  "created_at": at or datetime.now().replace(microsecond=0)}  # fmt: skip
        action_id = int(conn.execute(actions_t.insert().values(**values)).inserted_primary_key[0])
        audit(conn, actor.username, "actions", str(action_id), None,
              {**values, "about": checked.about})  # fmt: skip
    return action_id


def close_action(engine: Engine, actor: Account, action_id: int, on: date) -> date:
    """Mark an action done on ``on``; the day it is done (an action done before stays done on
    its day). Refused unless ``actor`` sees it and is its owner, a manager or the director."""
    with write_transaction(engine) as conn:
        row = conn.execute(
            select(actions_t).where(
                actions_t.c.id == action_id, scope_clause(actions_t, actor.scope)
            )
        ).first()
        if row is None:
            raise ActionRefused(f"no action {action_id} you can see")
        if actor.role == Role.REP and row.owner != actor.username:
            raise ActionRefused(f"action {action_id} is {row.owner}'s to close")
        if row.done_on is not None:
            return row.done_on
        conn.execute(
            update(actions_t)
            .where(actions_t.c.id == action_id, actions_t.c.done_on.is_(None))
            .values(done_on=on, done_by=actor.username)
        )
        audit(conn, actor.username, "actions", str(action_id), {"done_on": None},
              {"done_on": on})  # fmt: skip
    return on


def _frame(conn: Connection, scope: Scope, before_week: str | None = None,
           week: str | None = None) -> pd.DataFrame:  # fmt: skip
    """The actions in ``scope`` (of ``week``, or of the weeks before ``before_week``), with the
    name of what each is about; every column of :data:`ACTION_COLUMNS` but ``status``."""
    a = actions_t.c
    query = (
        select(a.id, a.week, a.rep_id, a.region_id, reps_t.c.name.label("rep_name"),
               regions_t.c.name.label("region_name"), a.owner, a.due, a.text, a.done_on,
               a.created_by)
        .outerjoin(reps_t, reps_t.c.rep_id == a.rep_id)
        .outerjoin(regions_t, regions_t.c.region_id == a.region_id)
        .where(scope_clause(actions_t, scope))
        .order_by(a.id)
    )  # fmt: skip
    if week is not None:
        query = query.where(a.week == week)
    if before_week is not None:
        query = query.where(a.week < before_week)
    rows = [
        (r.id, r.week, r.rep_id or r.region_id, r.rep_name or r.region_name, r.owner, r.due,
         r.text, r.done_on, r.created_by)
        for r in conn.execute(query)
    ]  # fmt: skip
    columns = [c for c in ACTION_COLUMNS if c != "status"]
    frame = pd.DataFrame(rows, columns=columns).astype(object)
    return frame.where(frame.notna(), None)


def action_list(conn: Connection, scope: Scope, on: date, week: str | None = None) -> pd.DataFrame:
    """Every action in ``scope`` (or those decided on ``week``), each with its status on ``on``;
    columns :data:`ACTION_COLUMNS`."""
    frame = _frame(conn, scope, week=week)
    frame["status"] = [
        status(d, done, on) for d, done in zip(frame.due, frame.done_on, strict=True)
    ]
    return frame[ACTION_COLUMNS]


def report_actions(conn: Connection, scope: Scope, week: Period, on: date) -> pd.DataFrame:
    """The actions the report of ``week`` opens with (:func:`crm_core.actions.carried_into`),
    with their status on ``on``."""
    label = iso_week_of(week.start)
    return carried_into(_frame(conn, scope, before_week=label), week, label, on)
