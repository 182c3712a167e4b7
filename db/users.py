"""Users who sign in: bcrypt hashes, roles, and the scope each one gets (docs/roles.md)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import groupby
from operator import attrgetter

import bcrypt
from sqlalchemy import Connection, Engine, Row, delete, func, select, update

from crm_core import inputs
from crm_core.passwords import password_problem
from crm_core.scope import Role, Scope
from db.schema import LoginFailure, Region, Rep, User, UserRegion
from db.transactions import audit, write_transaction

users = User.__table__
user_regions = UserRegion.__table__
failures_t = LoginFailure.__table__

# Lockout: after FREE_TRIES failed sign-ins in a row for one username, or CLIENT_FREE_TRIES
# wrong passwords for existing users from one client, every further try must wait FIRST_WAIT,
# doubling with each failure, at most MAX_WAIT. A client counts only the failures for existing
# users: a whole office signs in through one proxy address, and made-up names typed there must
# not lock out a real account.
FREE_TRIES = 5
CLIENT_FREE_TRIES = 10
FIRST_WAIT = timedelta(seconds=30)
MAX_WAIT = timedelta(minutes=15)
# A bcrypt hash of a random password: checked for an unknown or disabled user, so that a
# refusal takes as long whether or not the username exists.
DUMMY_HASH = b"$2b$12$C6UzMDM.H6dfI/f/IKxGhuF9Zl1d3pbGsPiQb0dLGwIbTNPEq4T6a"
# bcrypt reads at most 72 bytes of a password; a longer one is refused, never cut silently.
PASSWORD_MAX_BYTES = 72


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
    disabled: bool = False
    session_version: int = 0
    email: str | None = None
    is_demo: bool = False  # a demo user (password "demo"): not asked to change it

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
    return bcrypt.hashpw(checked_password(password).encode(), bcrypt.gensalt()).decode()


def checked_password(password: str) -> str:
    """``password`` when bcrypt can hash it whole: not empty, at most 72 bytes in UTF-8."""
    if not password:
        raise UserError("password: a non-empty password is required on stdin")
    if len(password.encode()) > PASSWORD_MAX_BYTES:
        raise UserError(
            f"password: expected at most {PASSWORD_MAX_BYTES} bytes in UTF-8 (bcrypt reads no "
            f"more), found {len(password.encode())}"
        )
    return password


def strong_password(password: str, username: str, name: str | None = None) -> str:
    """``password`` as a new password a person chose (crm_core.passwords), else
    :class:`UserError` saying what it lacks."""
    if problem := password_problem(password, [username, name or ""]):
        raise UserError(f"password: {problem}")
    return password


def password_matches(password: str, stored: bytes) -> bool:
    """Whether ``password`` is the one hashed in ``stored``; a password bcrypt cannot read
    (over 72 bytes) is wrong, after the same work as any other."""
    if len(password.encode()) > PASSWORD_MAX_BYTES:
        bcrypt.checkpw(b"", stored)
        return False
    return bcrypt.checkpw(password.encode(), stored)


def canonical_username(text: str) -> str:
    """The stored form of a username (crm_core.inputs.username) as a :class:`UserError`."""
    try:
        return inputs.username(text)
    except inputs.InputRefused as refused:
        raise UserError(str(refused)) from None


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
    email: str | None = None,
    by: str | None = None,
) -> str:
    """Create a user; a manager needs at least one region, a rep a rep ID. With ``by`` (who
    adds them) the addition is audited. Returns the username as stored (canonical)."""
    regions = list(regions)
    username = canonical_username(username)
    display_name = _checked(inputs.display_name, display_name, "--name")
    email = _checked_email(email)
    _check_user(conn, username, role, password, regions, rep_id)
    conn.execute(
        users.insert().values(
            username=username,
            display_name=display_name,
            role=role,
            rep_id=rep_id,
            password_hash=hash_password(password),
            is_demo=is_demo,
            email=email,
        )
    )
    for region_id in regions:
        conn.execute(user_regions.insert().values(username=username, region_id=region_id))
    if by is not None:
        audit(conn, by, "users", username, None, {"role": role})
    return username


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
    checked_password(password)
    if same := _same_user(conn, username):
        raise UserError(f"username: {username!r} exists already (as {same!r})")
    if role == Role.MANAGER and not regions:
        raise UserError("--region: a manager needs at least one region")
    if role == Role.REP and not rep_id:
        raise UserError("--rep: a rep user needs the rep ID it is")
    known = set(conn.scalars(select(Region.region_id).where(Region.region_id.in_(regions))))
    if unknown := set(regions) - known:
        raise UserError(f"--region: expected a known region ID, found {sorted(unknown)}")
    if rep_id and not conn.scalar(select(Rep.rep_id).where(Rep.rep_id == rep_id)):
        raise UserError(f"--rep: expected a known rep ID, found {rep_id!r}")


def _same_user(conn: Connection, username: str) -> str | None:
    """The stored username that ``username`` (canonical) names: itself, or one stored before
    usernames were normalised that differs only in case or width."""
    candidates = conn.scalars(
        select(users.c.username).where(func.lower(users.c.username) == username.lower())
    ).all()
    if username in candidates:
        return username
    return next((name for name in candidates if _folded(name) == username), None)


def _folded(name: str) -> str:
    try:
        return inputs.username(name)
    except inputs.InputRefused:
        return name


def _checked(check: Callable[[str, str], str], value: str, what: str) -> str:
    try:
        return check(value, what)
    except inputs.InputRefused as refused:
        raise UserError(str(refused)) from None


def _checked_email(email: str | None) -> str | None:
    if email is None:
        return None
    try:
        return inputs.email_address(email, "--email")
    except inputs.InputRefused as refused:
        raise UserError(str(refused)) from None


def load_accounts(conn: Connection, only: str | None = None) -> dict[str, Account]:
    """Every user (or only the user ``only``) with their regions, keyed by username: one
    query, a row per user and region (the account is read on every rerun, and each query is a
    round trip to PostgreSQL)."""
    query = (
        select(users, user_regions.c.region_id)
        .outerjoin(user_regions, user_regions.c.username == users.c.username)
        .where(*([] if only is None else [users.c.username == only]))
        .order_by(users.c.username, user_regions.c.region_id)
    )
    rows = groupby(conn.execute(query), key=attrgetter("username"))
    return {username: _account(list(of_user)) for username, of_user in rows}


def _account(rows: list[Row]) -> Account:
    """The account of one user's rows of the users-regions join (a row per region, or one
    row with no region)."""
    user = rows[0]
    return Account(
        user.username,
        user.display_name,
        Role(user.role),
        user.rep_id,
        tuple(row.region_id for row in rows if row.region_id is not None),
        user.password_hash,
        bool(user.disabled),
        int(user.session_version or 0),
        user.email,
        bool(user.is_demo),
    )


def find_account(conn: Connection, username: str) -> Account | None:
    """The user ``username`` as stored now (one indexed read: checked on every rerun)."""
    return load_accounts(conn, username).get(username)


def named_account(conn: Connection, typed: str) -> Account | None:
    """The user a person means by ``typed`` at sign-in or in ``--as``: its canonical form
    (``Manager`` and ``ｍａｎａｇｅｒ`` are ``manager``), else the name as typed."""
    try:
        canonical = inputs.username(typed)
    except inputs.InputRefused:
        return find_account(conn, typed) if typed else None
    stored = _same_user(conn, canonical)
    return find_account(conn, stored) if stored else None


def any_user(conn: Connection) -> bool:
    return bool(conn.scalar(select(func.count()).select_from(users)))


def account(conn: Connection, username: str) -> Account:
    found = named_account(conn, username)
    if found is None:
        raise UserError(f"--as: no user {username!r}")
    if found.disabled:
        raise UserError(f"--as: user {username!r} is disabled")
    return found


# ---------------------------------------------------------------- managing users


def _existing(conn: Connection, username: str) -> Account:
    found = named_account(conn, username)
    if found is None:
        raise UserError(f"username: no user {username!r}")
    return found


def set_password(engine: Engine, username: str, password: str, by: str) -> None:
    """A new password; every session of the user ends (their cookies stop working)."""
    checked_password(password)
    with write_transaction(engine) as conn:
        username = _existing(conn, username).username
        conn.execute(
            update(users)
            .where(users.c.username == username)
            .values(
                password_hash=hash_password(password),
                session_version=users.c.session_version + 1,
            )
        )
        audit(conn, by, "users", username, None, {"password": "changed"})


def change_own_password(engine: Engine, account: Account, old: str, new: str) -> int:
    """The user's own change of password (in the app): the old one must match and the new
    one be strong; every other session of the user ends. The new session version (the
    caller's session keeps going with it)."""
    with engine.connect() as conn:
        current = find_account(conn, account.username)
    if current is None or not password_matches(old, current.password_hash.encode()):
        raise UserError("current password: it is not the password you signed in with")
    if old == new:
        raise UserError("new password: expected a password other than the current one")
    strong_password(new, account.username, account.display_name)
    set_password(engine, account.username, new, by=account.username)
    with engine.connect() as conn:
        changed = find_account(conn, account.username)
    return changed.session_version if changed else 0


def set_disabled(engine: Engine, username: str, disabled: bool, by: str) -> None:
    """Disable (sessions end on their next rerun, sign-in refused) or enable a user."""
    with write_transaction(engine) as conn:
        old = _existing(conn, username)
        username = old.username
        conn.execute(
            update(users)
            .where(users.c.username == username)
            .values(disabled=disabled, session_version=users.c.session_version + 1)
        )
        audit(conn, by, "users", username, {"disabled": old.disabled}, {"disabled": disabled})


def set_email(engine: Engine, username: str, email: str | None, by: str) -> None:
    """The address the Monday report goes to (``None``: none)."""
    email = _checked_email(email)
    with write_transaction(engine) as conn:
        old = _existing(conn, username)
        username = old.username
        conn.execute(update(users).where(users.c.username == username).values(email=email))
        audit(conn, by, "users", username, {"email": old.email}, {"email": email})


def user_list(conn: Connection) -> list[Account]:
    return sorted(load_accounts(conn).values(), key=lambda a: a.username)


# ---------------------------------------------------------------- signing in and out


@dataclass(frozen=True)
class SignIn:
    """The outcome of one sign-in attempt: the account, or how long to wait before the next
    try is taken (zero while the user and the client have tries left)."""

    account: Account | None
    wait: timedelta = timedelta(0)


def sign_in(engine: Engine, username: str, password: str, client: str, now: datetime) -> SignIn:
    """Check a password with the lockout rules: a username with :data:`FREE_TRIES` failures in
    a row, or a client with :data:`CLIENT_FREE_TRIES` wrong passwords for existing users,
    waits, doubling each time; an unknown or disabled user, or a password too long to check,
    costs the same bcrypt check as a known one and counts as a failure."""
    user_key = f"user:{_folded(username.strip()).lower()}"[:300]
    client_key = f"client:{client}"[:300]
    with engine.connect() as conn:
        wait = max(_wait(conn, user_key, FREE_TRIES, now),
                   _wait(conn, client_key, CLIENT_FREE_TRIES, now))  # fmt: skip
        found = None if wait else named_account(conn, username.strip())
    if wait:
        return SignIn(None, wait)
    usable = found is not None and not found.disabled
    stored = found.password_hash.encode() if usable else DUMMY_HASH
    matches = password_matches(password, stored) and usable
    with write_transaction(engine) as conn:
        if matches:
            conn.execute(delete(failures_t).where(failures_t.c.key.in_([user_key, client_key])))
            return SignIn(found)
        _count_failure(conn, user_key, now)
        if found is not None:
            _count_failure(conn, client_key, now)
        return SignIn(None, max(_wait(conn, user_key, FREE_TRIES, now),
                                _wait(conn, client_key, CLIENT_FREE_TRIES, now)))  # fmt: skip


def _wait(conn: Connection, key: str, free_tries: int, now: datetime) -> timedelta:
    row = conn.execute(
        select(failures_t.c.failures, failures_t.c.last_at).where(failures_t.c.key == key)
    ).first()
    if row is None:
        return timedelta(0)
    return max(row.last_at + lockout(row.failures, free_tries) - now, timedelta(0))


def lockout(failures: int, free_tries: int = FREE_TRIES) -> timedelta:
    """How long after the last of ``failures`` failures in a row the next try is taken."""
    if failures < free_tries:
        return timedelta(0)
    return min(MAX_WAIT, FIRST_WAIT * 2 ** (failures - free_tries))


def _count_failure(conn: Connection, key: str, now: datetime) -> None:
    changed = conn.execute(
        update(failures_t)
        .where(failures_t.c.key == key)
        .values(failures=failures_t.c.failures + 1, last_at=now)
    )
    if changed.rowcount == 0:
        conn.execute(failures_t.insert().values(key=key, failures=1, last_at=now))


def sign_out(engine: Engine, username: str) -> None:
    """End every session of ``username``: cookies issued before stop working."""
    with write_transaction(engine) as conn:
        conn.execute(
            update(users)
            .where(users.c.username == username)
            .values(session_version=users.c.session_version + 1)
        )
