"""What changed in the pipeline (issue 38.2) on the Pipeline page: the changes since the
Monday before the as-of day and the month's pipeline then and now, as the read gives them."""

from __future__ import annotations

from datetime import date

import pytest

from crm_core import formatting as fmt
from crm_core.scope import Scope
from db.engine import make_engine
from services import reads
from tests.app.conftest import page

pytestmark = pytest.mark.usefixtures("demo_db")


def test_the_pipeline_page_lists_what_moved_since_monday() -> None:
    with make_engine().connect() as conn:  # as of Wed 18 Nov: since the end of Mon 16 Nov
        moves = reads.pipeline_changes(conn, Scope.everything(), date(2026, 11, 16),
                                       date(2026, 11, 18))  # fmt: skip
    app = page("pipeline", "director")
    assert not app.exception and not app.error
    assert "What changed" in [h.value for h in app.subheader]
    assert app.date_input(key="changes_from").value == date(2026, 11, 16)
    shown = {m.label: m.value for m in app.metric}
    assert shown["Open pipeline closing this month"] == fmt.money(moves.open_after)
    if moves.changes.empty:
        assert "No deal moved between these two days." in [i.value for i in app.info]
    else:
        table = next(d.value for d in app.dataframe if "Times pushed" in d.value.columns)
        assert len(table) == len(moves.changes)
    app.date_input(key="changes_from").set_value(date(2026, 10, 1)).run()
    assert not app.exception
    with make_engine().connect() as conn:
        month = reads.pipeline_changes(conn, Scope.everything(), date(2026, 10, 1),
                                       date(2026, 11, 18))  # fmt: skip
    table = next(d.value for d in app.dataframe if "Times pushed" in d.value.columns)
    assert len(table) == len(month.changes) > 0


def test_the_weekly_page_lists_what_moved_in_the_week() -> None:
    from crm_core.periods import iso_week_period
    from services.weekly import monday_report

    with make_engine().connect() as conn:
        report = monday_report(conn, Scope.for_manager(["R001"]), iso_week_period("2026-W46"), "")
    app = page("weekly", "manager")
    assert not app.exception and not app.error
    assert "What moved in the pipeline this week" in [h.value for h in app.subheader]
    if len(report.changes):
        table = next(d.value for d in app.dataframe if "Times pushed" in d.value.columns)
        assert len(table) == len(report.changes)
