"""Meeting mode: the Monday report on the meeting screen, one section a slide
(docs/kpis.md#tracking-daily-weekly-monthly, weekly)."""

import streamlit as st

from crm_core.periods import iso_week_period
from ui import actions_form, auth, data, filters, meeting_view, weekly_view
from ui.i18n import t

viewer = auth.guard("meeting")
chosen = filters.current()
scope = chosen.scope(viewer.scope)
week_label = meeting_view.chosen_week(chosen.as_of)
st.query_params["week"] = week_label
label = weekly_view.scope_label(scope)
st.html(meeting_view.STYLE)

with st.spinner(t("loading")):
    report = data.monday_report(scope, iso_week_period(week_label), label, chosen.as_of)
deck = meeting_view.slides(report)


def record() -> None:
    actions_form.record(report, viewer, chosen.as_of, "meeting_record")
    actions_form.recorded(report, viewer, chosen.as_of)


slide = deck[meeting_view.navigate(len(deck), week_label, record) - 1]
st.title(slide.title)
slide.show()
