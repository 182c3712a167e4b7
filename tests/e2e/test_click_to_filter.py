"""A click on a chart filters the page (issue 40.2), in Chromium: a region's bar on the
Overview, a rep's cell of the Targets heat map; the filter shows as a chip at the top of the
page, is in the URL, and goes with a click on its chip."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from tests.e2e.conftest import settle, sign_in

CHIPS = '[data-testid="stMainBlockContainer"] button:has-text("✕")'


def _params(tab: object) -> dict[str, list[str]]:
    return parse_qs(urlparse(tab.url).query)


def _chart_after(tab: object, caption: str) -> object:
    """The chart that follows the caption ``caption``."""
    tab.get_by_text(caption).first.wait_for(timeout=30_000)
    block = tab.locator('[data-testid="stVerticalBlock"]').filter(has=tab.get_by_text(caption)).last
    chart = block.locator('[data-testid="stVegaLiteChart"]').first
    chart.scroll_into_view_if_needed()
    chart.locator("svg, canvas").first.wait_for(timeout=30_000)
    settle(tab)
    return chart


def test_a_bar_filters_the_overview_to_its_region_and_its_chip_removes_it(tab, server: str) -> None:
    sign_in(tab, server, "director")
    chart = _chart_after(tab, "click a bar to filter the page to it")
    bars = chart.locator("g.mark-rect path")
    assert bars.count() == 3, "one bar per region of the demo"
    before = tab.locator('[data-testid="stMetricValue"]').first.inner_text()
    bars.first.click(force=True)
    tab.locator(CHIPS).first.wait_for(timeout=30_000)
    settle(tab)
    (region,) = _params(tab)["region"]
    chip = tab.locator(CHIPS).first.inner_text()
    assert chip.startswith("Region: ") and f"({region})" in chip, chip
    after = tab.locator('[data-testid="stMetricValue"]').first.inner_text()
    assert after != before, "the cards are the region's now"
    tab.locator(CHIPS).first.click()
    settle(tab)
    assert tab.locator(CHIPS).count() == 0
    assert "region" not in _params(tab)
    assert tab.locator('[data-testid="stMetricValue"]').first.inner_text() == before


def test_a_heat_map_cell_filters_the_targets_page_to_its_rep(tab, server: str) -> None:
    sign_in(tab, server, "director")
    tab.goto(f"{server}/targets")
    chart = _chart_after(tab, "Click a cell to filter the page to its rep.")
    cells = chart.locator("g.mark-rect.role-mark").last.locator("path")  # the layer on top
    assert cells.count() > 20
    cells.nth(5).click(force=True)
    tab.locator(CHIPS).first.wait_for(timeout=30_000)
    settle(tab)
    (rep,) = _params(tab)["rep"]
    assert tab.locator(CHIPS).first.inner_text().startswith("Rep: ")
    assert f"({rep})" in tab.locator(CHIPS).first.inner_text()
    chart = _chart_after(tab, "Click a cell to filter the page to its rep.")
    cells = chart.locator("g.mark-rect.role-mark").last.locator("path")
    assert cells.count() == 12, "the heat map is the one rep's 12 months"
    tab.locator(CHIPS).first.click()
    settle(tab)
    tab.wait_for_timeout(1_000)  # a selection kept by the chart would filter again: none does
    settle(tab)
    assert tab.locator(CHIPS).count() == 0
    assert "rep" not in _params(tab)
