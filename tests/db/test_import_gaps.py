"""Hostile and broken files (issue 13.8) on SQLite and PostgreSQL: each gives a row/column
error and writes nothing, never a traceback; big files are read as a stream."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook
from sqlalchemy import Engine, func, select

from db.formats import FORMATS
from db.transfer import import_rows, open_table_file
from tests.world import load_world

ORDERS = "order_id,date,customer_id,rep_id,product_id,quantity,amount,cost\n"


@pytest.fixture
def world(engine: Engine) -> Engine:
    load_world(engine)
    return engine


def count(engine: Engine, table: str) -> int:
    with engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(FORMATS[table].table))


def errors_of(engine: Engine, table: str, content: bytes, name: str) -> list[str]:
    before = count(engine, table)
    result = import_rows(engine, table, open_table_file(content, name))
    assert not result.ok and not result.written
    assert count(engine, table) == before, "nothing written"
    return [str(e) for e in result.errors]


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("O9,2026-10-05,C1,E02,P1,1,1e30,1.00",
         "o.csv:2:amount: expected a number ≥ 0, found '1e30'"),
        ("O9,2026-10-05,C1,E02,P1,1,12345678901234567890,1.00",
         "o.csv:2:amount: expected a number at most 1,000,000,000,000, found "
         "'12345678901234567890'"),
        ("O9,2026-10-05,C1,E02,P1,99999999999,1.00,1.00",
         "o.csv:2:quantity: expected a number at most 2,147,483,647, found '99999999999'"),
        ('O9,2026-10-05,C1,E02,P1,1,"1,2,3",1.00',
         "o.csv:2:amount: expected a number ≥ 0, found '1,2,3'"),
        ("O9,2026-01-01T99:99:99,C1,E02,P1,1,1.00,1.00",
         "o.csv:2:date: expected a date YYYY-MM-DD, found '2026-01-01T99:99:99'"),
        ("O9,2026-01-01T10:30:00,C1,E02,P1,1,1.00,1.00",
         "o.csv:2:date: expected a date YYYY-MM-DD, found the timestamp '2026-01-01T10:30:00'"),
        ("O9,2026-10-05,C1,E02,P1,1,1.00,1.00,surprise",
         "o.csv:2:-: expected at most 8 cells (the header's), found 9"),
    ],
)  # fmt: skip
def test_each_bad_cell_is_a_row_and_column_error(world: Engine, row: str, expected: str) -> None:
    assert errors_of(world, "orders", (ORDERS + row + "\n").encode(), "o.csv") == [expected]


def test_thousands_separators_in_groups_of_three_still_read(world: Engine) -> None:
    content = (ORDERS + 'O9,2026-10-05,C1,E02,P1,1,"1,234.50",1.00\n').encode()
    assert import_rows(world, "orders", open_table_file(content, "o.csv")).ok


def test_cr_only_line_endings_read_like_any_other(world: Engine) -> None:
    content = "region_id,name\rR101,西南新区\rR102,西北新区\r".encode()
    result = import_rows(world, "regions", open_table_file(content, "r.csv"))
    assert result.ok and result.inserted == 2


def test_a_repeated_header_column_is_refused(world: Engine) -> None:
    content = "region_id,name,name\nR101,甲,乙\n".encode()
    assert errors_of(world, "regions", content, "r.csv") == [
        "r.csv:1:name: column appears more than once in the header"
    ]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"PK\x03\x04 this is not a workbook",
         "x.xlsx:1:-: not a readable Excel .xlsx file (BadZipFile: File is not a zip file); "
         "nothing written"),
        (b"",
         "x.xlsx:1:-: not a readable Excel .xlsx file (BadZipFile: File is not a zip file); "
         "nothing written"),
    ],
)  # fmt: skip
def test_a_corrupt_xlsx_is_one_clear_error(world: Engine, content: bytes, expected: str) -> None:
    assert errors_of(world, "regions", content, "x.xlsx") == [expected]


def test_a_stray_quote_is_a_row_error(world: Engine) -> None:
    content = b'region_id,name\nR101,"unterminated\x00\n'
    [error] = errors_of(world, "regions", content, "r.csv")
    assert error.startswith("r.csv:2:-: not readable as CSV text")


def test_reps_managing_each_other_are_refused(world: Engine) -> None:
    content = "rep_id,name,region_id,manager_id\nE10,甲,R001,E11\nE11,乙,R001,E10\n".encode()
    assert errors_of(world, "reps", content, "reps.csv") == [
        "reps.csv:2:manager_id: expected a manager chain that ends, found the loop E10 → E11 → E10",
        "reps.csv:3:manager_id: expected a manager chain that ends, found the loop E11 → E10 → E11",
    ]


def test_a_rep_managing_themself_is_refused(world: Engine) -> None:
    content = "rep_id,name,region_id,manager_id\nE01,张伟,R001,E01\n".encode()
    assert errors_of(world, "reps", content, "reps.csv") == [
        "reps.csv:2:manager_id: expected a manager chain that ends, found the loop E01 → E01"
    ]


def test_a_rep_closing_a_loop_with_stored_reps_is_refused(world: Engine) -> None:
    """E02 reports to E01 in the world; making E01 report to E02 closes a loop."""
    content = "rep_id,name,region_id,manager_id\nE01,张伟,R001,E02\n".encode()
    assert errors_of(world, "reps", content, "reps.csv") == [
        "reps.csv:2:manager_id: expected a manager chain that ends, found the loop E01 → E02 → E01"
    ]


def test_an_xlsx_with_a_formula_free_text_and_numbers_imports(world: Engine) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["region_id", "name"])
    sheet.append(["R101", "西南新区"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert import_rows(world, "regions", open_table_file(buffer.getvalue(), "r.xlsx")).ok


def test_a_big_file_is_checked_and_written_in_chunks_with_progress(world: Engine) -> None:
    lines = [ORDERS.strip()] + [
        f"B{n:06d},2026-10-05,C1,E02,P1,1,{n % 997}.50,1.00" for n in range(12_000)
    ]
    content = ("\n".join(lines) + "\n").encode()
    seen: list[tuple[int, int]] = []
    result = import_rows(
        world,
        "orders",
        open_table_file(content, "big.csv"),
        progress=lambda d, e: seen.append((d, e)),
    )
    assert result.ok and result.inserted == 12_000
    checked = [d for d, _ in seen[:3]]
    assert checked == [5_000, 10_000, 12_000], "checked 5,000 rows at a time"
    assert seen[-1] == (12_000, 12_000)
    assert count(world, "orders") == 3 + 12_000
