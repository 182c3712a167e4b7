"""Compare with (issue 40.3) in Chromium: a director sets the Overview against the period
before; the cards say which working days, the URL keeps it, and the choice follows to
Targets (a column of the period before and the change) and Monthly (the ranking by the change
on the month before)."""

from __future__ import annotations

from tests.e2e.conftest import settle, sign_in


def _choose(tab: object, option: str) -> None:
    tab.locator('[data-testid="stRadio"]').filter(has_text="Compare with").get_by_text(
        option, exact=True
    ).click()
    settle(tab)


def test_one_comparison_follows_the_director_over_three_pages(tab, server: str) -> None:
    sign_in(tab, server, "director")
    _choose(tab, "Period before")
    # 1–18 November 2026 is 13 working days; October's 13th is the 19th
    tab.get_by_text("Same working days before (2026-10-01 – 2026-10-19)").first.wait_for(
        timeout=30_000
    )
    assert "compare=previous" in tab.url
    tab.locator('[data-testid="stSidebarNav"]').get_by_text("Targets").click()
    tab.wait_for_function("location.pathname.endsWith('/targets')", timeout=30_000)
    header = tab.locator('[role="columnheader"]', has_text="Period before").first
    header.wait_for(state="attached", timeout=30_000)  # the grid draws on a canvas
    settle(tab)
    radio = tab.locator('[data-testid="stRadio"]').filter(has_text="Compare with")
    assert radio.locator("input:checked").count() == 1
    checked = radio.locator("label").filter(has=tab.locator("input:checked")).inner_text()
    assert checked.strip() == "Period before"
    tab.locator('[data-testid="stSidebarNav"]').get_by_text("Monthly").click()
    tab.wait_for_function("location.pathname.endsWith('/monthly')", timeout=30_000)
    tab.get_by_text("Revenue change on what it is compared with").first.wait_for(timeout=30_000)
    settle(tab)
    assert "compare=previous" in tab.url
