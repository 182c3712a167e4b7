"""Sign-in against the ``users`` table, the session cookie, and the access guard that every
page calls first (defence in depth: the entry script already gates navigation).

Passwords are bcrypt hashes checked by :func:`db.transactions.sign_in` with its lockout (5 tries per
user and per client, then a doubling wait). The re-authentication cookie is
streamlit-authenticator's (a signed JWT set through its cookie manager) and carries the user's
session version: signing out, a new password or disabling the user increments the version, so
every older cookie stops working on its next rerun. Each rerun reads the user afresh (one
indexed query), so a user added, changed or disabled on the CLI counts at once.
"""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import jwt
import streamlit as st
from streamlit_authenticator.models import CookieModel

from crm_core import settings
from crm_core.formatting import plain
from crm_core.passwords import password_problem
from crm_core.scope import Role, Scope
from services import writes
from services.store import ROOT
from services.writes import Account
from ui import data
from ui.i18n import t
from ui.navigation import may_open

COOKIE_NAME = "crm_dashboard_auth"
COOKIE_DAYS = 7
KEY_FILE = ROOT / "data" / "cookie_key.txt"
MIN_KEY_BYTES = 32
SESSION_KEYS = ("authentication_status", "username", "name", "roles", "session_version")


class CookieKeyTooShort(RuntimeError):
    pass


@dataclass(frozen=True)
class Viewer:
    """The signed-in person and the scope every loader gets."""

    account: Account

    @property
    def scope(self) -> Scope:
        return self.account.scope

    @property
    def role(self) -> Role:
        return self.account.role


def cookie_key() -> str:
    """From ``.streamlit/secrets.toml`` (``cookie_key``) or ``CRM_COOKIE_KEY``; else generated
    once into the git-ignored ``data/cookie_key.txt``. A configured key shorter than 32 bytes
    is refused (:class:`CookieKeyTooShort`): anyone who guesses it can sign in as anyone."""
    try:
        configured = st.secrets.get("cookie_key")
    except FileNotFoundError:
        configured = None
    configured = configured or settings.value("CRM_COOKIE_KEY")
    if configured:
        if len(str(configured).encode()) < MIN_KEY_BYTES:
            raise CookieKeyTooShort(
                f"CRM_COOKIE_KEY (or cookie_key in .streamlit/secrets.toml) has "
                f"{len(str(configured).encode())} bytes; at least {MIN_KEY_BYTES} are required, "
                'e.g. python3 -c "import secrets; print(secrets.token_urlsafe(48))"'
            )
        return str(configured)
    if not KEY_FILE.exists():
        KEY_FILE.parent.mkdir(parents=True, exist_ok=True)
        KEY_FILE.write_text(secrets.token_urlsafe(48))
        KEY_FILE.chmod(0o600)
    return KEY_FILE.read_text().strip()


class SessionCookie(CookieModel):
    """streamlit-authenticator's cookie with the session version inside, and a decoder that
    treats any bad token (another algorithm, ``alg: none``, garbage, missing fields) as no
    cookie instead of raising."""

    def _token_encode(self) -> str:
        claims = {
            "username": st.session_state["username"],
            "exp_date": self.exp_date,
            "ver": st.session_state["session_version"],
        }
        return jwt.encode(claims, self.cookie_key, algorithm="HS256")

    def _token_decode(self) -> dict[str, Any] | bool:
        try:
            claims = jwt.decode(self.token, self.cookie_key, algorithms=["HS256"])
        except Exception:  # noqa: BLE001 - whatever is wrong with it, it signs nobody in
            return False
        fields = {"username": str, "exp_date": (int, float), "ver": int}
        if not isinstance(claims, dict) or not all(
            isinstance(claims.get(name), kind) for name, kind in fields.items()
        ):
            return False
        return claims


def session_cookie() -> SessionCookie:
    """The cookie manager (a component: rendered on every run of the entry script)."""
    st.session_state.setdefault("logout", None)
    return SessionCookie(COOKIE_NAME, cookie_key(), COOKIE_DAYS)


def any_user() -> bool:
    with data.engine().connect() as conn:
        return writes.any_user(conn)


def _current(username: str | None) -> Account | None:
    if not username:
        return None
    with data.engine().connect() as conn:
        return writes.find_account(conn, username)


def _start_session(account: Account) -> None:
    st.session_state.update(
        authentication_status=True,
        username=account.username,
        name=account.display_name,
        roles=[account.role.value],
        session_version=account.session_version,
        logout=None,
    )


