"""Accounts and sign-in (issue 13.4, 13.5) on SQLite and PostgreSQL: changes count at once,
the lockout per user and per client, the same work for unknown users, sessions that end."""

from __future__ import annotations

from datetime import datetime, timedelta

import bcrypt
import pytest
from sqlalchemy import Engine

from db import users
from db.users import FREE_TRIES, UserError, lockout
from tests.world import load_world

NOW = datetime(2026, 11, 23, 9, 0)


@pytest.fixture
def world(engine: Engine) -> Engine:
    load_world(engine)
    with engine.begin() as conn:
        users.add_user(conn, "east", "East", "manager", "right", regions=["R001"])
        users.add_user(conn, "boss", "Boss", "director", "boss-pw")
    return engine


def attempt(engine: Engine, username: str, password: str, client: str = "10.0.0.1", at=NOW):  # noqa: ANN001, ANN201
    return users.sign_in(engine, username, password, client, at)


def test_a_new_user_signs_in_at_once(world: Engine) -> None:
    with world.begin() as conn:
        users.add_user(conn, "li", "Li", "rep", "li-pw", rep_id="E02")
    assert attempt(world, "li", "li-pw").account.username == "li"


@pytest.mark.parametrize(
    ("failures", "wait_seconds"),
    [(0, 0), (4, 0), (5, 30), (6, 60), (7, 120), (9, 480), (10, 900), (30, 900)],
)
def test_the_lockout_doubles_after_five_failures_up_to_a_quarter_hour(
    failures: int, wait_seconds: int
) -> None:
    assert FREE_TRIES == 5
    assert lockout(failures) == timedelta(seconds=wait_seconds)


def test_five_wrong_passwords_lock_the_user_even_for_the_right_one(world: Engine) -> None:
    for n in range(5):
        refused = attempt(world, "east", "wrong", client=f"10.0.0.{n}")
        assert refused.account is None
    assert refused.wait == timedelta(seconds=30)
    locked = attempt(world, "east", "right", client="10.9.9.9", at=NOW + timedelta(seconds=10))
    assert locked.account is None and locked.wait == timedelta(seconds=20)
    later = attempt(world, "east", "right", client="10.9.9.9", at=NOW + timedelta(seconds=31))
    assert later.account is not None
    # success clears the count: four more failures do not lock again
    for _ in range(4):
        assert attempt(world, "east", "wrong", client="10.9.9.9").wait == timedelta(0)


def test_made_up_names_from_one_client_never_lock_a_real_account(world: Engine) -> None:
    """Issue 39.1: an office signs in through one proxy address; a dozen wrong tries
    for names that do not exist there must not lock the director out."""
    for n in range(12):
        assert attempt(world, f"ghost{n}", "guess", client="6.6.6.6").account is None
    signed = attempt(world, "boss", "boss-pw", client="6.6.6.6", at=NOW + timedelta(seconds=5))
    assert signed.account is not None and signed.account.username == "boss"
    # each made-up name is locked on its own after five tries
    assert attempt(world, "ghost0", "guess", client="6.6.6.6").wait == timedelta(0)
    for _ in range(4):
        attempt(world, "ghost0", "guess", client="6.6.6.6")
    assert attempt(world, "ghost0", "guess", client="6.6.6.6").wait > timedelta(0)


def test_one_client_guessing_real_accounts_is_locked_after_ten(world: Engine) -> None:
    with world.begin() as conn:
        for n in range(10):
            users.add_user(conn, f"rep{n}", f"Rep {n}", "director", f"pw-{n}")
    for n in range(9):
        assert attempt(world, f"rep{n}", "guess", client="6.6.6.6").wait == timedelta(0)
    assert attempt(world, "rep9", "guess", client="6.6.6.6").wait == timedelta(seconds=30)
    locked = attempt(world, "boss", "boss-pw", client="6.6.6.6", at=NOW + timedelta(seconds=5))
    assert locked.account is None and locked.wait == timedelta(seconds=25)
    assert attempt(world, "boss", "boss-pw", client="7.7.7.7").account is not None


