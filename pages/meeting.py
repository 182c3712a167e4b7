"""Meeting mode: the Monday report on the meeting screen, one section a slide
(docs/kpis.md#tracking-daily-weekly-monthly, weekly)."""

import streamlit as st

from crm_core.periods import iso_week_period
from ui import auth, data, filters, meeting_view, weekly_view
from ui.i18n import t

viewer = auth.guard("meeting")
chosen = filters.current()
scope = chosen.scope(viewer.scope)
week_label = meeting_view.chosen_week(chosen.as_of)
st.query_params["week"] = week_label
label = weekly_view.scope_label(scope)
st.html(meeting_view.STYLE)

with st.spinner(t("loading")):
    report = data.monday_report(scope, iso_week_period(week_label), label)
deck = meeting_view.slides(report)
slide = deck[meeting_view.navigate(len(deck), week_label) - 1]
st.title(slide.title)
slide.show()
