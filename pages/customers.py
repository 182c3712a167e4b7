"""Customers: ABC by Pareto, value tiers and prospect grades, the share-of-wallet × potential
matrix with its strategies, MVC / MGC / BZC, attrition by year, and the customer card
(docs/kpis.md#customers, docs/formats.md customers)."""

import streamlit as st

from crm_core.periods import trailing_year
from ui import auth, customer_card, customers_sections, customers_view, data, filters
from ui.i18n import t
from ui.layout import section

viewer = auth.guard("customers")
chosen = filters.current()
scope = chosen.scope(viewer.scope)
window = trailing_year(chosen.as_of)
st.title(t("page_customers"))
filters.not_applied_here(chosen, "why_customers")
st.caption(t("customers_caption", start=window.start, end=window.end))
years = data.ahead(data.customer_years, scope, chosen.as_of)  # computed beside the classes
with st.spinner(t("loading")):
    loaded = data.customers(scope, chosen.as_of)
names = data.labels(viewer.scope)
reps = names["rep"]
for column, (name, value, exact) in zip(
    st.columns(4), customers_view.headline(loaded), strict=True
):
    column.metric(name, value, help=exact)

with section(t("pareto_title")):
    customers_sections.pareto(loaded)
    customers_sections.classes_by(loaded, names)
with section(t("tiers_title")):
    customers_sections.tiers(loaded)
with section(t("matrix_title")):
    customers_sections.matrix(loaded, reps)
with section(t("key_lists_title")):
    customers_sections.key_lists(loaded, reps)
with section(t("attrition_title")):
    customers_sections.attrition(years(), names["region"])
with section(t("card_title")):
    customer_card.find_and_show(scope, chosen.as_of)
