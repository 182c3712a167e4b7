"""Entry script: sign-in, navigation built for the signed-in role on every run, shared filters.

Run with ``streamlit run dashboard.py`` (or ``make run``). Logged out, navigation holds one
hidden login page, so a deep link to any page shows the login form and no data.
"""

from __future__ import annotations

import sys

import streamlit as st

from crm_core.formatting import plain
from crm_core.release import LICENSE, VERSION
from crm_core.scope import Role
from ui import auth, data, filters, saved_views, warm
from ui.i18n import LANGUAGES, language, t
from ui.layout import phone_style
from ui.navigation import PAGES, page_id_in, pages_for

st.set_page_config(page_title="Sales process dashboard", page_icon="📈", layout="wide")
warm.freeze_long_lived()  # once per process: full collections then skip the imported modules
data.new_view()
phone_style()
if "lang" not in st.session_state:
    requested = st.query_params.get("lang", "en")
    st.session_state["lang"] = requested if requested in LANGUAGES else "en"
if problem := data.schema_problem():
    print(f"error: {problem}", file=sys.stderr)
    st.error(t("schema_behind", problem=plain(problem)))
    st.stop()
try:
    cookie = auth.session_cookie()
except auth.CookieKeyTooShort as short:
    print(f"error: {short}", file=sys.stderr)
    st.error(str(short))
    st.stop()


def login_view() -> None:
    st.title(t("app_title"))
    _language_switch(st, "lang_login")
    with st.form("login"):
        st.subheader(t("sign_in"))
        username = st.text_input(t("username"), autocomplete="username")
        password = st.text_input(t("password"), type="password", autocomplete="current-password")
        submitted = st.form_submit_button(t("sign_in"))
    if not auth.any_user():
        st.warning(t("no_users_yet"))
    if not submitted:
        st.info(t("login_prompt"))
        st.caption(t("footer", version=VERSION, license=LICENSE))
        return
    problem = auth.try_sign_in(username, password)
    if problem:
        st.error(problem)
        return
    # Rerun straight into the signed-in navigation; the re-authentication cookie is set there
    # (the cookie component must render in a run that is not cut short).
    st.session_state["_cookie_pending"] = True
    st.rerun()


def _language_switch(where: object, key: str) -> None:
    """The language box. The choice lives in ``lang`` (not in the box's own state), so it
    survives the sign-in, where the login form's box gives way to the sidebar's."""
    options = list(LANGUAGES)
    where.selectbox(
        t("language"), options, index=options.index(language()), format_func=LANGUAGES.get,
        key=key, on_change=_choose_language, args=(key,),
    )  # fmt: skip


def refused_notice(role: Role, on_first_page: bool) -> None:
    """Say why a link to a page the viewer's role may not open showed the first page instead,
    for as long as they stay on it."""
    refused = st.session_state.get("_refused_page")
    if refused is None:
        return
    if not on_first_page:
        del st.session_state["_refused_page"]
        return
    title = next(t(page.title_key) for page in PAGES if page.page_id == refused)
    st.info(t("page_not_for_role", page=title, role=t(f"role_{role}")))


def _choose_language(key: str) -> None:
    st.session_state["lang"] = st.session_state[key]


viewer = auth.signed_in(cookie)
if viewer is None:
    # Remember a deep link (page and filters) so that signing in lands where it pointed.
    st.session_state.setdefault("_requested", (page_id_in(st.context.url), dict(st.query_params)))
    # Every page path is a hidden alias of the login view: a deep link shows the login form,
    # neither the page nor a "page not found" notice.
    aliases = [st.Page(login_view, title=t("sign_in"), url_path=p.page_id) for p in PAGES]
    login = st.Page(login_view, title=t("sign_in"), url_path="login", default=True)
    st.navigation([login, *aliases], position="hidden").run()
else:
    with st.sidebar:
        st.caption(
            t(
                "signed_in_as",
                name=plain(viewer.account.display_name),
                role=t(f"role_{viewer.role}"),
            )
        )
        _language_switch(st, "lang_sidebar")
        if st.button(t("logout"), key="logout_button"):
            auth.sign_out(cookie, viewer.account.username)
            st.rerun()
        auth.password_form(viewer)
        if st.session_state.pop("_cookie_pending", False):
            cookie.set_cookie()
    pages = {
        page.page_id: st.Page(
            str(page.path), title=t(page.title_key), icon=page.icon, url_path=page.page_id
        )
        for page in pages_for(viewer.role)
    }
    # The root URL shows the first page as a hidden page of its own, so that every page, the
    # first included, also has a URL of its own (Streamlit gives its default page none: a link
    # to /overview said "page not found").
    first = pages_for(viewer.role)[0]
    home = st.Page(str(first.path), title=t(first.title_key), url_path="home", default=True,
                   visibility="hidden")  # fmt: skip
    navigation = st.navigation([home, *pages.values()])
    if "_landed" not in st.session_state:  # a session signed in by its cookie: its first URL
        st.session_state["_landed"] = True
        st.session_state.setdefault("_requested", (page_id_in(st.context.url), {}))
    requested_page, requested_params = st.session_state.pop("_requested", (None, {}))
    if requested_page is not None and requested_page not in pages:
        st.session_state["_refused_page"] = requested_page
    if requested_params and not st.query_params:
        st.query_params.from_dict(requested_params)
    filters.sidebar(viewer)
    filters.chips(viewer)
    with st.sidebar:
        saved_views.sidebar(viewer, navigation.url_path or first.page_id)
        st.caption(t("footer", version=VERSION, license=LICENSE))
    if requested_page in pages and navigation.url_path != requested_page:
        st.switch_page(pages[requested_page])
    refused_notice(viewer.role, navigation.url_path in ("", first.page_id))  # "": the root URL
    navigation.run()
