"""Forecast: each rep's call of the month (commit and best case, pre-filled from their
pipeline), the manager's adjustment, the roll-up by region, how the call moved week by week,
and how close last month's calls came (docs/kpis.md#forecasts)."""

import streamlit as st

from crm_core.scope import Role
from ui import auth, data, filters, forecast_view
from ui.i18n import t
from ui.layout import section

viewer = auth.guard("forecast")
chosen = filters.current()
scope, as_of = chosen.scope(viewer.scope), chosen.as_of
st.title(t("page_forecast"))
filters.not_applied_here(chosen, "why_forecast")
month = forecast_view.month_choice(as_of)
st.caption(t("fc_caption", month=month, as_of=as_of))
loaded = data.forecasts(scope, month, as_of)
names = data.labels(viewer.scope)
today = filters.today()
forecast_view.said_before()

if viewer.role is Role.REP:
    with section(t("forecast_mine")):
        forecast_view.mine(viewer, loaded, today)
else:
    with section(t("forecast_regions")):
        forecast_view.rolled_up(loaded, names["region"])
    with section(t("forecast_team")):
        forecast_view.team(viewer, loaded, today, names["rep"], names["region"])
with section(t("forecast_history")):
    forecast_view.history(loaded, names["rep"])
with section(t("forecast_accuracy")):
    forecast_view.accuracy(scope, as_of, viewer.role, names["rep"], names["region"])
