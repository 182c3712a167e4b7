"""Money in 万元 (issue 14.8): offered in 中文, kept in the URL, applied to the figures and
the tables (numbers stay numbers, the unit goes into the header)."""

from __future__ import annotations

import pytest

from crm_core import formatting as fmt
from crm_core.pipeline import open_pipeline
from crm_core.presets import preset_period
from crm_core.scope import FactFilter, Scope
from db import pipeline as pipeline_db
from db.engine import make_engine
from services import measures
from tests.app.conftest import AS_OF, entry, page

pytestmark = pytest.mark.usefixtures("demo_db")


def regions_table(app: object) -> object:
    frames = [getattr(d.value, "data", d.value) for d in app.dataframe]
    return next(f for f in frames if "区域" in f.columns)


def test_targets_in_wan_put_the_unit_in_the_header_and_keep_numbers() -> None:
    app = page("targets", "director", lang="zh", money_wan=True)
    assert not app.exception
    period = preset_period("this_month", AS_OF)
    with make_engine().connect() as conn:
        expected = measures.targets_table(
            conn, Scope.everything(), period, AS_OF, ["region"], ["revenue"], FactFilter()
        )
    table = regions_table(app)
    assert "目标（万元）" in table.columns and "实际（万元）" in table.columns
    # R001's target of ¥x is shown as x / 10,000 万元 (cents / 1,000,000)
    east = table[table["区域"].str.endswith("(R001)")].iloc[0]
    target = expected.set_index("region").loc["R001", "target"]
    assert east["目标（万元）"] == pytest.approx(target / 1_000_000)


def test_the_same_page_in_yuan_has_no_unit_in_the_header() -> None:
    app = page("targets", "director", lang="zh")
    assert "目标" in regions_table(app).columns


def test_the_toggle_is_read_from_and_kept_in_the_link() -> None:
    # (AppTest cannot rerun a 中文 page with a translated select box, so each state is a run
    # of its own; the browser test switches the toggle.)
    app = entry("director", lang="zh", unit="wan").run()
    assert not app.exception
    assert app.toggle(key="money_wan").value is True
    assert app.query_params["unit"] in ("wan", ["wan"])
    revenue = next(m for m in app.metric if m.label == "销售额")
    assert revenue.value.startswith("¥") and revenue.value.endswith("万")
    plain = entry("director", lang="zh").run()
    assert plain.toggle(key="money_wan").value is False
    assert "unit" not in plain.query_params
    assert not next(m for m in plain.metric if m.label == "销售额").value.endswith("万")


def test_english_offers_no_wan_toggle_and_ignores_the_parameter() -> None:
    app = entry("director", lang="en", unit="wan").run()
    assert not app.toggle
    assert not next(m for m in app.metric if m.label == "Revenue").value.endswith("万")


def test_a_download_built_on_click_keeps_the_viewers_language_and_unit() -> None:
    import pandas as pd

    from ui import customers_view
    from ui.i18n import kept

    listed = pd.DataFrame(
        {"customer_id": ["C1"], "name": ["甲"], "owner": ["P1"], "revenue": [25_000_000],
         "potential": [100_000_000]}
    )  # fmt: skip
    reps = pd.Series({"P1": "张三"})
    with kept(("zh", True)):  # 中文, money in 万元: ¥250,000 = 25.0 万元
        rows = customers_view.list_rows(listed, reps)
    assert list(rows.columns) == ["客户", "负责业务员", "销售额（万元）", "年采购潜力（万元）"]
    assert list(rows.iloc[0]) == ["甲 (C1)", "张三 (P1)", 25.0, 100.0]
    with kept(("en", False)):
        rows = customers_view.list_rows(listed, reps)
    assert list(rows.columns)[2:] == ["Revenue", "Annual potential"]
    assert list(rows.iloc[0])[2:] == [250_000.0, 1_000_000.0]


def test_a_column_of_codes_is_translated_each_row_in_the_viewers_language() -> None:
    from ui.i18n import kept, t_each

    codes = ["stage_developed", "cover_thin", "stage_developed", "stage_identified"]
    with kept(("en", False)):
        assert t_each(codes) == ["developed", "below 3×", "developed", "identified"]
    with kept(("zh", False)):
        assert t_each(iter(codes)) == ["发展", "不足3倍", "发展", "识别需求"]
    assert t_each([]) == []


def weighted_pipeline() -> int:
    with make_engine().connect() as conn:
        deals = pipeline_db.open_deals(conn, Scope.everything(), AS_OF)
    return int(open_pipeline(deals).set_index("stage").loc["total"].weighted)


@pytest.mark.parametrize(
    ("wan", "exact"), [(False, fmt.money), (True, fmt.wan)], ids=["yuan", "wan"]
)
def test_a_long_sum_on_a_card_is_short_in_chinese_with_the_exact_sum_to_hover(
    wan: bool, exact: object
) -> None:
    # The card's large type holds about ten characters: the company's weighted pipeline
    # (over ¥1,000,000 at S) is written in 万 or 亿, four significant digits, and the sum in
    # the viewer's own unit is its tooltip.
    weighted = weighted_pipeline()
    assert weighted >= 100_000_000
    app = page("pipeline", "director", lang="zh", money_wan=wan)
    assert not app.exception
    card = next(m for m in app.metric if m.label == "加权金额")
    assert card.value == fmt.short_money(weighted, "zh")
    assert card.value[-1] in "万亿" and len(card.value) <= 8
    assert card.help == exact(weighted)
