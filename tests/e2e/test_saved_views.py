"""Saved views in Chromium (issue 40.1): a director saves the Targets page of one region,
finds it again in a fresh session, shares it with the manager of another region, who opens
it and still sees only their own region, told what was left out."""

from __future__ import annotations

from tests.e2e.conftest import settle, sign_in

NAME = "华南 last month"


def _views(tab: object) -> object:
    """The sidebar's Saved views box, opened."""
    box = tab.locator('[data-testid="stSidebar"] [data-testid="stExpander"]').filter(
        has_text="Saved views"
    )
    if box.locator("details").get_attribute("open") is None:  # it may be open from before
        box.locator("summary").click()
        settle(tab)
    return box


def test_a_saved_view_reopens_in_a_new_session_and_shared_stays_in_scope(
    browser, server: str
) -> None:
    director = browser.new_context(viewport={"width": 1400, "height": 1800}, locale="en-US")
    tab = director.new_page()
    sign_in(tab, server, "director")
    tab.goto(f"{server}/targets?period=last_month&region=R002")
    tab.wait_for_selector("h1", timeout=30_000)
    settle(tab)
    box = _views(tab)
    box.get_by_label("Name of this view").fill(NAME)
    box.get_by_role("button", name="Save this view").click()
    tab.get_by_text(f"Saved: {NAME}").wait_for(timeout=30_000)
    settle(tab)
    director.close()

    again = browser.new_context(viewport={"width": 1400, "height": 1800}, locale="en-US")
    tab = again.new_page()
    sign_in(tab, server, "director")  # a new session: the view comes from the database
    box = _views(tab)
    box.get_by_role("button", name=NAME).click()
    tab.wait_for_function("location.pathname.endsWith('/targets')", timeout=30_000)
    tab.wait_for_selector("h1", timeout=30_000)
    settle(tab)
    assert "period=last_month" in tab.url and "region=R002" in tab.url
    assert "Targets" in tab.locator("h1").first.inner_text()
    box = _views(tab)
    people = box.locator('[data-testid="stMultiSelect"]').filter(has_text="Share with")
    people.locator('input[role="combobox"]').click()
    tab.keyboard.type("manager")
    tab.get_by_role("option", name="演示经理 (manager)").click()
    tab.keyboard.press("Escape")
    settle(tab)
    tab.locator("h1").first.click()  # out of the box, so its choice is sent
    settle(tab)
    box.get_by_role("button", name="Save sharing").click()
    settle(tab)
    tab.get_by_text("Sharing saved.").wait_for(timeout=30_000)
    again.close()

    manager = browser.new_context(viewport={"width": 1400, "height": 1800}, locale="en-US")
    tab = manager.new_page()
    sign_in(tab, server, "manager")
    box = _views(tab)
    box.get_by_role("button", name=f"{NAME} (演示总监)").click()
    tab.wait_for_function("location.pathname.endsWith('/targets')", timeout=30_000)
    tab.wait_for_selector('[data-testid="stMetric"], h1', timeout=30_000)
    settle(tab)
    body = tab.locator("body").inner_text()
    assert "Not visible to you and ignored: R002" in body
    assert "华南区" not in body
    manager.close()
