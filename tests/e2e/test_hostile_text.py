"""Issue 39.2 in the browser, the only place Streamlit's Markdown shows: a rep name, a region
name and a market report typed with an image, a link and a bare URL reach the meeting slides as
text, with no image fetched and no link made (bare URLs are linked after escapes are undone)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from sqlalchemy import update

from bench import app
from db import migrate, users
from db.engine import make_engine
from db.schema import MarketReport, Region, Rep
from tests.e2e.conftest import _require_browser, settle, sign_in
from tests.world import load_world

TYPED = "![x](http://127.0.0.1:9/p.png) **b** [l](http://127.0.0.1:9) www.example.com"


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    _require_browser()
    path = tmp_path_factory.mktemp("hostile") / "world.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    load_world(engine)
    with engine.begin() as conn:
        conn.execute(update(Rep).values(name=TYPED))
        conn.execute(update(Region).where(Region.region_id == "R001").values(name=TYPED))
        conn.execute(update(MarketReport).values(summary=TYPED))
        users.add_user(conn, "boss", "Boss", "director", "demo")
    engine.dispose()
    env = {**os.environ, "CRM_DATABASE_URL": f"sqlite:///{path}", "CRM_AS_OF": "2026-10-20",
           "CRM_COOKIE_KEY": "e2e-" + "h" * 44}  # fmt: skip
    process, url = app.start(env, seconds=60)
    try:
        yield url
    finally:
        app.stop(process)


CONTENT = '[data-testid="stTable"], [data-testid="stCaptionContainer"], h1'


def test_no_meeting_slide_makes_an_image_or_a_link_of_typed_text(
    browser: object, hostile_server: str
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    try:
        page = context.new_page()
        sign_in(page, hostile_server, "boss")
        page.goto(f"{hostile_server}/meeting?week=2026-W41&slide=1")
        settle(page)
        count = int(page.get_by_text("Slide 1 of").inner_text().split(" of ")[1].split()[0])
        shown = []
        for number in range(1, count + 1):
            page.goto(f"{hostile_server}/meeting?week=2026-W41&slide={number}")
            settle(page)
            content = page.locator(CONTENT)
            links = content.locator("a:not([href^='#'])")
            assert links.count() == 0, (number, links.first.evaluate("e => e.outerHTML"))
            assert page.locator("main img").count() == 0, number
            shown.append(content.all_inner_texts())
    finally:
        context.close()
    text = "\n".join("\n".join(part) for part in shown).replace("\u2060", "")
    assert TYPED in text, "the typed text is on the slides, as typed"
