"""The Forecast page's sections (docs/kpis.md#forecasts): a rep's own call and its form, the
team's calls with the manager's adjustment, the roll-up by region, how the call moved, and
how close the calls of the last month came."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from crm_core import formatting as fmt
from crm_core.forecasts import amount_cents
from crm_core.inputs import InputRefused
from crm_core.periods import month_of, shift_month
from crm_core.scope import Role, Scope
from services import reads, writes
from ui import charts, data, filters, tables
from ui.auth import Viewer
from ui.i18n import t, t_each
from ui.layout import table_with_download

TEAM = ["name", "region", "target", "actual", "pipeline_commit", "pipeline_best_case",
        "submitted_commit", "submitted_best_case", "submitted_on", "commit", "best_case",
        "weighted_pipeline", "note"]  # fmt: skip
ROLLUP = ["region", "reps", "submitted", "target", "actual", "submitted_commit",
          "submitted_best_case", "commit", "best_case", "weighted_pipeline"]  # fmt: skip
MONEY = {"target", "actual", "pipeline_commit", "pipeline_best_case", "submitted_commit",
         "submitted_best_case", "commit", "best_case", "weighted_pipeline", "forecast"}  # fmt: skip
HEADERS = {"target": "target", "actual": "actual", "name": "rep", "region": "region",
           "forecast": "fc_forecast"}  # fmt: skip


def _header(column: str) -> str:
    """The catalog key of a column's header."""
    return HEADERS.get(column, f"fc_{column}")


def _view(frame: pd.DataFrame, columns: list[str], key: str, file: str) -> None:
    """``columns`` of ``frame`` as a table whose numbers sort as numbers, with a download."""
    kinds = {_header(c): "money" for c in columns if c in MONEY}
    kinds |= {_header(c): "count" for c in ("reps", "submitted", "months") if c in columns}
    kinds |= {_header(c): "ratio" for c in ("error", "bias") if c in columns}
    shown = frame[columns].rename(columns={c: _header(c) for c in columns})
    codes = {"fc_tendency": "fc_tendency_"}  # sandbagging, accurate, optimistic in words
    table_with_download(tables.numeric_view(shown, kinds, codes), key, file)


def said_before() -> None:
    """What the last write said, kept over the rerun that shows its result."""
    if said := st.session_state.pop("fc_said", None):
        st.success(said)


def _done(message: str) -> None:
    st.session_state["fc_said"] = message
    st.rerun()


def month_choice(as_of: date) -> str:
    """The month the page is about: this month (of the as-of day) or one of the next two,
    kept in the URL."""
    this = month_of(as_of)
    months = [this, shift_month(this, 1), shift_month(this, 2)]
    return filters.in_url_widget(st.selectbox, "month", t("month"), months, valid=months,
                                 key="forecast_month")  # fmt: skip


def mine(viewer: Viewer, loaded: reads.Forecasts, today: date) -> None:
    """A rep's own month: target, actual, what the pipeline says, the call in force, and the
    form to submit a new call (pre-filled with the last one, else from the pipeline)."""
    rows = loaded.reps[loaded.reps.rep == viewer.account.rep_id]
    if rows.empty:
        st.info(t("no_data"))
        return
    row = rows.iloc[0]
    figures = [("target", row["target"]), ("actual", row["actual"]),
               ("fc_pipeline_commit", row["pipeline_commit"]),
               ("fc_weighted_pipeline", row["weighted_pipeline"])]  # fmt: skip
    for column, (key, value) in zip(st.columns(4), figures, strict=True):
        column.metric(t(key), fmt.money(value))
    if row["submitted_on"] is None:
        st.warning(t("fc_not_submitted", month=loaded.month))
    else:
        st.caption(t("fc_submitted_said", commit=fmt.money(row["submitted_commit"]),
                     best=fmt.money(row["submitted_best_case"]),
                     day=row["submitted_on"]))  # fmt: skip
    if row["adjusted_on"] is not None:
        st.info(t("fc_adjusted_said", commit=fmt.money(row["commit"]),
                  best=fmt.money(row["best_case"]), who=row["adjusted_by"],
                  day=row["adjusted_on"], note=fmt.plain(row["note"] or "")))  # fmt: skip
    commit = row["submitted_commit"] if row["submitted_on"] else row["pipeline_commit"]
    best = row["submitted_best_case"] if row["submitted_on"] else row["pipeline_best_case"]
    with st.form("forecast_submit", border=False):
        left, right = st.columns(2)
        said_commit = left.number_input(t("fc_commit"), min_value=0.0, step=1000.0,
                                        value=float(commit) / 100, key="fc_my_commit")  # fmt: skip
        said_best = right.number_input(t("fc_best_case"), min_value=0.0, step=1000.0,
                                       value=float(best) / 100, key="fc_my_best")  # fmt: skip
        st.caption(t("fc_prefill_help"))
        sent = st.form_submit_button(t("fc_submit"), icon=":material/send:", key="fc_send")
    if sent:
        try:
            writes.submit_forecast(data.engine(), viewer.account, str(row["rep"]), loaded.month,
                                   amount_cents(said_commit, t("fc_commit")),
                                   amount_cents(said_best, t("fc_best_case")), today)  # fmt: skip
        except (writes.ForecastRefused, InputRefused) as problem:
            st.error(t("fc_refused", problem=fmt.plain(str(problem))))
            return
        _done(t("fc_submitted_now", month=loaded.month))


