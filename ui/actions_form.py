"""Recording and closing the Monday meeting's actions (crm_core.actions), on the Weekly page
and in meeting mode: what, about which rep or region, who owns it, by when."""

from __future__ import annotations

from datetime import date, timedelta

import streamlit as st

from crm_core import formatting as fmt
from crm_core.inputs import InputRefused
from crm_core.periods import LATEST_DAY
from crm_core.weekly import MondayReport
from services import reads, writes
from ui import data, tables
from ui.auth import Viewer
from ui.i18n import t


def subjects(report: MondayReport, viewer: Viewer) -> dict[str, str]:
    """What an action can be about, ``ID → label``: the decisions' subjects first, then every
    region and rep in scope."""
    names = data.dimensions(viewer.scope)
    choices = {
        str(item.about): f"{item.about} · {item.name}"
        for item in report.items.head(report.decisions).itertuples()
    }
    if viewer.scope.rep_ids is None:
        for region in names["regions"].itertuples():
            choices.setdefault(region.region_id, f"{region.region_id} · {region.name}")
    for rep in names["reps"].itertuples():
        choices.setdefault(rep.rep_id, f"{rep.rep_id} · {rep.name}")
    return choices


def record(report: MondayReport, viewer: Viewer, today: date, key: str) -> None:
    """A form that records an action of ``report``'s week; what it did, said under it."""
    about_choices = subjects(report, viewer)
    with data.engine().connect() as conn:
        owners = dict(reads.action_owners(conn, viewer.scope))
    with st.form(key, clear_on_submit=True, border=False):
        text = st.text_input(t("action_text"), max_chars=500, key=f"{key}_text")
        about, owner, due = st.columns(3)
        chosen = about.selectbox(t("action_about"), list(about_choices),
                                 format_func=lambda v: fmt.plain(about_choices[v]),
                                 key=f"{key}_about")  # fmt: skip
        who = owner.selectbox(t("action_owner"), list(owners), key=f"{key}_owner",
                              index=list(owners).index(viewer.account.username)
                              if viewer.account.username in owners else 0,
                              format_func=lambda v: fmt.plain(f"{owners[v]} ({v})"))  # fmt: skip
        default = min(max(today + timedelta(days=7), report.week.start), LATEST_DAY)
        when = due.date_input(t("due"), value=default,
                              min_value=report.week.start, max_value=LATEST_DAY,
                              key=f"{key}_due")  # fmt: skip
        sent = st.form_submit_button(
            t("record_action"), icon=":material/add_task:", key=f"{key}_submit"
        )
    if not sent:
        return
    try:
        action_id = writes.add_action(data.engine(), viewer.account, report.week_label,
                                      chosen or "", who or "", when, text)  # fmt: skip
    except (writes.ActionRefused, InputRefused) as problem:
        st.error(t("action_refused", problem=fmt.plain(str(problem))))
        return
    st.success(t("action_recorded", id=action_id, text=fmt.plain(text.strip()), owner=who,
                 due=when))  # fmt: skip


def recorded(report: MondayReport, viewer: Viewer, today: date) -> None:
    """The actions recorded on this week's report so far (the next report opens with them)."""
    with data.engine().connect() as conn:
        mine = reads.action_list(conn, viewer.scope, today, report.week_label)
    if mine.empty:
        return
    st.caption(t("recorded_this_week", count=len(mine)))
    shown = mine[["id", "text", "about_name", "owner", "due", "status"]].assign(
        status=[t(f"action_{s}") for s in mine.status]
    )
    tables.grid(
        shown.rename(columns={"text": t("action_text"), "about_name": t("about"),
                              "owner": t("action_owner"), "due": t("due"),
                              "status": t("status")}),
        key="recorded_actions",
    )  # fmt: skip


def close(report: MondayReport, viewer: Viewer, today: date, key: str) -> None:
    """Tick the open actions the report lists and mark them done."""
    actions = report.actions
    if actions.empty:
        return
    still = actions[actions.status != "done"]
    if still.empty:
        return
    labels = {int(a.id): fmt.plain(f"{a.id} · {a.text} ({a.owner})") for a in still.itertuples()}
    with st.form(key, border=False):
        chosen = st.multiselect(t("open_actions"), list(labels), format_func=labels.get,
                                key=f"{key}_ids")  # fmt: skip
        sent = st.form_submit_button(
            t("close_actions"), icon=":material/task_alt:", key=f"{key}_submit"
        )
    if not sent or not chosen:
        return
    closed = 0
    for action_id in chosen:
        try:
            writes.close_action(data.engine(), viewer.account, action_id, today)
            closed += 1
        except writes.ActionRefused as problem:
            st.error(t("action_refused", problem=fmt.plain(str(problem))))
    st.success(t("actions_closed", count=closed))
    st.rerun()