def _end_session() -> None:
    for key in SESSION_KEYS:
        st.session_state.pop(key, None)


def signed_in(cookie: SessionCookie | None = None) -> Viewer | None:
    """The viewer when this session is signed in (or ``cookie`` signs it in) as a user who
    still exists, is enabled and has not signed out since."""
    if not st.session_state.get("authentication_status"):
        claims = cookie.get_cookie() if cookie is not None else None
        account = _current(claims["username"]) if claims else None
        if not _still_valid(account, claims["ver"] if claims else None):
            return None
        _start_session(account)
        return Viewer(account)
    account = _current(st.session_state.get("username"))
    if not _still_valid(account, st.session_state.get("session_version")):
        _end_session()
        return None
    return Viewer(account)


def _still_valid(account: Account | None, version: object) -> bool:
    """The user exists, is enabled, and the session (or cookie) is of their current version."""
    return account is not None and not account.disabled and version == account.session_version


def client_address() -> str:
    """The signing-in browser's address, which failed sign-ins are counted by: the connection's
    own, or, when the connection comes from this machine (the reverse proxy of deploy/, which
    overwrites the header), the ``X-Real-IP`` it names; else every user behind the proxy would
    share one count and one stranger's wrong passwords would lock them all out."""
    direct = getattr(st.context, "ip_address", None)
    if direct:
        return str(direct)
    forwarded = (st.context.headers or {}).get("X-Real-IP", "").strip()
    return forwarded[:64] or "unknown"


def try_sign_in(username: str, password: str) -> str | None:
    """Sign the session in; ``None`` on success, else the message to show."""
    attempt = writes.sign_in(data.engine(), username, password, client_address(), datetime.now())
    if attempt.account is None:
        if attempt.wait > timedelta(0):
            return t("login_locked", seconds=math.ceil(attempt.wait.total_seconds()))
        return t("login_failed")
    _start_session(attempt.account)
    account = attempt.account
    if not account.is_demo and password_problem(password, [account.username,
                                                          account.display_name]):  # fmt: skip
        st.session_state["password_weak"] = True  # set before today's rules: change it now
    return None


def password_form(viewer: Viewer) -> None:
    """The signed-in user's own change of password (current, new twice), in the sidebar;
    open, with a notice, while the password in use is weaker than the rules."""
    weak = bool(st.session_state.get("password_weak"))
    if said := st.session_state.pop("password_said", None):
        st.success(said)
    with st.expander(t("change_password"), expanded=weak):
        if weak:
            st.warning(t("password_weak"))
        with st.form("password_form", clear_on_submit=True, border=False):
            old = st.text_input(t("password_current"), type="password",
                                autocomplete="current-password", key="pw_old")  # fmt: skip
            new = st.text_input(t("password_new"), type="password", autocomplete="new-password",
                                key="pw_new")  # fmt: skip
            again = st.text_input(t("password_again"), type="password",
                                  autocomplete="new-password", key="pw_again")  # fmt: skip
            st.caption(t("password_rules"))
            sent = st.form_submit_button(t("change_password"), key="pw_change")
    if not sent:
        return
    if new != again:
        st.error(t("password_mismatch"))
        return
    try:
        version = writes.change_own_password(data.engine(), viewer.account, old, new)
    except writes.UserError as problem:
        st.error(plain(str(problem)))
        return
    # this session goes on with the new version; the browser's cookie is written again
    st.session_state.update(session_version=version, _cookie_pending=True,
                            password_said=t("password_changed"))  # fmt: skip
    st.session_state.pop("password_weak", None)
    st.rerun()


def sign_out(cookie: SessionCookie, username: str) -> None:
    """End every session of the user (server side) and delete this browser's cookie."""
    writes.sign_out(data.engine(), username)
    cookie.delete_cookie()
    _end_session()
    st.session_state["logout"] = True


def leave_pages_folder_mode() -> None:
    """Until the first ``st.navigation`` call of a server process, Streamlit runs a deep-linked
    file of ``pages/`` directly (its old pages-folder mode), bypassing ``dashboard.py`` and
    listing every page. Switch that mode off and rerun, so the entry script decides."""
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def guard(page_id: str) -> Viewer:
    """Stop the page unless the session is signed in with a role that may open it."""
    leave_pages_folder_mode()
    viewer = signed_in()
    if viewer is None:
        st.warning(t("not_signed_in"))
        st.stop()
    if not may_open(viewer.role, page_id):
        st.error(t("no_access"))
        st.stop()
    return viewer
