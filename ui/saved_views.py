"""Saved views in the sidebar (issue 40.1): the viewer's own and those shared with them, each a
button that opens its page with its filters; save the page as it is under a name; rename, share or
delete one's own. A view is its page's URL, so opening one applies the opener's scope and
reports what lies outside it, as any link does."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from crm_core.formatting import plain
from crm_core.saved_views import EVERYONE
from crm_core.scope import Role
from services import writes
from services.reads import View
from ui import data
from ui.auth import Viewer
from ui.i18n import t
from ui.navigation import PAGES, may_open, pages_for


def sidebar(viewer: Viewer, page_id: str) -> None:
    username = viewer.account.username
    views = data.saved_views(username)
    if said := st.session_state.pop("views_said", None):
        st.success(said)
    with st.expander(t("views_title"), expanded=False):
        _links(views, viewer)
        _save_form(username, page_id)
        own = [v for v in views if v.mine(username)]
        if own:
            _manage(own, username)


def _links(views: list[View], viewer: Viewer) -> None:
    """One button per view; a click opens its page with its parameters in this session."""
    username = viewer.account.username
    if not views:
        st.caption(t("views_none"))
    for view in views:
        label, note = plain(view.name), None  # a button's label is Markdown: typed text stays text
        if not view.mine(username):  # whose it is, in sight: the owner may name it anything
            label = t("views_of", name=label, owner=plain(view.owner_name))
            note = t("views_shared_by", name=plain(view.owner_name))
        elif view.shared_with:
            note = _shared_label(view.shared_with)
        if st.button(label, key=f"view_open_{view.id}", type="tertiary", help=note):
            _open(view, viewer.role)


def _open(view: View, role: Role) -> None:
    """Open ``view`` as a link to it opens: its parameters are read afresh, as at sign-in, so
    the viewer's own scope applies and what lies outside it is reported."""
    spec = next((p for p in PAGES if p.page_id == view.page), None)
    if spec is None:  # a page an upgrade removed
        st.error(t("views_page_gone", page=plain(view.page)))
        return
    if not may_open(role, view.page):  # a leader's page shared with a rep: said as for a link
        st.session_state["_refused_page"] = view.page
        st.switch_page(str(pages_for(role)[0].path))
    for stale in ("_out_of_scope", "_range_refused", "_link_date_refused", "f_range"):
        st.session_state.pop(stale, None)
    st.session_state["_filters_loaded"] = False  # ui.filters reads the URL again
    params = {**view.params, "lang": st.session_state.get("lang", "en")}
    st.switch_page(str(spec.path), query_params=params)


def _shared_label(shared_with: tuple[str, ...]) -> str:
    if shared_with == (EVERYONE,):
        return t("views_shared_everyone")
    return t("views_shared_count", count=len(shared_with))


def _save_form(username: str, page_id: str) -> None:
    with st.form("view_save", clear_on_submit=True, border=False):
        name = st.text_input(t("views_name"), max_chars=80, key="view_name")
        sent = st.form_submit_button(t("views_save"), key="view_save_button")
    if sent:
        _write(t("views_saved", name=plain(" ".join(name.split()))), writes.save_view,
               data.engine(), username, name, page_id, dict(st.query_params))  # fmt: skip


def _manage(own: list[View], username: str) -> None:
    st.divider()
    by_id = {v.id: v for v in own}
    chosen = st.selectbox(t("views_manage"), list(by_id), key="view_chosen",
                          format_func=lambda i: by_id[i].name)  # fmt: skip
    view = by_id[chosen]
    new_name = st.text_input(t("views_new_name"), value=view.name, key=f"view_rename_{chosen}")
    if st.button(t("views_rename"), key="view_rename_button"):
        _write(t("views_renamed"), writes.rename_view, data.engine(), username, chosen, new_name)
    everyone = st.checkbox(t("views_everyone"), value=view.shared_with == (EVERYONE,),
                           key=f"view_everyone_{chosen}")  # fmt: skip
    people = dict(data.share_choices(username))
    named = [u for u in view.shared_with if u in people]
    shared = st.multiselect(t("views_share_with"), list(people), default=named,
                            format_func=lambda u: f"{people[u]} ({u})", disabled=everyone,
                            key=f"view_people_{chosen}")  # fmt: skip
    if st.button(t("views_share"), key="view_share_button"):
        _write(t("views_shared"), writes.share_view, data.engine(), username, chosen, shared,
               everyone)  # fmt: skip
    if st.button(t("views_delete"), key="view_delete_button"):
        _write(t("views_deleted", name=plain(view.name)), writes.delete_view, data.engine(),
               username, chosen)  # fmt: skip


def _write(said: str, write: Callable[..., object], *args: object) -> None:
    """Run ``write(*args)``; on success say ``said`` after the rerun that shows the change,
    else say why nothing was written."""
    try:
        write(*args)
    except writes.ViewRefused as problem:
        st.error(plain(str(problem)))
        return
    st.session_state["views_said"] = said
    st.rerun()
