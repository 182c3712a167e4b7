"""The app shell: login gate, pages per role, scope, URL filters, language (issue 3)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from crm_core import formatting as fmt
from crm_core.overview import comparable_previous, owner_results
from crm_core.presets import preset_period
from crm_core.scope import Role, Scope
from db import queries
from db.engine import make_engine
from db.schema import Region, Rep
from tests.app.conftest import AS_OF, all_text, entry, page
from ui.navigation import PAGES, may_open, pages_for

pytestmark = pytest.mark.usefixtures("demo_db")
PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def test_logged_out_entry_shows_only_the_login_form() -> None:
    app = entry().run()
    assert not app.exception
    assert [box.label for box in app.text_input] == ["Username", "Password"]
    assert not app.metric and not app.dataframe


def test_a_wrong_password_is_refused() -> None:
    app = entry().run()
    app.text_input[0].input("director")
    app.text_input[1].input("wrong")
    app.button[0].click().run()
    assert "Username or password is incorrect." in [e.value for e in app.error]
    assert not app.metric


def test_signing_in_through_the_form_opens_the_overview() -> None:
    app = entry().run()
    app.text_input[0].input("manager")
    app.text_input[1].input("demo")
    app.button[0].click().run()
    assert not app.exception
    assert [m.label for m in app.metric] == [
        "Revenue",
        "Gross margin",
        "Collections",
        "New customers",
    ]


def test_the_footer_shows_the_release_before_and_after_sign_in() -> None:
    """Issue 41.1: the version written in pyproject.toml, on the login form and the sidebar."""
    version = re.search(r'^version = "([^"]+)"$', PYPROJECT.read_text(), re.MULTILINE).group(1)
    footer = f"Sales process dashboard {version} · Apache-2.0 licence"
    app = entry().run()
    assert footer in [c.value for c in app.caption]
    app.text_input[0].input("manager")
    app.text_input[1].input("demo")
    app.button[0].click().run()
    assert footer in [c.value for c in app.sidebar.caption]


@pytest.mark.parametrize("username", ["director", "manager", "rep"])
@pytest.mark.parametrize("spec", PAGES, ids=lambda p: p.page_id)
def test_every_page_runs_for_each_role_or_refuses_it(username: str, spec) -> None:
    app = page(spec.page_id, username)
    assert not app.exception
    if may_open(Role(username), spec.page_id):
        assert not [e for e in app.error if "could not be shown" in e.value]
    else:
        assert [e.value for e in app.error] == ["You do not have access to this page."]
        assert not app.metric and not app.dataframe


OPEN_PAGES = [
    (user, spec.page_id)
    for user in ("director", "rep")
    for spec in PAGES
    if may_open(Role(user), spec.page_id)
]


@pytest.mark.parametrize(("username", "page_id"), OPEN_PAGES)
def test_every_page_runs_in_chinese(username: str, page_id: str) -> None:
    """Every string a page shows has its 简体中文 entry (a missing one fails the section)."""
    app = page(page_id, username, lang="zh")
    assert not app.exception
    assert not [e.value for e in app.error]
    assert app.title and any("\u4e00" <= ch <= "\u9fff" for ch in app.title[0].value)


def test_each_role_gets_exactly_its_pages() -> None:
    leaders = [
        "overview", "targets", "daily", "weekly", "meeting", "monthly", "efficiency", "pipeline",
        "forecast", "customers", "data",
    ]  # fmt: skip
    assert [p.page_id for p in pages_for(Role.DIRECTOR)] == leaders
    assert [p.page_id for p in pages_for(Role.MANAGER)] == leaders
    assert [p.page_id for p in pages_for(Role.REP)] == [
        "overview",
        "targets",
        "daily",
        "efficiency",
        "pipeline",
        "forecast",
        "customers",
    ]


def test_a_page_opened_without_signing_in_shows_nothing() -> None:
    from streamlit.testing.v1 import AppTest

    from tests.app.conftest import page_path

    app = AppTest.from_file(page_path("overview"), default_timeout=30).run()
    assert [w.value for w in app.warning] == ["Please sign in first."]
    assert not app.metric


def core_results(scope: Scope) -> list:
    period = preset_period("this_month", AS_OF)
    previous = comparable_previous(period, AS_OF)
    with make_engine().connect() as conn:
        now = queries.actuals_by(conn, scope, period.start, period.end).iloc[0].to_dict()
        before = queries.actuals_by(conn, scope, previous.start, previous.end).iloc[0].to_dict()
        targets = queries.targets_by(conn, scope, "2026-10", "2026-11", ["month"])
    monthly: dict = {}
    for row in targets.itertuples():
        monthly.setdefault(row.metric, {})[row.month] = int(row.target)
    return owner_results(now, before, monthly, period, AS_OF)


def other_region_names() -> list[str]:
    with make_engine().connect() as conn:
        regions = list(conn.scalars(select(Region.name).where(Region.region_id != "R001")))
        reps = list(conn.scalars(select(Rep.name).where(Rep.region_id != "R001")))
    return regions + reps


def test_a_managers_overview_shows_the_cores_numbers_for_their_region_only() -> None:
    app = page("overview", "manager")
    expected = core_results(Scope.for_manager(["R001"]))
    shown = {m.label: m.value for m in app.metric}
    assert shown == {
        "Revenue": fmt.money(expected[0].actual),
        "Gross margin": fmt.money(expected[1].actual),
        "Collections": fmt.money(expected[2].actual),
        "New customers": fmt.count(expected[3].actual),
    }
    captions = [c.value for c in app.caption]
    card = f"Target {fmt.money(expected[0].target)} · {fmt.ratio(expected[0].attainment)} · "
    assert any(c.startswith(card) for c in captions)
    text = all_text(app)
    assert not [name for name in other_region_names() if name in text]


def test_the_director_sees_more_than_the_manager() -> None:
    director = core_results(Scope.everything())[0].actual
    manager = core_results(Scope.for_manager(["R001"]))[0].actual
    assert 0 < manager < director
    assert page("overview", "director").metric[0].value == fmt.money(director)


def test_filters_in_the_query_string_round_trip() -> None:
    app = entry("director", period="last_month", region="R002", lang="en").run()
    assert not app.exception
    assert app.session_state["f_preset"] == "last_month"
    assert app.session_state["f_region"] == ["R002"]
    assert app.query_params["period"] == "last_month"
    assert app.query_params["region"] == "R002"
    filters = app.session_state["filters"]
    assert (filters.period.start.isoformat(), filters.period.end.isoformat()) == (
        "2026-10-01",
        "2026-10-31",
    )


def test_a_custom_range_link_reproduces_the_range() -> None:
    app = entry("director", period="custom", **{"from": "2026-09-07", "to": "2026-09-20"}).run()
    filters = app.session_state["filters"]
    assert (filters.period.start.isoformat(), filters.period.end.isoformat()) == (
        "2026-09-07",
        "2026-09-20",
    )
    assert app.query_params["from"] == "2026-09-07"
    assert app.query_params["lang"] == "en", "the app writes the whole view into the URL"


def test_a_link_naming_another_region_shows_a_manager_nothing_of_it() -> None:
    app = entry("manager", region="R002").run()
    assert not app.exception
    assert app.session_state["f_region"] == []
    assert "Not visible to you and ignored: R002" in [w.value for w in app.warning]
    own = core_results(Scope.for_manager(["R001"]))[0].actual
    assert app.metric[0].value == fmt.money(own)
    text = all_text(app)
    assert not [name for name in other_region_names() if name in text]


def test_a_rep_filter_narrows_the_director_to_that_rep() -> None:
    app = entry("director", rep="E0003").run()
    expected = core_results(Scope.everything().narrow(rep_ids=["E0003"]))[0].actual
    assert app.metric[0].value == fmt.money(expected)


ENGLISH_LABELS = ["Revenue", "Gross margin", "Collections", "New customers", "Target:",
                  "Attainment:", "Variance:", "Pace:", "Results against target", "12 months",
                  "Metric", "Download CSV", "as of"]  # fmt: skip


def test_in_chinese_every_overview_label_is_chinese_and_in_english_english() -> None:
    chinese = page("overview", "director", lang="zh")
    assert [m.label for m in chinese.metric] == ["销售额", "毛利", "回款", "新客户"]
    text = all_text(chinese)
    assert [label for label in ENGLISH_LABELS if label in text] == []
    assert "目标达成" in text and "达成率" in text and "近12个月" in text
    english = page("overview", "director", lang="en")
    assert [m.label for m in english.metric] == [
        "Revenue",
        "Gross margin",
        "Collections",
        "New customers",
    ]
    assert "目标达成" not in all_text(english)


def test_every_ui_string_has_an_english_and_a_chinese_text() -> None:
    from ui.i18n import CATALOG

    assert [key for key, (en, zh) in CATALOG.items() if not en or not zh or en == zh] == []


def test_the_login_page_says_how_to_create_the_first_user_on_an_empty_database(
    tmp_path, monkeypatch
) -> None:
    from db import migrate

    url = f"sqlite:///{tmp_path / 'empty.sqlite'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    monkeypatch.setenv("CRM_DATABASE_URL", url)
    app = entry().run()
    assert not app.exception
    [notice] = [w.value for w in app.warning]
    assert "no users yet" in notice and "user add boss --role director" in notice


def test_the_login_page_does_not_mention_creating_users_when_there_are_some() -> None:
    app = entry().run()
    assert not app.warning


@pytest.mark.parametrize("page_id", ["pipeline", "efficiency", "customers", "weekly", "daily",
                                     "monthly"])  # fmt: skip
def test_a_page_that_does_not_apply_the_product_filter_says_so(page_id: str) -> None:
    """Issue 14.3, in part: a filter that looks active is never silently ignored."""
    app = page(page_id, "director", filters=_with_product("P001"))
    assert not app.exception
    assert any("filter does not apply to this page" in i.value for i in app.info), page_id


def _with_product(product: str):  # noqa: ANN202
    from crm_core.presets import preset_period
    from ui.filters import Filters

    return Filters(preset_period("this_month", AS_OF), AS_OF, product_ids=(product,))


def test_an_older_database_is_named_with_the_command_that_migrates_it(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A copy of the app upgraded over a database of an older schema says what to run instead
    of failing on a missing table in some page."""
    from db import migrate

    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    old = make_engine(url)
    migrate.upgrade(old, "0014")
    old.dispose()
    monkeypatch.setenv("CRM_DATABASE_URL", url)
    app = entry().run()
    assert not app.exception
    [error] = app.error
    said = error.value.replace("\\", "")  # as shown: the Markdown escapes of fmt.plain gone
    assert "schema is at revision 0014" in said and "python cli.py db init" in said
    assert not app.text_input, "no sign-in form on a database the app cannot read"


# the pages whose text the scan below reads in 中文
ZH_SCANNED = ("overview", "data", "forecast", "weekly", "daily", "pipeline")


@pytest.mark.parametrize("page_id", ZH_SCANNED)
def test_in_chinese_no_english_sentence_of_the_catalog_shows(page_id: str) -> None:
    from ui.i18n import CATALOG

    english = {en for en, zh in CATALOG.values() if " " in en and len(en) >= 12 and en != zh}
    shown = all_text(page(page_id, "director" if page_id != "daily" else "manager", lang="zh"))
    assert [e for e in english if "{" not in e and e in shown] == []


def test_the_report_files_are_named_in_the_reader_s_language() -> None:
    from types import SimpleNamespace

    from reports.files import file_stem

    week = SimpleNamespace(week_label="2026-W48")
    assert file_stem(week, "zh") == "销售管理周报_2026-W48"
    assert file_stem(week, "en") == "monday_report_2026-W48"
