"""Monthly: attainment per region and rep with rank, month-over-month and year-over-year,
12-month trend, pipeline snapshot and customer base change
(docs/kpis.md#tracking-daily-weekly-monthly monthly tier)."""

import streamlit as st

from crm_core.periods import months_between, years_before
from ui import auth, data, filters, monthly_sections, monthly_view
from ui.i18n import t

viewer = auth.guard("monthly")
chosen = filters.current()
scope = chosen.scope(viewer.scope)
st.title(t("month_review"))
filters.not_applied_here(chosen, "why_monthly")
months = months_between(years_before(chosen.as_of, 2), chosen.as_of)[::-1]
month = filters.in_url_widget(
    st.selectbox, "month", t("month"), months, valid=months, key="monthly_month"
)
compare = filters.compare_choice("monthly")
with st.spinner(t("loading")):
    loaded = data.monthly(scope, month, chosen.as_of)
st.caption(monthly_view.comparison_caption(month, chosen.as_of))
labels = data.labels(viewer.scope)
monthly_sections.ranked(loaded, labels, scope, month, chosen.as_of, compare)
monthly_sections.trend(scope, month, chosen.as_of, compare)
monthly_sections.pipeline(loaded)
monthly_sections.customer_base(loaded)
