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
