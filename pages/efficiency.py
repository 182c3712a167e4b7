"""Visit efficiency: who visits a lot but converts little, the call funnel, who to contact
next, and where the time goes (docs/kpis.md#visit-efficiency)."""

from functools import partial

import streamlit as st

from crm_core.efficiency import overdue_list
from ui import auth, charts, customer_card, data, drill, efficiency_view, filters, tables
from ui.i18n import t
from ui.layout import capped, csv_download, section

viewer = auth.guard("efficiency")
chosen = filters.current()
scope = chosen.scope(viewer.scope)
st.title(t("page_efficiency"))
filters.not_applied_here(chosen, "why_efficiency")
st.caption(
    t("period_caption", start=chosen.period.start, end=chosen.period.end, as_of=chosen.as_of)
)
with st.spinner(t("loading")):
    loaded = data.efficiency(scope, chosen.period, chosen.as_of)
names = data.dimensions(viewer.scope)["reps"].set_index("rep_id")["name"]

with section(t("league")):
    shown, config = efficiency_view.league_table(loaded.league, names)
    league = drill.selectable(shown, config, "eff_league")
    csv_download(shown, "efficiency.csv", "eff_league_dl")

with section(t("busy_not_converting")):
    if loaded.league.empty:
        st.info(t("no_data"))
    else:
        titles = {c: t(c) for c in ("activities_per_rep_day", "transaction_rate", "attainment")}
        chart = charts.efficiency_scatter(
            efficiency_view.scatter_frame(loaded.league, names),
            "activities_per_rep_day",
            "transaction_rate",
            loaded.league.attrs["median"],
            titles,
        )
        event = st.altair_chart(chart, width="stretch", on_select="rerun", key="eff_scatter")
        reps = list(loaded.league.rep)
        drill.follow("eff_rep", drill.picked_point(event, "pick", "rep"), "chart")
        order = efficiency_view.league_order(loaded.league)
        drill.follow("eff_rep", drill.picked_row(league, order), "league")
        filters.in_url("eff_rep", "rep_detail", reps)
        rep = st.selectbox(
            t("rep_detail"), reps, format_func=partial(tables.label, names), key="eff_rep"
        )
        filters.in_url("eff_rep", "rep_detail", reps)
        mine = (
            overdue_list(loaded.cadence[loaded.cadence.owner_rep_id == rep])
            if len(loaded.cadence)
            else loaded.cadence
        )
        st.caption(t("overdue_of_rep", count=len(mine)))
        shown, config = efficiency_view.overdue_table(mine, names)
        st.dataframe(shown, hide_index=True, key="eff_rep_overdue", column_config=config)

with section(t("call_funnel")):
    funnel = efficiency_view.funnel_frame(loaded.funnel)
    st.altair_chart(charts.funnel_bars(funnel), width="stretch")
    st.caption(efficiency_view.per_call(loaded.funnel))
    shown, config = efficiency_view.funnel_table(loaded.funnel)
    st.dataframe(shown, hide_index=True, key="eff_funnel", column_config=config)

with section(t("purpose_mix")):
    purposes = efficiency_view.purpose_frame(loaded.purposes)
    x, y, colour = purposes.columns
    st.bar_chart(purposes, x=x, y=y, color=colour, horizontal=True)

with section(t("overdue_title")):
    overdue = overdue_list(loaded.cadence)
    listed = capped(overdue)
    shown, config = efficiency_view.overdue_table(listed, names)
    event = drill.selectable(shown, config, "eff_overdue")
    csv_download(
        partial(efficiency_view.overdue_rows, overdue, names), "overdue.csv", "eff_overdue_dl"
    )
    if customer := drill.picked_row(event, list(listed.get("customer_id", []))):
        customer_card.show(scope, customer, chosen.as_of, "eff_card")
    else:
        st.caption(t("row_opens_card"))

with section(t("time_allocation")):
    allocation = loaded.allocation.assign(label=[t(g) for g in loaded.allocation.group])
    st.altair_chart(
        charts.share_vs_guideline(allocation, t("actual_share"), t("guideline")), width="stretch"
    )
    shown, config = efficiency_view.allocation_table(loaded.allocation)
    st.dataframe(shown, hide_index=True, key="eff_alloc", column_config=config)