@pytest.mark.parametrize("password", ["x" * 73, "密码" * 13, "é" * 37])
def test_a_password_over_72_bytes_is_a_counted_failure_not_a_crash(
    world: Engine, password: str
) -> None:
    """Issue 39.1: bcrypt refuses more than 72 bytes; sign-in says "wrong" and counts it."""
    for n in range(5):
        refused = attempt(world, "east", password, client=f"10.0.1.{n}")
        assert refused.account is None
    assert refused.wait == timedelta(seconds=30)


@pytest.mark.parametrize("password", ["x" * 73, "密码" * 13])
def test_a_password_bcrypt_cannot_read_whole_is_refused_when_set(
    world: Engine, password: str
) -> None:
    with pytest.raises(UserError, match="at most 72 bytes"), world.begin() as conn:
        users.add_user(conn, "long", "Long", "director", password)
    with pytest.raises(UserError, match="at most 72 bytes"):
        users.set_password(world, "east", password, by="boss")
    with world.begin() as conn:
        users.add_user(conn, "edge", "Edge", "director", "密" * 24)  # 72 bytes exactly
    assert attempt(world, "edge", "密" * 24).account is not None


def test_an_unknown_user_costs_the_same_bcrypt_check(world: Engine, monkeypatch) -> None:
    checks: list[bytes] = []
    real = bcrypt.checkpw

    def counted(password: bytes, hashed: bytes) -> bool:
        checks.append(hashed)
        return real(password, hashed)

    monkeypatch.setattr(bcrypt, "checkpw", counted)
    attempt(world, "nobody", "x")
    attempt(world, "east", "x")
    assert len(checks) == 2
    assert [h[:7] for h in checks] == [b"$2b$12$", b"$2b$12$"]


def test_a_disabled_user_cannot_sign_in_and_an_enabled_one_can(world: Engine) -> None:
    users.set_disabled(world, "east", True, by="boss")
    assert attempt(world, "east", "right").account is None
    with pytest.raises(UserError, match="disabled"), world.connect() as conn:
        users.account(conn, "east")
    users.set_disabled(world, "east", False, by="boss")
    assert attempt(world, "east", "right", client="10.1.1.1").account is not None


def test_sessions_end_on_sign_out_new_password_and_disable(world: Engine) -> None:
    def version() -> int:
        with world.connect() as conn:
            return users.find_account(conn, "east").session_version

    assert version() == 0
    users.sign_out(world, "east")
    assert version() == 1
    users.set_password(world, "east", "new-pw", by="boss")
    assert version() == 2
    assert attempt(world, "east", "new-pw").account is not None
    users.set_disabled(world, "east", True, by="boss")
    assert version() == 3


def test_managing_an_unknown_user_is_a_clear_error(world: Engine) -> None:
    with pytest.raises(UserError, match="no user 'ghost'"):
        users.set_password(world, "ghost", "pw", by="boss")
    with pytest.raises(UserError, match="no user 'ghost'"):
        users.set_disabled(world, "ghost", True, by="boss")


def test_an_account_is_read_with_its_regions_in_order(world: Engine) -> None:
    """One query reads the users and their regions: a manager of two regions gets both, in
    order; a director and a rep none; every user once."""
    with world.begin() as conn:
        users.add_user(conn, "north", "North", "manager", "north-pw", regions=["R002", "R001"])
        users.add_user(conn, "li", "Li", "rep", "li-pw", rep_id="E02")
    with world.connect() as conn:
        north = users.find_account(conn, "north")
        everyone = users.load_accounts(conn)
        nobody = users.find_account(conn, "nobody")
    assert north is not None and north.region_ids == ("R001", "R002")
    assert nobody is None
    assert sorted(everyone) == ["boss", "east", "li", "north"]
    assert [everyone[u].region_ids for u in ("boss", "east", "li", "north")] == [
        (),
        ("R001",),
        (),
        ("R001", "R002"),
    ]
    assert everyone["li"].rep_id == "E02" and everyone["boss"].role.value == "director"
