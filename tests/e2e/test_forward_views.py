"""The forward views of issue 38 in Chromium: a rep reads on the Daily page how many calls or
visits the month still needs; a director reads on the Pipeline page what moved since Monday;
a rep calls the month, the manager adjusts it, the director sees the roll-up. Their pictures
are the README's (``make screenshots``)."""

from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy import select

from crm_core.scope import Scope
from db.schema import Rep, User
from services import reads
from tests.e2e.conftest import AS_OF, settle, shot, sign_in


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


def test_a_rep_calls_the_month_the_manager_adjusts_and_the_director_sees_it(
    browser, server: str, server_db: Path
) -> None:
    from db.engine import make_engine

    engine = make_engine(f"sqlite:///{server_db}")
    with engine.connect() as conn:
        rep_id = str(conn.scalar(select(User.rep_id).where(User.username == "rep")))
        rep_name = str(conn.scalar(select(Rep.name).where(Rep.rep_id == rep_id)))
    tabs = []

    def open_as(username: str) -> object:
        context = browser.new_context(viewport={"width": 1400, "height": 2000}, locale="en-US")
        tab = context.new_page()
        tabs.append(context)
        sign_in(tab, server, username)
        tab.goto(f"{server}/forecast")
        tab.wait_for_selector("h1", timeout=60_000)
        settle(tab)
        return tab

    try:
        rep = open_as("rep")
        rep.get_by_role("heading", name="My forecast").wait_for(timeout=30_000)
        rep.locator(".st-key-fc_my_commit input").fill("654321")
        rep.locator(".st-key-fc_my_best input").fill("800000")
        rep.get_by_role("button", name="Submit forecast").click()
        settle(rep)
        rep.get_by_text(
            "You submitted ¥654,321 commit, ¥800,000 best case on 2026-11-18."
        ).wait_for(timeout=30_000)
        rep.screenshot(path=str(shot("forecast_rep.png")),
                       clip={"x": 0, "y": 0, "width": 1400, "height": 760})  # fmt: skip

        manager = open_as("manager")
        manager.get_by_role("heading", name="Each rep's call").wait_for(timeout=30_000)
        manager.locator(".st-key-fc_adjust_rep input").click()
        manager.keyboard.type(rep_id)
        manager.keyboard.press("Enter")
        manager.locator(".st-key-fc_adjust_commit input").fill("600000")
        manager.locator(".st-key-fc_adjust_note input").fill("大客户推迟到十二月")
        manager.get_by_role("button", name="Adjust", exact=True).click()
        settle(manager)
        manager.get_by_text(f"The forecast of {rep_name} ({rep_id}) is adjusted.").wait_for(
            timeout=30_000
        )

        director = open_as("director")
        heading = director.get_by_role("heading", name="Forecast by region")
        heading.wait_for(timeout=30_000)
        director.wait_for_selector('[data-testid="stVegaLiteChart"] canvas, '
                                   '[data-testid="stVegaLiteChart"] svg')  # fmt: skip
        settle(director)
        with director.expect_download() as download:
            director.locator(".st-key-fc_regions_download button").click()
        lines = Path(download.value.path()).read_text(encoding="utf-8-sig").splitlines()
        director.screenshot(path=str(shot("forecast.png")),
                            clip={"x": 0, "y": 0, "width": 1400, "height": 1100})  # fmt: skip
    finally:
        for context in tabs:
            context.close()
    with engine.connect() as conn:
        loaded = reads.forecasts(conn, Scope.everything(), "2026-11", AS_OF)
    engine.dispose()
    mine = loaded.reps.set_index("rep").loc[rep_id]
    assert (mine["submitted_commit"], mine["commit"], mine["adjusted_by"]) == (
        65_432_100, 60_000_000, "manager")  # fmt: skip
    header, *rows = list(csv.reader(lines))
    region = dict(zip(header, next(r for r in rows if "(R001)" in r[0]), strict=True))
    expected = loaded.regions.set_index("region").loc["R001"]
    assert float(region["Commit"]) == expected["commit"] / 100
    assert float(region["Submitted commit"]) == expected["submitted_commit"] / 100
