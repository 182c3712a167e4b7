"""Daily: every rep's day against the plan, a rep's own plan and report, a manager's sign-off
queue (docs/kpis.md#tracking-daily-weekly-monthly daily tier)."""

import streamlit as st

from crm_core import formatting as fmt
from crm_core.scope import Role
from ui import auth, daily_forms, data, filters
from ui.i18n import t
from ui.layout import section, table_with_download

viewer = auth.guard("daily")
chosen = filters.current()
scope = chosen.scope(viewer.scope)
st.title(t("page_daily"))
daily_forms.flash()
day = st.date_input(t("day"), chosen.as_of, key="daily_day")

with section(t("team_day")):
    table = data.daily(scope, day)
    if table.empty:
        st.info(t("no_data"))
    else:
        shown = table.assign(
            revenue=[fmt.money(v) for v in table.revenue],
            collections=[fmt.money(v) for v in table.collections],
            report_status=[t(f"status_{s}") for s in table.report_status],
            on_time=[
                fmt.UNDEFINED if v is None else t("on_time" if v else "late") for v in table.on_time
            ],
        ).rename(columns=lambda c: t(c) if c in data.DAILY_LABELS else c)
        st.dataframe(shown, hide_index=True, key="daily_table")
        table_with_download(table, "daily_raw", f"daily_{day}.csv")

if viewer.role is Role.REP:
    with section(t("my_day")):
        daily_forms.my_day(viewer, day)
if viewer.role is Role.MANAGER:
    with section(t("sign_off_queue")):
        daily_forms.sign_off(viewer)
