"""Issue 13 on SQLite and PostgreSQL: spreadsheet output never runs a formula, sign-off and
submission cannot be raced, imports keep the editors' write rules."""

from __future__ import annotations

import csv
import io
from datetime import date

from openpyxl import load_workbook
from sqlalchemy import Engine, update

from crm_core.periods import iso_week_period
from crm_core.scope import Scope
from db import report_files, weekly
from db.schema import Customer, Rep
from db.transfer import export_records, import_rows, read_table_file, write_table_file
from tests.world import load_world

EVIL = '=HYPERLINK("http://x","c")'


def _evil_world(engine: Engine) -> None:
    load_world(engine)
    with engine.begin() as conn:
        conn.execute(update(Customer).where(Customer.customer_id == "C1").values(name=EVIL))
        conn.execute(update(Rep).where(Rep.rep_id == "E02").values(name="=1+2"))


def _exported(engine: Engine, table: str, filename: str) -> bytes:
    with engine.connect() as conn:
        return write_table_file(list(export_records(conn, table)), filename)


def _formula_cells(content: bytes) -> list[str]:
    workbook = load_workbook(io.BytesIO(content))
    return [
        f"{sheet.title}!{cell.coordinate}"
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]


def test_an_xlsx_export_keeps_a_formula_name_as_text(engine: Engine) -> None:
    _evil_world(engine)
    content = _exported(engine, "customers", "customers.xlsx")
    assert _formula_cells(content) == []
    names = [row[1] for row in read_table_file(content, "customers.xlsx")[1:]]
    assert EVIL in names


def test_a_csv_export_quotes_a_formula_name_and_reimports_unchanged(engine: Engine) -> None:
    _evil_world(engine)
    content = _exported(engine, "customers", "customers.csv")
    cells = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert [row[1] for row in cells if row[0] == "C1"] == ["'" + EVIL]
    again = import_rows(engine, "customers", read_table_file(content, "c.csv"), "c.csv")
    assert again.ok and (again.inserted, again.updated) == (0, 0)


def test_the_monday_report_xlsx_holds_no_formula(engine: Engine) -> None:
    _evil_world(engine)
    with engine.connect() as conn:
        report = weekly.monday_report(conn, Scope.everything(), iso_week_period("2026-W41"), "=x")
    content = report_files.xlsx(report, "en")
    assert _formula_cells(content) == []
    texts = [
        cell.value
        for sheet in load_workbook(io.BytesIO(content)).worksheets
        for row in sheet.iter_rows()
        for cell in row
    ]
    assert "=1+2" in texts


def test_world_dates_are_the_ones_these_tests_assume() -> None:
    assert iso_week_period("2026-W41").start == date(2026, 10, 5)
