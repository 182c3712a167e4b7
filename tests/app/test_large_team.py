"""A 200-rep company (the M demo, issue 14.7): the heat map a page of 40 reps at a time, lowest
attainment first, the page kept in the URL; no empty bars in the coverage chart; tables that
sort by value."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from streamlit.testing.v1 import AppTest

from crm_core.heatmap import PAGE_SIZE
from tests.app.conftest import demo_database, page_path, signed_in


@pytest.fixture(scope="module")
def large_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from demo_database(tmp_path_factory, "M", 7)


pytestmark = pytest.mark.usefixtures("large_db")


def opened(page_id: str, **params: str) -> AppTest:
    app = AppTest.from_file(page_path(page_id), default_timeout=120)
    for key, value in params.items():
        app.query_params[key] = value
    return signed_in(app, "director").run()


def heat_numbers(app: AppTest) -> object:
    return next(d.value for d in app.dataframe if "2026-11" in d.value.columns)


def test_the_heat_map_shows_40_reps_a_page_and_the_page_is_in_the_link() -> None:
    app = opened("targets", heat_page="3")
    assert not app.exception and not app.error
    control = app.get("button_group")[0]
    assert control.value == [3] or control.value == 3
    shown = heat_numbers(app)
    assert len(shown) == PAGE_SIZE
    assert app.query_params["heat_page"] in ("3", ["3"])
    first = opened("targets")
    assert len(heat_numbers(first)) == PAGE_SIZE
    assert not set(heat_numbers(first).Rep) & set(shown.Rep), "page 3 holds other reps"


def test_the_coverage_chart_leaves_out_reps_without_a_target() -> None:
    app = opened("pipeline")
    assert not app.exception and not app.error
    captions = [c.value for c in app.caption if "thinnest" in c.value]
    assert captions and all("of 200" in c or "of 20" in c for c in captions)


def test_the_rep_league_sorts_by_value() -> None:
    app = opened("efficiency")
    league = next(d.value for d in app.dataframe if "Transaction rate" in d.value.columns)
    assert len(league) == 201  # the team median and 200 reps
    assert str(league["Transaction rate"].dtype) == "float64"
    rates = list(league["Transaction rate"][1:].dropna())
    assert rates == sorted(rates), "fewest sales per activity first"
