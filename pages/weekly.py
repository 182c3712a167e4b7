"""Weekly: the Monday report of a region for an ISO week
(docs/kpis.md#tracking-daily-weekly-monthly, weekly)."""

from datetime import timedelta

import streamlit as st

from crm_core import formatting as fmt
from crm_core.periods import iso_week_of, iso_week_period
from ui import actions_form, auth, data, filters, tables, weekly_view
from ui.i18n import t
from ui.layout import section

viewer = auth.guard("weekly")
chosen = filters.current()
scope = chosen.scope(viewer.scope)
st.title(t("monday_report"))
filters.not_applied_here(chosen, "why_weekly")
last_complete = iso_week_of(chosen.as_of - timedelta(days=7))
weeks = [iso_week_of(chosen.as_of - timedelta(weeks=n)) for n in range(1, 27)]
st.session_state.setdefault("weekly_week", last_complete)
week_label = filters.in_url_widget(
    st.selectbox, "week", t("week"), weeks, valid=weeks, key="weekly_week"
)
week = iso_week_period(week_label)
label = weekly_view.scope_label(scope)
st.caption(
    f"{fmt.plain(label)} · " + t("week_caption", week=week_label, start=week.start, end=week.end)
)

with st.spinner(t("loading")):
    report = data.monday_report(scope, week, label, chosen.as_of)
weekly_view.downloads(report)

for name in weekly_view.sections(report):
    with section(t(f"section_{name}")):
        table = weekly_view.section(report, name)
        if table is None:
            st.caption(t("nothing_listed"))
        else:
            shown, config = table
            tables.grid(shown, key=f"weekly_{name}", config=config)
        if name == "actions":
            actions_form.close(report, viewer, chosen.as_of, "weekly_close")
        if name == "decisions" and len(report.items) > report.decisions:
            every = t("more_exceptions", count=len(report.items), top=report.decisions)
            with st.expander(every):
                shown, config = weekly_view.section(report, "exceptions")
                tables.grid(shown, key="weekly_exceptions", config=config)
        if name == "decisions":
            with st.expander(t("record_action")):
                actions_form.record(report, viewer, chosen.as_of, "weekly_record")
                actions_form.recorded(report, viewer, chosen.as_of)
