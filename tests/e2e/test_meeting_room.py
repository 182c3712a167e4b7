"""Meeting mode in the room (issue 37.4, in part), in Chromium on a 1,280 × 720 projector:
every slide fits the screen without scrolling, and the button on a slide leaves the meeting
for the Weekly page of the same week."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from tests.e2e.conftest import settle, shot, sign_in

WEEK = "2026-W46"


@contextmanager
def projector(browser: object, server: str, username: str, slide: int) -> Iterator[object]:
    """A tab of 1,280 × 720 signed in as ``username`` on a slide of the week's meeting."""
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="en-US")
    try:
        tab = context.new_page()
        sign_in(tab, server, username)
        tab.goto(f"{server}/meeting?week={WEEK}&slide={slide}")
        tab.wait_for_selector("h1", timeout=30_000)
        settle(tab)
        yield tab
    finally:
        context.close()


def test_every_slide_fits_a_1280_by_720_projector_and_one_click_leaves(
    browser, server: str
) -> None:
    with projector(browser, server, "director", 1) as tab:
        tab.wait_for_selector('[data-testid="stMetricValue"]', timeout=30_000)
        count = int(tab.get_by_text("Slide 1 of").inner_text().split(" of ")[1].split()[0])
        tab.screenshot(path=str(shot("meeting.png")))  # the README's first slide
        overflowing = {}
        for number in range(1, count + 1):
            tab.goto(f"{server}/meeting?week={WEEK}&slide={number}")
            tab.wait_for_selector("h1", timeout=30_000)
            settle(tab)
            height = tab.evaluate(
                """() => document.querySelector('[data-testid="stMain"]').scrollHeight"""
            )
            if height > 720:
                overflowing[number] = (tab.locator("h1").first.inner_text(), height)
        assert not overflowing, overflowing
        tab.get_by_role("button", name="Leave the meeting").click()
        tab.wait_for_url(f"**/weekly?*week={WEEK}*", timeout=30_000)
        settle(tab)
        assert tab.locator("h1").first.inner_text() == "Monday report"
        assert tab.locator('[data-testid="stSidebar"]').is_visible(), "the app's sidebar is back"


def test_a_manager_records_an_action_in_the_meeting_and_leaves(browser, server: str,
                                                                server_db) -> None:  # fmt: skip
    """Issue 37: open meeting mode, record an action on the slide being shown, leave for the
    Weekly page; the action is stored for the week's report."""
    from sqlalchemy import delete

    from db.engine import make_engine
    from db.schema import Action

    engine = make_engine(f"sqlite:///{server_db}")
    try:
        with projector(browser, server, "manager", 3) as tab:
            title = tab.locator("h1").first.inner_text()
            tab.get_by_role("button", name="Record an action").click()
            tab.get_by_label("Action", exact=True).fill("Ride along with the rep on Thursday")
            tab.get_by_role("button", name="Record an action").last.click()
            settle(tab)
            tab.get_by_text("Action 1 recorded", exact=False).wait_for(timeout=30_000)
            assert tab.locator("h1").first.inner_text() == title, "still on the same slide"
            assert "slide=3" in tab.url
            with engine.connect() as conn:
                stored = conn.execute(Action.__table__.select()).all()
            assert [(a.week, a.owner, a.text) for a in stored] == [
                (WEEK, "manager", "Ride along with the rep on Thursday")
            ]
            tab.keyboard.press("Escape")
            tab.get_by_role("button", name="Leave the meeting").click()
            tab.wait_for_url(f"**/weekly?*week={WEEK}*", timeout=30_000)
            settle(tab)
            assert tab.locator("h1").first.inner_text() == "Monday report"
    finally:
        with engine.begin() as conn:
            conn.execute(delete(Action))
        engine.dispose()
