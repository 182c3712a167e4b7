"""Issue 13 on SQLite and PostgreSQL: spreadsheet output never runs a formula, sign-off and
submission cannot be raced, imports keep the editors' write rules."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine, update

from crm_core.periods import iso_week_period
from crm_core.scope import Scope
from db.schema import Customer, Rep
from db.transfer import export_records, import_rows, read_table_file, write_table_file
from reports import files as report_files
from services import weekly
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


# ---------------------------------------------------------------- 13.3 import keeps the rules

MANAGER = Scope.for_manager(["R001"])
TARGETS = "period,metric,amount,region_id,rep_id,product_id\n"


def _import(engine: Engine, table: str, text: str, scope: Scope | None = None):  # noqa: ANN202
    from tests.world import rows_of

    return import_rows(engine, table, rows_of(text), f"{table}.csv", username="east", scope=scope)


def _messages(result) -> list[str]:  # noqa: ANN001
    return [str(e) for e in result.errors]


def test_a_manager_cannot_import_a_rep_target_that_breaks_the_region_total(engine: Engine) -> None:
    load_world(engine)
    result = _import(engine, "targets", TARGETS + "2026-10,revenue,70000,R001,E02,\n", MANAGER)
    assert not result.ok and not result.written
    assert _messages(result) == [
        "targets.csv:1:amount: target mismatch: revenue 2026-10 region R001 is ¥60,000.00 but "
        "its parts sum to ¥70,000.00; nothing written"
    ]
    with engine.connect() as conn:
        assert ["2026-10", "revenue", "60000.00", "R001", "E02", ""] in list(
            export_records(conn, "targets")
        )


def test_a_director_cannot_import_a_region_total_that_breaks_the_company_sum(
    engine: Engine,
) -> None:
    load_world(engine)
    result = _import(engine, "targets", TARGETS + "2026-10,revenue,50000,R002,,\n")
    assert _messages(result) == [
        "targets.csv:1:amount: target mismatch: revenue 2026-10 company is ¥100,000.00 but "
        "its parts sum to ¥110,000.00; nothing written"
    ]
    fixed = _import(
        engine, "targets", TARGETS + "2026-10,revenue,110000,,,\n2026-10,revenue,50000,R002,,\n"
    )
    assert fixed.ok and fixed.updated == 2


def test_a_manager_splits_only_a_region_total_the_director_has_set(engine: Engine) -> None:
    load_world(engine)
    result = _import(engine, "targets", TARGETS + "2026-12,revenue,1000,R001,E02,\n", MANAGER)
    assert _messages(result) == [
        "targets.csv:2:region_id: revenue 2026-12: region R001 has no target yet; the director "
        "sets it first"
    ]


@pytest.mark.parametrize(
    ("table", "row"),
    [
        ("daily_reports", "report_id,rep_id,date,submitted_at,status,reviewed_by\n"
                          "DR1,E02,2026-10-05,2026-10-05T19:30:00,approved,boss\n"),
        ("activities", "activity_id,date,rep_id,customer_id,kind,purpose,status,planned\n"
                       "A9,2026-10-07,E02,C1,visit,order,planned,true\n"),
    ],
)  # fmt: skip
def test_a_manager_cannot_import_the_reps_own_records(engine: Engine, table: str, row: str) -> None:
    load_world(engine)
    result = _import(engine, table, row, MANAGER)
    assert _messages(result) == [
        f"{table}.csv:1:-: {table} are written by each rep in the app (and signed off there); "
        "only a director imports them, as history"
    ]
