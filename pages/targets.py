"""Targets: attainment by region → rep, month and product, and the breakdown editor
(docs/kpis.md#targets)."""

import streamlit as st

from crm_core.scope import Role
from ui import activity_view, auth, breakdown_editor, data, filters, tables, targets_sections
from ui.i18n import t
from ui.layout import section

viewer = auth.guard("targets")
chosen = filters.current()
scope, period, facts = chosen.scope(viewer.scope), chosen.period, chosen.facts
labels = data.labels(viewer.scope)
st.title(t("page_targets"))
if viewer.role is Role.MANAGER:
    years = (chosen.as_of.year, chosen.as_of.year + 1)
    if unsplit := data.unsplit_months(tuple(viewer.account.region_ids), years):
        st.warning(t("unsplit_months", months=", ".join(unsplit)))
attainment_tab, breakdown_tab = st.tabs(
    [t("tab_attainment"), t("tab_breakdown")], key="tab", bind="query-params"
)

# Only the open tab runs (it is kept in the URL): the attainment tab reads every rep's
# figures, the breakdown editor three years of history.
if attainment_tab.open is not False:
    with attainment_tab:
        metric = filters.in_url_widget(
            st.selectbox, "metric", t("metric"), tables.METRICS, valid=list(tables.METRICS),
            format_func=t, key="targets_metric",
        )  # fmt: skip
        compare = filters.compare_choice("targets")
        st.caption(t("period_caption", start=period.start, end=period.end, as_of=chosen.as_of))
        if chosen.product_ids or chosen.tiers:
            st.caption(t("target_filter_note"))
        chosen_view = (scope, facts, period, chosen.as_of, metric, labels)
        targets_sections.heat(*chosen_view, compare)
        targets_sections.regions(*chosen_view, compare)
        targets_sections.products(*chosen_view, compare)
        with section(t("activity_needed")):
            plan = data.activity_plan(scope, period, chosen.as_of)
            activity_view.team_table(plan, "targets_activity")

if breakdown_tab.open is not False:
    with breakdown_tab, section():
        breakdown_editor.render(viewer, chosen.as_of)
