"""The forward views of issue 38 in Chromium: a rep reads on the Daily page how many calls or
visits the month still needs; a director reads on the Pipeline page what moved since Monday.
Their pictures are the README's (``make screenshots``)."""

from __future__ import annotations

from tests.e2e.conftest import settle, shot, sign_in


def test_a_rep_reads_what_the_month_still_needs(tab, server: str) -> None:
    sign_in(tab, server, "rep")
    tab.goto(f"{server}/daily")
    tab.get_by_text("What this month still needs").wait_for(timeout=30_000)
    settle(tab)
    box = tab.locator('[data-testid="stAlert"]').first
    said = box.inner_text()
    assert "calls or visits this month" in said or "target is reached" in said, said
    heading = tab.get_by_text("What this month still needs")
    top = heading.bounding_box()["y"]
    tab.screenshot(path=str(shot("daily_activity.png")),
                   clip={"x": 0, "y": max(top - 20, 0), "width": 1400, "height": 260})  # fmt: skip


def test_a_director_reads_what_moved_in_the_pipeline_since_monday(tab, server: str) -> None:
    sign_in(tab, server, "director")
    tab.goto(f"{server}/pipeline")
    heading = tab.get_by_role("heading", name="What changed")
    heading.wait_for(timeout=60_000)
    settle(tab)
    heading.scroll_into_view_if_needed()
    assert tab.get_by_text("Open pipeline closing this month").is_visible()
    table = tab.locator('[data-testid="stDataFrame"]').last
    table.wait_for(timeout=30_000)
    top = heading.bounding_box()["y"]
    tab.screenshot(path=str(shot("what_changed.png")), full_page=True,
                   clip={"x": 0, "y": max(top - 20, 0), "width": 1400, "height": 700})  # fmt: skip
