"""Users who sign in: bcrypt hashes, roles, and the scope each one gets (docs/roles.md)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import bcrypt
from sqlalchemy import Connection, select

from crm_core.scope import Role, Scope
from db.schema import Region, Rep, User, UserRegion

users = User.__table__
user_regions = UserRegion.__table__


class UserError(ValueError):
    pass


@dataclass(frozen=True)
class Account:
    username: str
    display_name: str
    role: Role
    rep_id: str | None
    region_ids: tuple[str, ...]
    password_hash: str

    @property
    def scope(self) -> Scope:
        match self.role:
            case Role.DIRECTOR:
                return Scope.everything()
            case Role.MANAGER:
                return Scope.for_manager(self.region_ids)
            case Role.REP:
                return Scope.for_rep(self.rep_id or "")


def hash_password(password: str) -> str:
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt()).decode()


def add_user(
    conn: Connection,
    username: str,
    display_name: str,
    role: str,
    password: str,
    *,
    regions: Iterable[str] = (),
    rep_id: str | None = None,
    is_demo: bool = False,
) -> None:
    """Create a user; a manager needs at least one region, a rep a rep ID."""
    regions = list(regions)
    _check_user(conn, username, role, password, regions, rep_id)
    conn.execute(
        users.insert().values(
            username=username,
            display_name=display_name,
            role=role,
            rep_id=rep_id,
            password_hash=hash_password(password),
            is_demo=is_demo,
        )
    )
    for region_id in regions:
        conn.execute(user_regions.insert().values(username=username, region_id=region_id))


def _check_user(
    conn: Connection,
    username: str,
    role: str,
    password: str,
    regions: list[str],
    rep_id: str | None,
) -> None:
    if role not in {r.value for r in Role}:
        raise UserError(f"role: expected director|manager|rep, found {role!r}")
    if not username.strip():
        raise UserError("username: a value is required")
    if not password:
        raise UserError("password: a non-empty password is required on stdin")
    if conn.scalar(select(users.c.username).where(users.c.username == username)):
        raise UserError(f"username: {username!r} exists already")
    if role == Role.MANAGER and not regions:
        raise UserError("--region: a manager needs at least one region")
    if role == Role.REP and not rep_id:
        raise UserError("--rep: a rep user needs the rep ID it is")
    known = set(conn.scalars(select(Region.region_id).where(Region.region_id.in_(regions))))
    if unknown := set(regions) - known:
        raise UserError(f"--region: expected a known region ID, found {sorted(unknown)}")
    if rep_id and not conn.scalar(select(Rep.rep_id).where(Rep.rep_id == rep_id)):
        raise UserError(f"--rep: expected a known rep ID, found {rep_id!r}")


def load_accounts(conn: Connection) -> dict[str, Account]:
    """Every user with their regions, keyed by username."""
    regions: dict[str, list[str]] = {}
    for username, region_id in conn.execute(
        select(user_regions).order_by(user_regions.c.region_id)
    ):
        regions.setdefault(username, []).append(region_id)
    return {
        row.username: Account(
            row.username,
            row.display_name,
            Role(row.role),
            row.rep_id,
            tuple(regions.get(row.username, ())),
            row.password_hash,
        )
        for row in conn.execute(select(users))
    }


def account(conn: Connection, username: str) -> Account:
    found = load_accounts(conn).get(username)
    if found is None:
        raise UserError(f"--as: no user {username!r}")
    return found
