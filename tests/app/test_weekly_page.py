"""The weekly page (issue 5): the Monday report for a manager's region, with its downloads."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from crm_core import formatting as fmt
from crm_core.periods import iso_week_period
from crm_core.scope import Scope
from crm_core.weekly_flags import parse_rules
from db.engine import make_engine
from db.schema import Rep
from services import weekly
from tests.app.conftest import all_text, page

pytestmark = pytest.mark.usefixtures("demo_db")
RULES = "top=2,reports=1,key_customers=1"  # looser than the defaults: the XS demo is small


def test_a_manager_sees_their_regions_monday_report_and_can_download_it() -> None:
    app = page("weekly", "manager")
    assert not app.exception and not app.error
    assert app.selectbox(key="weekly_week").value == "2026-W46"  # as of Wed 18 Nov
    with make_engine().connect() as conn:
        facts = weekly.week_facts(conn, Scope.for_manager(["R001"]), iso_week_period("2026-W46"))
        others = list(conn.scalars(select(Rep.name).where(Rep.region_id != "R001")))
    summary = next(d.value for d in app.dataframe if "Metric" in d.value.columns)
    summary = summary.set_index("Metric")
    assert summary.loc["Week revenue", "This week"] == fmt.money(facts.revenue)
    assert summary.loc["Collections", "This week"] == fmt.money(facts.collections)
    text = all_text(app)
    assert not [name for name in others if name in text]
    downloads = [element for element in app.get("download_button")]
    assert len(downloads) == 3


def test_a_director_picks_another_week() -> None:
    app = page("weekly", "director")
    app.selectbox(key="weekly_week").set_value("2026-W44").run()
    assert not app.exception
    assert "2026-W44: 2026-10-26 – 2026-11-01" in app.caption[0].value


def test_the_decisions_are_the_first_few_and_the_rest_one_click_away(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Issue 37.1: at most ``top`` decisions open the report, region items first; every
    exception is in an expander under them."""
    monkeypatch.setenv("CRM_WEEKLY_RULES", RULES)
    with make_engine().connect() as conn:
        report = weekly.monday_report(
            conn, Scope.everything(), iso_week_period("2026-W46"), "", rules=parse_rules(RULES)
        )
    assert len(report.items) > 2, "the demo week has more than two exceptions"
    app = page("weekly", "director")
    assert not app.exception and not app.error
    tables = [d.value for d in app.dataframe if "About" in d.value.columns]
    first, every = tables
    assert list(first["About"]) == list(report.items.about[:2])
    assert list(every["About"]) == list(report.items.about)
    [expander] = [e for e in app.expander if e.label.startswith("All ")]
    assert expander.label == f"All {len(report.items)} exceptions (the first 2 are above)"
    kinds = list(report.items.kind)
    assert kinds == sorted(kinds, key=lambda kind: kind != "region")  # regions first


def test_a_text_column_is_as_wide_as_its_longest_text() -> None:
    """Issue 40.15: the grid sizes a column to its content only up to a limit and never wraps,
    so the reps' Exceptions were cut; each text column of the report is as wide as its
    longest text (7 px a character, 14 a Chinese one, 32 of padding)."""
    import json

    app = page("weekly", "director")
    reps = next(d for d in app.dataframe if "Exceptions" in d.value.columns)
    longest = max(len(str(v)) for v in reps.value["Exceptions"] if v is not None)
    assert longest * 7 > 500, "the demo week has a rep with several exceptions"
    config = json.loads(reps.proto.columns)
    widths = {c.get("label"): c.get("width") for c in config.values()}
    assert widths["Exceptions"] >= 7 * longest + 32, widths


def test_without_a_chinese_font_the_page_says_why_there_is_no_pdf(
    monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    """Issue 40.16: no font, no PDF button, and a plain reason in its place."""
    monkeypatch.setenv("CRM_CJK_FONT", str(tmp_path / "none.ttc"))
    app = page("weekly", "manager")
    assert not app.exception
    labels = [b.proto.label for b in app.get("download_button")]
    assert labels == ["Download Excel", "Download Markdown"], labels
    assert any("the server has no Chinese font" in w.value for w in app.warning)
