"""The daily page's forms: a rep's plan, visits and daily report; a manager's sign-off queue.
Every action goes through :mod:`db.daily`, where the actor is checked."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import streamlit as st

from crm_core import formatting as fmt
from crm_core.daily import COUNTS, MAX_DURATION_MIN
from crm_core.inputs import FREE_TEXT_MAX
from crm_core.periods import next_working_day, working_day_on_or_after, working_day_on_or_before
from crm_core.scope import Role
from crm_core.vocabulary import KINDS, OUTCOMES, PURPOSES
from services import writes
from ui import data, filters, tables
from ui.auth import Viewer
from ui.i18n import t


def _run(action: object, success: str) -> None:
    """Do a write; show its refusal as an error, or the success after the rerun."""
    try:
        action()
    except writes.DailyRefused as refused:
        st.error(fmt.plain(refused))
        return
    st.session_state["daily_done"] = success
    st.rerun()


def team_day(table: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, object]]:
    """The day per rep (crm_core.daily.daily_table) as one table: counts and money stay
    numbers (sorting by value), the report's status and timeliness in words."""
    on_time = [None if v is None else "on_time" if v else "late" for v in table.on_time]
    kinds = {**dict.fromkeys(COUNTS, "count"), "revenue": "money", "collections": "money"}
    return tables.numeric_view(
        table.assign(on_time=on_time), kinds, codes={"report_status": "status_", "on_time": ""}
    )


def _plan_table(plan: pd.DataFrame, key: str) -> None:
    """A rep's activities of a day in words: customer, kind, purpose, status, outcome."""
    if plan.empty:
        st.caption(t("nothing_listed"))
        return
    shown, config = tables.numeric_view(
        plan.drop(columns=["activity_id", "customer_id"]),
        {},
        codes=dict.fromkeys(("kind", "purpose", "status", "outcome"), ""),
    )
    tables.grid(shown, key=key, config=config)


def flash() -> None:
    if message := st.session_state.pop("daily_done", None):
        st.success(message)


def my_day(viewer: Viewer, day: date) -> None:
    rep_id = viewer.account.rep_id or ""
    mine = data.rep_day(rep_id, day)
    plan, customers = mine["plan"], mine["customers"]
    _plan_table(plan, "my_plan")
    names = dict(zip(customers.customer_id, customers.name, strict=True))
    today = filters.today()
    ahead = next_working_day(today)
    if day != ahead:  # what was just planned for the next working day shows at once
        st.caption(t("plan_of_next", day=ahead))
        _plan_table(data.rep_day(rep_id, ahead)["plan"], "my_next_plan")
    with st.form("plan_form", clear_on_submit=True):
        st.markdown(f"**{t('add_plan')}**")
        when = st.radio(t("day"), [today, next_working_day(today)], horizontal=True)
        customer = st.selectbox(t("customer"), list(names), format_func=lambda c: names[c])
        kind = st.radio(t("kind"), KINDS, horizontal=True, format_func=t)
        purpose = st.selectbox(t("purpose"), PURPOSES, format_func=t)
        if st.form_submit_button(t("add_plan")):
            _run(
                lambda: writes.plan_activity(
                    data.engine(), viewer.account, when, customer, kind, purpose, today
                ),
                t("planned_ok"),
            )
    open_ones = plan[plan.status == "planned"]
    if len(open_ones):
        with st.form("done_form"):
            st.markdown(f"**{t('record_visit')}**")
            labels = dict(zip(open_ones.activity_id, open_ones.customer, strict=True))
            chosen = st.selectbox(t("activity"), list(labels), format_func=lambda a: labels[a])
            outcome = st.selectbox(
                t("outcome"),
                [None, *OUTCOMES],
                format_func=lambda o: t("missed_it") if o is None else t(o),
            )
            minutes = st.number_input(t("minutes"), 0, MAX_DURATION_MIN, 30)
            if st.form_submit_button(t("save")):
                _run(
                    lambda: writes.complete_activity(
                        data.engine(), viewer.account, chosen, outcome, int(minutes)
                    ),
                    t("recorded_ok"),
                )
    _report_form(viewer, day, mine["report"])


