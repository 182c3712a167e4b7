"""Same numbers everywhere (issue 15.6): for one week and one manager, the Monday report's
figures are the weekly page's, `kpi weekly`'s and the Excel file's."""

from __future__ import annotations

import io
import os

import pytest
from openpyxl import load_workbook

from crm_core import formatting as fmt
from crm_core.catalog import text
from crm_core.periods import iso_week_period
from crm_core.scope import Scope
from crm_core.weekly import MONEY, RATIOS
from db.engine import make_engine
from reports import files as report_files
from services import weekly
from tests.app.conftest import page
from tests.conftest import kpi_rows

WEEK = "2026-W46"


def test_the_report_the_page_the_cli_and_the_excel_file_agree(demo_db: str) -> None:
    with make_engine().connect() as conn:
        report = weekly.monday_report(
            conn, Scope.for_manager(["R001"]), iso_week_period(WEEK), "华东区"
        )
    mine = dict(zip(report.summary.metric, report.summary.this_week, strict=True))

    rows = kpi_rows(demo_db, "weekly", "--from", "2026-11-09", "--as", "manager",
                    env={"CRM_AS_OF": os.environ.get("CRM_AS_OF", "")})  # fmt: skip
    cli = {row["metric"]: row["this_week"] for row in rows}
    assert set(cli) == set(mine)
    for metric, value in mine.items():
        if value is None:
            assert cli[metric] is None, metric
        elif metric in MONEY:
            assert cli[metric] == pytest.approx(value / 100), metric
        else:
            assert cli[metric] == pytest.approx(value), metric

    app = page("weekly", "manager")
    app.selectbox(key="weekly_week").set_value(WEEK).run()
    shown = next(d.value for d in app.dataframe if "Metric" in d.value.columns)
    shown = dict(zip(shown["Metric"], shown["This week"], strict=True))
    for metric, value in mine.items():
        expected = (
            fmt.money(value) if metric in MONEY
            else fmt.ratio(value) if metric in RATIOS else fmt.count(value)
        )  # fmt: skip
        assert shown[text(metric, "en")] == expected, metric

    workbook = load_workbook(io.BytesIO(report_files.xlsx(report, "en")))
    cells = {
        row[0]: row[1] for row in workbook.worksheets[0].iter_rows(min_row=4, values_only=True)
    }
    for metric, value in mine.items():
        stored = None if value is None else (value / 100 if metric in MONEY else value)
        assert cells[text(metric, "en")] == pytest.approx(stored), metric


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_sheet_of_the_excel_file_is_named_in_full(demo_db: str, lang: str) -> None:
    """Issue 40.15: Excel cuts a sheet's name at 31 characters ("Customers below half their
    8-we…"); each section's sheet carries its title or a short one, never a cut one."""
    with make_engine().connect() as conn:
        report = weekly.monday_report(conn, Scope.everything(), iso_week_period(WEEK), "全国")
    names = load_workbook(io.BytesIO(report_files.xlsx(report, lang))).sheetnames
    expected = [report_files.sheet_name(s, lang) for s in report_files.sections_of(report)]
    assert sorted(names) == sorted([*expected, report_files.sheet_name("charts", lang)])
    for section in [*report_files.SECTIONS, "summary", "charts"]:
        name = report_files.sheet_name(section, lang)
        assert len(name) <= 31, name
        assert name == text(f"section_{section}", lang) or section in report_files.SHEET_KEYS
