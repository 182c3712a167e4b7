"""A link reproduces the view (issue 14.4, in part): a page's own choices — the metric on
Targets, the week on Weekly, the month on Monthly, the day on Daily — are read from the URL
and written back to it, beside the sidebar filters."""

from __future__ import annotations

from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import page_path, signed_in

pytestmark = pytest.mark.usefixtures("demo_db")

CASES = [
    ("targets", "targets_metric", "metric", "visits", "collections", "selectbox"),
    ("weekly", "weekly_week", "week", "2026-W44", "2026-W45", "selectbox"),
    ("monthly", "monthly_month", "month", "2026-09", "2026-08", "selectbox"),
    ("daily", "daily_day", "day", "2026-11-16", "2026-11-17", "date_input"),
]


def opened(page_id: str, **params: str) -> AppTest:
    app = AppTest.from_file(page_path(page_id), default_timeout=30)
    for key, value in params.items():
        app.query_params[key] = value
    return signed_in(app, "director").run()


def param(app: AppTest, name: str) -> str:
    value = app.query_params[name]
    return value[0] if isinstance(value, list) else value


@pytest.mark.parametrize(("page_id", "key", "name", "linked", "chosen", "widget"), CASES)
def test_a_link_opens_the_pages_choice_and_a_new_choice_goes_into_the_link(
    page_id: str, key: str, name: str, linked: str, chosen: str, widget: str
) -> None:
    app = opened(page_id, **{name: linked})
    assert not app.exception
    box = getattr(app, widget)(key=key)
    expected = date.fromisoformat(linked) if widget == "date_input" else linked
    assert box.value == expected
    new = date.fromisoformat(chosen) if widget == "date_input" else chosen
    box.set_value(new).run()
    assert not app.exception
    assert param(app, name) == chosen


def test_a_link_with_an_unknown_choice_keeps_the_default() -> None:
    app = opened("targets", metric="profit")
    assert app.selectbox(key="targets_metric").value == "revenue"
    assert param(app, "metric") == "revenue"
