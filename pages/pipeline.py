"""Pipeline health: the funnel with stage conversion, coverage of the target per rep for this
month and the next, rotting deals, days in stage, win rate and velocity by month, and the
forecast against target (docs/kpis.md#pipeline-health)."""

import streamlit as st

from ui import auth, data, filters, pipeline_sections, pipeline_view
from ui.i18n import t
from ui.layout import section

viewer = auth.guard("pipeline")
chosen = filters.current()
scope = chosen.scope(viewer.scope)
period, as_of = chosen.period, chosen.as_of
st.title(t("page_pipeline"))
filters.not_applied_here(chosen, "why_pipeline")
st.caption(t("pipeline_caption", as_of=as_of, start=period.start, end=period.end))
history = data.ahead(data.pipeline_history, scope, as_of)  # computed beside the open deals
with st.spinner(t("loading")):
    loaded = data.pipeline(scope, period, as_of)
names = data.labels(viewer.scope)
reps = names["rep"]

figures = pipeline_view.headline(loaded)
for column, (name, value, exact) in zip([*st.columns(4), *st.columns(4)], figures, strict=False):
    column.metric(t(name), value, help=exact)

with section(t("funnel_title")):
    pipeline_sections.funnel(loaded, history())
with section(t("coverage_title")):
    pipeline_sections.coverage(loaded, reps, chosen, scope)
with section(t("stale_title")):
    pipeline_sections.stale(loaded, reps, scope, as_of)
with section(t("days_in_stage_title")):
    pipeline_sections.days_in_stage(loaded, as_of)
with section(t("win_trend")):
    pipeline_sections.win_trend(history())
with section(t("forecast_title")):
    pipeline_sections.forecast(loaded, names["region"])
with section(t("what_changed")):
    pipeline_sections.what_changed(scope, as_of, reps)
