"""Saved views (crm_core.saved_views): each user's own, and those shared with them by name or
with everyone. Only the owner renames, shares or deletes a view; every change is audited."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Engine, delete, or_, select, update

from crm_core.saved_views import EVERYONE, view_name, view_page, view_params
from db.schema import SavedView, SavedViewShare, User
from db.transactions import audit, write_transaction

views_t = SavedView.__table__
shares_t = SavedViewShare.__table__
users_t = User.__table__


class ViewRefused(ValueError):
    pass


@dataclass(frozen=True)
class View:
    id: int
    owner: str
    owner_name: str
    name: str
    page: str
    params: dict[str, str]
    shared_with: tuple[str, ...]  # usernames, or ("*",) for everyone

    def mine(self, username: str) -> bool:
        return self.owner == username


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


@contextmanager
def _refused() -> Iterator[None]:
    """A bad name, page or parameter as a :class:`ViewRefused` (the message says which)."""
    try:
        yield
    except ValueError as problem:
        raise ViewRefused(str(problem)) from None


def _name_free(conn: Connection, owner: str, name: str, but: int | None = None) -> None:
    v = views_t.c
    query = select(v.id).where(v.owner == owner, v.name == name)
    found = conn.scalar(query)
    if found is not None and found != but:
        raise ViewRefused(f"name: you have a view named {name!r} already")


def save_view(engine: Engine, owner: str, name: str, page: str, params: Mapping[str, str]) -> int:
    """A new view of ``owner``'s; its ID."""
    with _refused():
        name, page, kept = view_name(name), view_page(page), view_params(params)
    with write_transaction(engine) as conn:
        _name_free(conn, owner, name)
        values = {"owner": owner, "name": name, "page": page, "params": json.dumps(kept),
                  "created_at": _now(), "updated_at": _now()}  # fmt: skip
        view_id = int(conn.execute(views_t.insert().values(**values)).inserted_primary_key[0])
        audit(conn, owner, "saved_views", str(view_id), None,
              {"name": name, "page": page, "params": kept})  # fmt: skip
    return view_id


def _own(conn: Connection, owner: str, view_id: int) -> dict[str, object]:
    v = views_t.c
    row = conn.execute(
        select(v.name, v.page, v.params).where(v.id == view_id, v.owner == owner)
    ).first()
    if row is None:  # another user's view is as unknown as one that does not exist
        raise ViewRefused(f"no view {view_id} of yours")
    return {"name": row.name, "page": row.page, "params": json.loads(row.params)}


def rename_view(engine: Engine, owner: str, view_id: int, name: str) -> None:
    with _refused():
        name = view_name(name)
    with write_transaction(engine) as conn:
        old = _own(conn, owner, view_id)
        _name_free(conn, owner, name, but=view_id)
        conn.execute(
            update(views_t).where(views_t.c.id == view_id).values(name=name, updated_at=_now())
        )
        audit(conn, owner, "saved_views", str(view_id), {"name": old["name"]}, {"name": name})


def delete_view(engine: Engine, owner: str, view_id: int) -> None:
    with write_transaction(engine) as conn:
        old = _own(conn, owner, view_id)
        conn.execute(delete(shares_t).where(shares_t.c.view_id == view_id))
        conn.execute(delete(views_t).where(views_t.c.id == view_id))
        audit(conn, owner, "saved_views", str(view_id), old, None)


def share_view(engine: Engine, owner: str, view_id: int, usernames: Sequence[str],
               everyone: bool = False) -> None:  # fmt: skip
    """Share ``view_id`` with exactly ``usernames`` (or with everyone): it replaces whom it
    was shared with; an empty list and no ``everyone`` makes it private again."""
    wanted = [EVERYONE] if everyone else sorted(set(usernames) - {owner})
    with write_transaction(engine) as conn:
        _own(conn, owner, view_id)
        if not everyone and wanted:
            known = set(conn.scalars(select(users_t.c.username)
                                     .where(users_t.c.username.in_(wanted))))  # fmt: skip
            unknown = [u for u in wanted if u not in known]
            if unknown:
                raise ViewRefused(f"share: no user {', '.join(unknown)}")
        s = shares_t.c
        before = sorted(conn.scalars(select(s.username).where(s.view_id == view_id)))
        conn.execute(delete(shares_t).where(s.view_id == view_id))
        if wanted:
            conn.execute(shares_t.insert(), [{"view_id": view_id, "username": u} for u in wanted])
        audit(conn, owner, "saved_view_shares", str(view_id), before, wanted)


def views_for(conn: Connection, username: str) -> list[View]:
    """``username``'s own views by name, then those shared with them by owner and name."""
    v, s, u = views_t.c, shares_t.c, users_t.c
    shared_ids = select(s.view_id).where(or_(s.username == username, s.username == EVERYONE))
    query = (
        select(v.id, v.owner, u.display_name, v.name, v.page, v.params)
        .join_from(views_t, users_t, u.username == v.owner)
        .where(or_(v.owner == username, v.id.in_(shared_ids)))
    )
    rows = conn.execute(query).all()
    shares: dict[int, list[str]] = {}
    ids = [row.id for row in rows]
    if ids:
        for view_id, user in conn.execute(select(s.view_id, s.username).where(s.view_id.in_(ids))):
            shares.setdefault(view_id, []).append(user)
    found = [
        View(row.id, row.owner, row.display_name, row.name, row.page, json.loads(row.params),
             tuple(sorted(shares.get(row.id, []))))
        for row in rows
    ]  # fmt: skip
    return sorted(found, key=lambda w: (w.owner != username, w.owner, w.name.casefold()))
