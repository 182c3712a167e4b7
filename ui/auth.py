"""Sign-in with streamlit-authenticator against the ``users`` table, and the access guard that
every page calls first (defence in depth: the entry script already gates navigation)."""

from __future__ import annotations

import copy
import os
import secrets
from dataclasses import dataclass

import streamlit as st
import streamlit_authenticator as stauth

from crm_core.scope import Role, Scope
from db.engine import ROOT
from db.users import Account
from ui import data
from ui.i18n import t
from ui.navigation import may_open

COOKIE_NAME = "crm_dashboard_auth"
KEY_FILE = ROOT / "data" / "cookie_key.txt"


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
    once into the git-ignored ``data/cookie_key.txt``."""
    try:
        configured = st.secrets.get("cookie_key")
    except FileNotFoundError:
        configured = None
    configured = configured or os.environ.get("CRM_COOKIE_KEY")
    if configured:
        return str(configured)
    if not KEY_FILE.exists():
        KEY_FILE.parent.mkdir(parents=True, exist_ok=True)
        KEY_FILE.write_text(secrets.token_urlsafe(48))
        KEY_FILE.chmod(0o600)
    return KEY_FILE.read_text().strip()


def credentials(accounts: dict[str, Account]) -> dict:
    return {
        "usernames": {
            name: {
                "name": acc.display_name,
                "password": acc.password_hash,
                "roles": [acc.role.value],
                "email": f"{name}@localhost",
            }
            for name, acc in accounts.items()
        }
    }


def authenticator() -> stauth.Authenticate:
    return stauth.Authenticate(
        copy.deepcopy(credentials(data.accounts())),
        COOKIE_NAME,
        cookie_key(),
        7,
        auto_hash=False,
        login_sleep_time=0,
    )


def any_user() -> bool:
    return bool(data.accounts())


def signed_in() -> Viewer | None:
    """The viewer when the session is authenticated and the user still exists."""
    if not st.session_state.get("authentication_status"):
        return None
    account = data.accounts().get(st.session_state.get("username") or "")
    return Viewer(account) if account else None


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
