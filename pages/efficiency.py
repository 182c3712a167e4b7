"""Visit efficiency: who visits a lot but converts little, the call funnel, who to contact
next, and where the time goes (docs/kpis.md#visit-efficiency)."""

import streamlit as st

from ui import auth, data, efficiency_sections, filters
from ui.i18n import t
from ui.layout import section

viewer = auth.guard("efficiency")
chosen = filters.current()
scope = chosen.scope(viewer.scope)
st.title(t("page_efficiency"))
filters.not_applied_here(chosen, "why_efficiency")
st.caption(
    t("period_caption", start=chosen.period.start, end=chosen.period.end, as_of=chosen.as_of)
)
contacts = data.ahead(data.contacts, scope, chosen.as_of)  # computed beside the period's
with st.spinner(t("loading")):
    loaded = data.efficiency(scope, chosen.period, chosen.as_of)
names = data.labels(viewer.scope)["rep"]

league = None  # the league's row selection, if it renders
with section(t("league")):
    league = efficiency_sections.league(loaded, names)
with section(t("busy_not_converting")):
    efficiency_sections.scatter(loaded, contacts(), names, league)
with section(t("call_funnel")):
    efficiency_sections.funnel(loaded)
with section(t("purpose_mix")):
    efficiency_sections.purposes(loaded)
with section(t("overdue_title")):
    efficiency_sections.overdue(contacts(), names, scope, chosen.as_of)
with section(t("time_allocation")):
    efficiency_sections.allocation(contacts())
