"""The visit efficiency page's sections (docs/kpis.md#visit-efficiency), each drawn by one
function the page calls inside its section."""

from __future__ import annotations

from datetime import date
from functools import partial

import pandas as pd
import streamlit as st

from crm_core.scope import Scope
from services.reads import Contacts, EfficiencyData
from ui import charts, customer_card, drill, efficiency_view, filters, tables
from ui.i18n import t
from ui.layout import capped, csv_download


def league(loaded: EfficiencyData, names: pd.Series) -> object:
    """The rep league with its download; returns its selection (a row chooses the rep)."""
    shown, config = efficiency_view.league_table(loaded.league, names)
    league = drill.selectable(shown, config, "eff_league")
    csv_download(shown, "efficiency.csv", "eff_league_dl")
    return league


def scatter(loaded: EfficiencyData, contacts: Contacts, names: pd.Series, league: object) -> None:
    """Activity against transaction rate, one point per rep; a point filters the page to its
    rep; a point or a league row chooses the rep whose overdue customers are listed below
    (kept in the URL)."""
    reps = loaded.league.reps
    if reps.empty:
        st.info(t("no_data"))
    else:
        titles = {c: t(c) for c in ("activities_per_rep_day", "transaction_rate", "attainment",
                                    "pace")}  # fmt: skip
        chart = charts.efficiency_scatter(
            efficiency_view.scatter_frame(reps, names),
            "activities_per_rep_day",
            "transaction_rate",
            loaded.league.median,
            titles,
        )
        key = filters.click_key("eff_scatter")
        event = charts.draw(st, chart, width="stretch", on_select="rerun", key=key)
        picked = drill.picked_point(event, "pick", "rep")
        filters.filter_to("rep", picked, key)  # the page, then the rep below
        drill.follow("eff_rep", picked, "chart")
        row = drill.picked_row(league, efficiency_view.league_order(reps))
        label = partial(tables.label, names)
        rep = drill.choose(t("rep_detail"), list(reps.rep), "eff_rep", "rep_detail", label, row)
        overdue = contacts.overdue  # in order: a rep's own keep it
        mine = overdue[overdue.owner_rep_id == rep] if len(overdue) else overdue
        st.caption(t("overdue_of_rep", count=len(mine)))
        shown, config = efficiency_view.overdue_table(mine, names)
        tables.grid(shown, key="eff_rep_overdue", config=config)


def funnel(loaded: EfficiencyData) -> None:
    """The call funnel with its conversions and what a dialed call is worth."""
    funnel = efficiency_view.funnel_frame(loaded.funnel.steps)
    charts.draw(st, charts.funnel_bars(funnel), width="stretch")
    st.caption(efficiency_view.per_call(loaded.funnel))
    shown, config = efficiency_view.funnel_table(loaded.funnel.steps)
    tables.grid(shown, key="eff_funnel", config=config)


def purposes(loaded: EfficiencyData) -> None:
    """What calls and visits were for."""
    purposes = efficiency_view.purpose_frame(loaded.purposes)
    x, y, colour = purposes.columns
    st.bar_chart(purposes, x=x, y=y, color=colour, horizontal=True)


def overdue(contacts: Contacts, names: pd.Series, scope: Scope, as_of: date) -> None:
    """Who to contact next; a clicked customer opens the card."""
    overdue = contacts.overdue
    listed = capped(overdue)
    shown, config = efficiency_view.overdue_table(listed, names)
    event = drill.selectable(shown, config, "eff_overdue")
    csv_download(
        partial(efficiency_view.overdue_rows, overdue, names), "overdue.csv", "eff_overdue_dl"
    )
    if customer := drill.picked_row(event, list(listed.get("customer_id", []))):
        customer_card.show(scope, customer, as_of, "eff_card")
    else:
        st.caption(t("row_opens_card"))


def allocation(contacts: Contacts) -> None:
    """Time on the top 10 / next 30 / other 60 % of customers against 60/30/10."""
    allocation = contacts.allocation.assign(label=[t(g) for g in contacts.allocation.group])
    charts.draw(
        st,
        charts.share_vs_guideline(allocation, t("actual_share"), t("guideline")),
        width="stretch",
    )
    shown, config = efficiency_view.allocation_table(contacts.allocation)
    tables.grid(shown, key="eff_alloc", config=config)
