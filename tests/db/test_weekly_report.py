"""The Monday report as files (issue 5): md, xlsx and pdf from the CLI, same numbers, Chinese
rendered, a region's report never naming another region's reps (tests/world.py, 2026-W41:
R001 sold 25,000.00 (O1, E02 李娜); R002 had no order; E03 王强 is R002's rep)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.conftest import cli


@pytest.fixture
def db(world_file: Path) -> Path:
    return world_file


def report(db: Path, tmp_path: Path, kind: str, *extra: str) -> Path:
    out = tmp_path / f"weekly.{kind}"
    done = cli(db, "report", "weekly", "--week", "2026-W41", "--region", "R001",
               "--format", kind, "-o", str(out), *extra)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return out


def test_markdown_has_the_weeks_numbers_in_chinese(db: Path, tmp_path: Path) -> None:
    text = report(db, tmp_path, "md").read_text()
    assert text.startswith("# 销售管理周报 · 华东区 · 2026-W41")
    assert "| 周销售额 | ¥25,000 | ¥0 | +¥25,000 |" in text
    assert "| E02 | 李娜 |" in text
    assert "王强" not in text and "E03" not in text, "nothing of region R002"


def test_the_xlsx_opens_and_holds_the_same_numbers(db: Path, tmp_path: Path) -> None:
    workbook = load_workbook(io.BytesIO(report(db, tmp_path, "xlsx").read_bytes()))
    summary = workbook.worksheets[0]
    rows = {row[0]: row[1:] for row in summary.iter_rows(min_row=4, values_only=True)}
    assert rows["周销售额"][:2] == (25_000, 0)
    assert rows["有效拜访率"][0] == 1.0
    assert [ws.title for ws in workbook.worksheets] == [
        "本周概览",
        "图表",
        "上周行动项",
        "需要决策的事项",
        "业务员",
        "竞争对手动态",
        "未结客诉",
        "销售额低于近8周周均一半的客户",
        "下周计划",
        "本月目标所需的拜访量",
        "本周管道变化",
        "本月业绩预测",
    ]
    assert workbook.active.title == "需要决策的事项"
    reps = {row[0]: row for row in workbook["业务员"].iter_rows(min_row=2, values_only=True)}
    assert reps["E02"][2] == "R001" and reps["E02"][4] == 25_000
    every_cell = " ".join(
        str(c) for ws in workbook for r in ws.iter_rows(values_only=True) for c in r
    )
    assert "王强" not in every_cell


def test_the_pdf_embeds_chinese_text_and_the_numbers(db: Path, tmp_path: Path) -> None:
    reader = PdfReader(report(db, tmp_path, "pdf"))
    # pypdf returns the 2-byte CID text with NULs between characters (poppler's pdftotext
    # gives clean UTF-8 from the same file); drop them.
    text = "".join(page.extract_text() for page in reader.pages).replace("\x00", "")
    assert "华东区" in text and "销售管理周报" in text
    assert "¥25,000" in text
    assert "王强" not in text
    fonts = [str(f) for page in reader.pages for f in page["/Resources"]["/Font"].values()]
    assert fonts, "the CJK font is embedded"
    assert reader.pages[0].mediabox.width > reader.pages[0].mediabox.height, "landscape"


def test_english_and_a_bad_week(db: Path, tmp_path: Path) -> None:
    assert (
        "# Monday report · 华东区 · 2026-W41"
        in report(db, tmp_path, "md", "--lang", "en").read_text()
    )
    bad = cli(db, "report", "weekly", "--week", "2026-47", "--format", "md", "-o", "x.md")
    assert bad.returncode == 2 and "expected an ISO week YYYY-Www" in bad.stderr


@pytest.mark.parametrize("reps", [20, 60])
def test_the_pdf_charts_never_overlap_or_run_off_the_page(reps: int) -> None:
    """The manager's charts page with 20 and 60 reps: each chart as tall as its rows need,
    none over another or past the page's foot (A4 landscape, as the PDF)."""
    from types import SimpleNamespace

    import pandas as pd

    from reports.charts import report_charts
    from reports.files import chart_boxes, png_size

    report = SimpleNamespace(
        by_region=False,
        reps=pd.DataFrame({"name": [f"业务员{n}" for n in range(reps)],
                           "attainment": [0.2 + n / reps for n in range(reps)]}),
        trend=pd.DataFrame({"week": [f"W{n}" for n in range(40, 48)],
                            "revenue": [1_000_000 * n for n in range(8)],
                            "target": [900_000] * 8}),
        funnel=pd.DataFrame({"step": ["dialed", "completed", "appointment", "presentation", "sale"],
                             "count": [100, 50, 13, 13, 5]}),
    )  # fmt: skip
    charts = report_charts(report, "zh", scale=1.0)
    assert [c.key for c in charts] == ["attainment", "trend", "funnel"]
    top, bottom, left, width = 22.0, 210 - 12, 12.0, 297 - 24
    boxes = chart_boxes([png_size(c.png) for c in charts], width, top, bottom, left)
    for box in boxes:
        assert top <= box.y and box.y + box.h <= bottom + 1e-6 and box.x + box.w <= left + width
    for n, a in enumerate(boxes):
        for b in boxes[n + 1 :]:
            apart = (a.page != b.page or a.x + a.w <= b.x or b.x + b.w <= a.x
                     or a.y + a.h <= b.y or b.y + b.h <= a.y)  # fmt: skip
            assert apart, (a, b)
    attainment = png_size(charts[0].png)
    assert boxes[0].h == pytest.approx(min(boxes[0].w * attainment[1] / attainment[0],
                                           bottom - top))  # fmt: skip
