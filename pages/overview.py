"""Overview: the owner's and director's results against target
(docs/kpis.md#tracking-daily-weekly-monthly owner view)."""

import streamlit as st

from crm_core import formatting as fmt
from crm_core.overview import comparable_previous, comparison_period, owner_results
from crm_core.scope import Role
from ui import auth, data, filters, overview_view
from ui.i18n import t
from ui.layout import section

viewer = auth.guard("overview")
chosen = filters.current()
scope, period = chosen.scope(viewer.scope), chosen.period
st.title(t("page_overview"))

compare = filters.compare_choice("overview")
compared = comparison_period(compare, period, chosen.as_of)
with st.spinner(t("loading")):
    previous = compared or comparable_previous(period, chosen.as_of)
    loaded = data.overview(scope, chosen.facts, period, previous)
results = owner_results(
    loaded.actual, loaded.previous, loaded.monthly_targets, period, chosen.as_of, compare
)


st.caption(
    t(
        "overview_caption",
        start=period.start,
        end=period.end,
        as_of=chosen.as_of,
        elapsed=fmt.ratio(results[0].time_elapsed),
    )
)
if chosen.product_ids:
    st.caption(t("product_filter_note"))
if loaded.rolled_up:
    st.caption(t("target_rolled_up"))

with section(t("results")):
    overview_view.cards(results, compare, compared)

if viewer.role is not Role.REP:  # a rep's own figures are the cards
    with section(t("attainment_by_title")):
        overview_view.attainment_by(scope, chosen.facts, period, chosen.as_of, compare)

with section(t("trend_12")):
    overview_view.trend(loaded, compare)