def bulk_approve(viewer: Viewer, queue: pd.DataFrame) -> None:
    """Every waiting report in one list with its day in numbers; tick and approve many at
    once (returning one needs a comment: below, report by report)."""
    tick = t("approve")
    shown = pd.DataFrame(
        {
            tick: [False] * len(queue),
            t("date"): queue.date,
            t("rep"): [f"{n} ({r})" for n, r in zip(queue.name, queue.rep, strict=True)],
            **{t(name): queue[name] for name in ("planned", "done", "effective", "sales")},
            t("summary"): queue.summary.fillna(""),
        }
    )
    edited = st.data_editor(
        shown,
        hide_index=True,
        disabled=[c for c in shown.columns if c != tick],
        column_config={tick: st.column_config.CheckboxColumn(tick, default=False)},
        key="signoff_bulk",
    )
    chosen = [rid for rid, ok in zip(queue.report_id, edited[tick], strict=True) if ok]
    label = t("approve_selected", count=len(chosen))
    if st.button(label, key="approve_bulk", disabled=not chosen, type="primary"):
        approved, refused = writes.approve_many(
            data.engine(), viewer.account, chosen, filters.now()
        )
        message = t("approved_many", count=approved) + "".join(f" {r}." for r in refused)
        st.session_state["daily_done"] = message
        st.rerun()


def history(report_id: str) -> None:
    """The report's sign-off trail from the audit log: when, who, status, comment."""
    for at, user, new in data.report_history(report_id):
        change = json.loads(new or "{}")
        status = t("status_" + change.get("status", "submitted"))
        comment = f" · {change['comment']}" if change.get("comment") else ""
        st.caption(f"{at:%Y-%m-%d %H:%M} · {fmt.plain(user)} · {status}{fmt.plain(comment)}")


def _report_form(viewer: Viewer, day: date, report: pd.DataFrame) -> None:
    status = report.status.iloc[0] if len(report) else "missing"
    st.markdown(f"**{t('daily_report')}** · {t('status_' + status)}")
    if len(report):
        history(report.report_id.iloc[0])
    if status == "returned" and report.review_comment.iloc[0]:
        st.warning(t("returned_with", comment=fmt.plain(report.review_comment.iloc[0])))
    if status not in ("missing", "returned"):
        st.caption(fmt.plain(report.summary.iloc[0]))
        return
    with st.form("report_form"):
        summary = st.text_area(t("summary"), report.summary.iloc[0] if len(report) else "",
                               max_chars=FREE_TEXT_MAX)  # fmt: skip
        competitor = st.text_input(t("competitor_info"), max_chars=FREE_TEXT_MAX)
        feedback = st.text_input(t("customer_feedback"), max_chars=FREE_TEXT_MAX)
        if st.form_submit_button(t("submit_report")):
            text = writes.ReportText(summary, competitor, feedback)
            _run(
                lambda: writes.submit_report(
                    data.engine(), viewer.account, day, text, filters.now()
                ),
                t("submitted_ok"),
            )


def opening_day(viewer: Viewer, as_of: date) -> date:
    """The day the page opens on: a non-working day shows the last working day before it (an
    empty day of zeros tells a manager nothing), or for a rep the next one, to plan it."""
    if viewer.role is Role.REP:
        return working_day_on_or_after(as_of)
    return working_day_on_or_before(as_of)


def reports_waiting(viewer: Viewer) -> bool:
    """Whether a manager has daily reports to sign off (the page then shows them first)."""
    return viewer.role is Role.MANAGER and not data.sign_off_queue(viewer.scope).empty


def sign_off(viewer: Viewer) -> None:
    queue = data.sign_off_queue(viewer.scope)
    if queue.empty:
        st.info(t("queue_empty"))
        return
    bulk_approve(viewer, queue)
    st.caption(t("sign_off_details"))
    for row in queue.head(20).itertuples():
        label = (
            f"{row.date} · {fmt.plain(row.name)} ({fmt.plain(row.rep)}) · {row.submitted_at:%H:%M}"
        )
        with st.expander(label):
            st.markdown(fmt.plain(row.summary))
            if row.competitor_info:
                st.caption(f"{t('competitor_info')}: {fmt.plain(row.competitor_info)}")
            if row.customer_feedback:
                st.caption(f"{t('customer_feedback')}: {fmt.plain(row.customer_feedback)}")
            history(row.report_id)
            comment = st.text_input(
                t("comment"), key=f"comment_{row.report_id}", max_chars=FREE_TEXT_MAX
            )
            approve, send_back = st.columns(2)
            if approve.button(t("approve"), key=f"approve_{row.report_id}"):
                _run(
                    lambda r=row.report_id, c=comment: writes.review_report(
                        data.engine(), viewer.account, r, True, c, filters.now()
                    ),
                    t("approved_ok"),
                )
            if send_back.button(t("return"), key=f"return_{row.report_id}"):
                _run(
                    lambda r=row.report_id, c=comment: writes.review_report(
                        data.engine(), viewer.account, r, False, c, filters.now()
                    ),
                    t("returned_ok"),
                )