def team(viewer: Viewer, loaded: reads.Forecasts, today: date, reps: pd.Series,
         regions: pd.Series) -> None:  # fmt: skip
    """Every rep's call beside their target, actual and pipeline; a manager's adjustment."""
    frame = loaded.reps
    if frame.empty:
        st.caption(t("nothing_listed"))
        return
    missing = int(sum(v is None for v in frame.submitted_on))
    if missing:
        st.caption(t("fc_missing", count=missing, total=len(frame)))
    shown = frame.assign(name=[tables.label(reps, r) for r in frame.rep],
                         region=[tables.label(regions, r) for r in frame.region],
                         note=[n or "" for n in frame.note])  # fmt: skip
    _view(shown, TEAM, "fc_team", "forecasts.csv")
    adjust(viewer, loaded, today, reps)


def adjust(viewer: Viewer, loaded: reads.Forecasts, today: date, reps: pd.Series) -> None:
    """The form a manager (or the director) adjusts a rep's commit or best case with."""
    choices = list(loaded.reps.rep)
    with st.form("forecast_adjust", border=False):
        st.markdown(f"**{t('fc_adjust_title')}**")
        who, commit, best = st.columns([2, 1, 1])
        rep = who.selectbox(t("rep"), choices, format_func=lambda r: tables.label(reps, r),
                            key="fc_adjust_rep")  # fmt: skip
        said_commit = commit.number_input(t("fc_commit"), min_value=0.0, step=1000.0,
                                          value=None, key="fc_adjust_commit")  # fmt: skip
        said_best = best.number_input(t("fc_best_case"), min_value=0.0, step=1000.0, value=None,
                                      key="fc_adjust_best")  # fmt: skip
        note = st.text_input(t("fc_note"), max_chars=500, key="fc_adjust_note")
        sent = st.form_submit_button(t("fc_adjust"), icon=":material/edit:", key="fc_adjust_go")
    if not sent:
        return
    try:
        writes.adjust_forecast(
            data.engine(), viewer.account, str(rep), loaded.month,
            None if said_commit is None else amount_cents(said_commit, t("fc_commit")),
            None if said_best is None else amount_cents(said_best, t("fc_best_case")),
            note, today,
        )  # fmt: skip
    except (writes.ForecastRefused, InputRefused) as problem:
        st.error(t("fc_refused", problem=fmt.plain(str(problem))))
        return
    _done(t("fc_adjusted_now", rep=tables.label(reps, rep)))


def rolled_up(loaded: reads.Forecasts, regions: pd.Series) -> None:
    """The regions' calls against target: a chart and the table."""
    frame = loaded.regions
    if frame.empty:
        st.caption(t("nothing_listed"))
        return
    labelled = frame.assign(region=[tables.label(regions, r) for r in frame.region])
    chart = pd.DataFrame({"label": labelled.region,
                          **{c: [fmt.yuan(v) for v in frame[c]]
                             for c in ("best_case", "commit", "actual", "target")}})  # fmt: skip
    titles = {c: t(_header(c)) for c in ("target", "commit", "best_case", "actual")}
    charts.draw(st, charts.call_bars(chart, titles), width="stretch")
    st.caption(t("fc_bars_help"))
    _view(labelled, ROLLUP, "fc_regions", "forecast_regions.csv")


def history(loaded: reads.Forecasts, reps: pd.Series) -> None:
    """The sums in force at each week's end, and every submission and adjustment."""
    moved = loaded.movement
    if moved.empty or moved.commit.isna().all():
        st.info(t("fc_no_calls", month=loaded.month))
        return
    lines = moved.assign(**{c: [fmt.yuan(v) for v in moved[c]]
                            for c in ("submitted_commit", "commit", "best_case")})  # fmt: skip
    titles = {c: t(_header(c)) for c in ("commit", "submitted_commit", "best_case")}
    charts.draw(st, charts.call_lines(lines, titles), width="stretch")
    calls = loaded.history.iloc[::-1]
    shown = pd.DataFrame({
        "day": list(calls.day),
        "rep": [tables.label(reps, r) for r in calls.rep],
        "fc_kind": t_each(f"fc_kind_{k}" for k in calls.kind),
        "fc_commit": list(calls.commit),
        "fc_best_case": list(calls.best_case),
        "fc_made_by": list(calls.made_by),
        "fc_note": [n or "" for n in calls.note],
    })  # fmt: skip
    kinds = {"fc_commit": "money", "fc_best_case": "money"}
    table_with_download(tables.numeric_view(shown, kinds), "fc_history", "forecast_calls.csv")


def accuracy(scope: Scope, as_of: date, role: Role, reps: pd.Series,
             regions: pd.Series) -> None:  # fmt: skip
    """How close the calls of the last month that is over came, and each one's habit."""
    month = shift_month(month_of(as_of), -1)
    found = data.forecast_accuracy(scope, month)
    st.caption(t("fc_accuracy_help", month=month))
    if found.reps.empty:
        st.info(t("fc_no_calls", month=month))
        return
    by_rep = found.reps.assign(name=[tables.label(reps, r) for r in found.reps.rep])
    columns = ["name", "forecast", "actual", "error", "bias", "months", "tendency"]
    if role is not Role.REP:
        regions_shown = found.regions.assign(
            region=[tables.label(regions, r) for r in found.regions.region]
        )
        _view(
            regions_shown, ["region", *columns[1:]], "fc_accuracy_regions", "accuracy_regions.csv"
        )
    _view(by_rep, columns, "fc_accuracy", "forecast_accuracy.csv")
