"""ui.charts.draw: a chart is checked against the Vega-Lite schema when CRM_VALIDATE_CHARTS is
1 (as in every test) and sent unchecked otherwise, with the same spec."""

from pathlib import Path

import altair as alt
import pandas as pd
import pytest
from altair.utils.schemapi import SchemaValidationError

from ui import charts


class Where:
    """Stands in for ``st`` or a column: converts the chart as Streamlit does (``to_dict()``)."""

    def __init__(self) -> None:
        self.kwargs: list[dict[str, object]] = []

    def altair_chart(self, chart: alt.TopLevelMixin, **kwargs: object) -> dict:
        self.kwargs.append(kwargs)
        return chart.to_dict()


def bars() -> alt.Chart:
    return (
        alt.Chart(pd.DataFrame({"rep": ["张伟", "李娜"], "revenue": [1200, 800]}))
        .mark_bar()
        .encode(x="revenue:Q", y="rep:N")
    )


def broken() -> alt.Chart:
    chart = bars()
    chart["mark"] = {"type": "bar", "opacity": "high"}  # not a number: the schema refuses it
    return chart


def test_checked_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRM_VALIDATE_CHARTS", "1")
    where = Where()
    with pytest.raises(SchemaValidationError):
        charts.draw(where, broken(), width="stretch")
    assert where.kwargs == [{"width": "stretch"}]


def test_sent_unchecked_otherwise_with_the_same_spec(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CRM_VALIDATE_CHARTS", raising=False)
    where = Where()
    assert charts.draw(where, broken())["mark"] == {"type": "bar", "opacity": "high"}
    assert charts.draw(where, bars(), key="k") == bars().to_dict(validate=True)
    assert where.kwargs == [{}, {"key": "k"}]


def test_every_page_draws_its_charts_through_draw() -> None:
    root = Path(__file__).resolve().parents[2]
    sources = [*root.glob("ui/*.py"), *root.glob("pages/*.py"), root / "dashboard.py"]
    direct = [
        f"{path.relative_to(root)}:{number}"
        for path in sources
        if path.name != "charts.py" or path.parent.name != "ui"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if ".altair_chart(" in line or ".vega_lite_chart(" in line
    ]
    assert direct == []


def test_money_axes_read_short_and_percent_legends_carry_their_sign(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    source = (Path(__file__).resolve().parents[2] / "ui" / "charts.py").read_text()
    assert 'axis=alt.Axis(format=",.0f")' not in source  # every money axis is money_axis()
    monkeypatch.setattr(charts.units, "in_wan", lambda: False)
    yuan = charts.money_axis().to_dict()["labelExpr"]
    assert "/ 1e6" in yuan and "'M'" in yuan and "'K'" in yuan
    monkeypatch.setattr(charts.units, "in_wan", lambda: True)
    assert charts.money_axis().to_dict()["labelExpr"].endswith("'万'")
    assert charts.percent_legend().to_dict()["labelExpr"] == "datum.label + '%'"


class Page:
    """Stands in for ``st``: a planned chart arrives as its Vega-Lite spec."""

    def __init__(self) -> None:
        self.specs: list[dict] = []

    def vega_lite_chart(self, spec: dict, **kwargs: object) -> dict:
        self.specs.append(spec)
        return kwargs


BUILT: list[tuple] = []


@charts.planned
def counted_bars(frame: pd.DataFrame, title: str) -> alt.Chart:
    BUILT.append((len(frame), title))
    return alt.Chart(frame).mark_bar().encode(x=alt.X("revenue:Q", title=title), y="rep:N")


@pytest.fixture
def viewer(monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    """The viewer's language and money unit, as the builders read them."""
    chosen: dict[str, object] = {"lang": "en", "wan": False}
    monkeypatch.setattr(charts, "language", lambda: chosen["lang"])
    monkeypatch.setattr(charts.units, "in_wan", lambda: chosen["wan"])
    charts.spec_of.clear()
    BUILT.clear()
    return chosen


def test_a_planned_chart_is_built_once_for_the_same_numbers_and_viewer(
    viewer: dict[str, object],
) -> None:
    page = Page()
    frame = pd.DataFrame({"rep": ["张伟", "李娜"], "revenue": [1200, 800]})
    assert charts.draw(page, counted_bars(frame, "Revenue"), width="stretch") == {
        "width": "stretch"
    }
    charts.draw(page, counted_bars(frame.copy(), "Revenue"), key="again")
    assert BUILT == [(2, "Revenue")]  # equal numbers: the held spec
    assert page.specs[0] is page.specs[1]
    # what Streamlit would have made of the Altair chart, its data as Arrow by content hash
    expected = charts._converted(counted_bars(frame, "Revenue").build())  # built: 2 so far
    assert page.specs[0] == expected
    assert all(isinstance(data, bytes) for data in expected["datasets"].values())
    assert page.specs[0]["encoding"]["x"]["title"] == "Revenue"

    charts.draw(page, counted_bars(frame.assign(revenue=[1200, 801]), "Revenue"))
    charts.draw(page, counted_bars(frame, "收入"))
    viewer["lang"] = "zh"
    charts.draw(page, counted_bars(frame, "Revenue"))
    viewer["wan"] = True
    charts.draw(page, counted_bars(frame, "Revenue"))
    assert len(BUILT) == 6  # other numbers, another title, language or money unit: built anew
    assert page.specs[2]["datasets"] != page.specs[0]["datasets"]


def test_a_chart_of_arguments_that_cannot_be_kept_is_built_each_time(
    viewer: dict[str, object],
) -> None:
    @charts.planned
    def with_a_function(frame: pd.DataFrame, label: object) -> alt.Chart:
        BUILT.append(len(frame))
        return alt.Chart(frame).mark_bar().encode(x="revenue:Q", y="rep:N")

    page = Page()
    frame = pd.DataFrame({"rep": ["张伟"], "revenue": [1200]})
    for _ in range(2):
        charts.draw(page, with_a_function(frame, lambda: "not picklable"))
    assert BUILT == [1, 1]
    assert page.specs[0] == page.specs[1]


def test_a_planned_chart_answers_as_the_altair_chart(viewer: dict[str, object]) -> None:
    frame = pd.DataFrame({"rep": ["张伟"], "revenue": [1200]})
    planned = counted_bars(frame, "Revenue")
    assert planned.to_dict()["mark"] == {"type": "bar"}
    assert planned.build() is planned.build() and BUILT == [(1, "Revenue")]
