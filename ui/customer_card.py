"""The customer card (客户资料卡) on screen: find a customer in scope, then show its profile,
24-month sales, calls and visits with their outcomes, open deals, complaints and market reports,
and where it stands on the contact cadence."""

from __future__ import annotations

from datetime import date

import streamlit as st

from crm_core import formatting as fmt
from crm_core.scope import Scope
from ui import charts, customers_view, data, filters, tables
from ui.i18n import t


def find_and_show(scope: Scope, as_of: date) -> None:
    """A search box, the matching customers to pick from, and the picked customer's card. A
    customer chosen elsewhere on the page (a row of a list) is preselected (key ``card_pick``)."""
    query = st.text_input(t("card_search"), key="card_q")
    filters.in_url("card_pick", "customer")
    found = data.customer_search(scope, query)
    names = dict(zip(found.customer_id, found.name, strict=True))
    chosen = st.session_state.get("card_pick")
    if chosen and chosen not in names and not query:
        card = data.customer_card(scope, chosen, as_of)
        if card is not None:
            names = {chosen: card.profile["name"], **names}
    if st.session_state.get("card_pick") not in names:
        if chosen and not query:  # a link to a customer outside the scope: say so, as region
            st.warning(t("out_of_scope", ids=fmt.plain(str(chosen))))  # links do
        st.session_state.pop("card_pick", None)  # outside the scope or the search
    if not names:
        st.info(t("card_none"))
        return
    # a search picks its first match; without one no card is opened until a customer is
    # chosen (the first name of the scope in alphabetical order says nothing to anybody)
    picked = st.selectbox(
        t("card_pick"), list(names), index=0 if query.strip() else None,
        format_func=lambda c: f"{names[c]} ({c})", placeholder=t("card_choose"),
        key="card_pick",
    )  # fmt: skip
    filters.in_url("card_pick", "customer")
    if picked is not None:
        show(scope, picked, as_of, "card")


def show(scope: Scope, customer_id: str, as_of: date, key: str) -> None:
    """The card of ``customer_id`` (nothing but a notice when it is outside ``scope``);
    ``key`` prefixes the keys of its tables."""
    card = data.customer_card(scope, customer_id, as_of)
    if card is None:  # not in scope: say nothing about it
        st.info(t("card_none"))
        return
    st.markdown(f"### {fmt.plain(card.profile['name'])} ({fmt.plain(customer_id)})")
    st.caption(f"{t('card_cadence')}: {customers_view.cadence_text(card)}")
    left, right = st.columns([1, 2])
    tables.grid(customers_view.profile_table(card), key=f"{key}_profile", where=left)
    with right:
        st.markdown(f"**{t('card_sales')}**")
        sales = customers_view.sales_frame(card)
        charts.draw(st, charts.actual_vs_target(sales, t("actual"), t("target")), width="stretch")
    st.markdown(f"**{t('card_activities')}**")
    tables.grid(customers_view.activities_table(card), key=f"{key}_acts")
    st.markdown(f"**{t('card_outcomes')}**")
    outcomes = card.outcomes.assign(
        kind=[t(k) for k in card.outcomes.kind], outcome=[t(o) for o in card.outcomes.outcome]
    ).rename(columns={c: t(c) for c in ("kind", "outcome", "count")})
    tables.grid(outcomes, key=f"{key}_outcomes")
    st.markdown(f"**{t('card_opportunities')}**")
    shown, config = customers_view.opportunities_table(card)
    tables.grid(shown, key=f"{key}_deals", config=config)
    st.markdown(f"**{t('card_reports')}**")
    tables.grid(customers_view.reports_table(card), key=f"{key}_reports")
