"""Daily: every rep's day against the plan, a rep's own plan and report, a manager's sign-off
queue (docs/kpis.md#tracking-daily-weekly-monthly daily tier)."""

from datetime import date

import streamlit as st

from crm_core.periods import EARLIEST_DAY, LATEST_DAY, month_period
from crm_core.scope import Role
from ui import activity_view, auth, daily_forms, data, filters, tables
from ui.i18n import t
from ui.layout import csv_download, section

viewer = auth.guard("daily")
chosen = filters.current()
scope = chosen.scope(viewer.scope)
st.title(t("page_daily"))
filters.not_applied_here(chosen, "why_daily")
daily_forms.flash()
day = filters.in_url_widget(
    st.date_input, "day", t("day"), daily_forms.opening_day(viewer, chosen.as_of), kind=date,
    key="daily_day",
    min_value=EARLIEST_DAY, max_value=LATEST_DAY,
)  # fmt: skip
if waiting := daily_forms.reports_waiting(viewer):  # signed off first
    with section(t("sign_off_queue")):
        daily_forms.sign_off(viewer)

with section(t("team_day")):
    table = data.daily(scope, day)
    if table.empty:
        st.info(t("no_data"))
    else:
        shown, config = daily_forms.team_day(table)
        tables.grid(shown, key="daily_table", config=config)
        csv_download(shown, f"daily_{day}.csv", "daily_download")

if viewer.role is Role.REP:
    with section(t("my_activity")):
        month = month_period(f"{chosen.as_of:%Y-%m}")
        activity_view.my_activity(
            data.activity_plan(scope, month, chosen.as_of), viewer.account.rep_id or ""
        )
    with section(t("my_day")):
        daily_forms.my_day(viewer, day)
if viewer.role is Role.MANAGER and not waiting:
    with section(t("sign_off_queue")):
        daily_forms.sign_off(viewer)
