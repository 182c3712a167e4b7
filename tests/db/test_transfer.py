"""Import/export of every SPEC §3 table on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select

from db.formats import FORMATS, TABLE_NAMES
from db.schema import AuditEntry, DataVersion
from db.transfer import export_records, import_rows, read_table_file, write_table_file
from tests.world import WORLD, load_world, rows_of


def count(engine: Engine, table: str) -> int:
    with engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(FORMATS[table].table))


def counts(engine: Engine) -> dict[str, int]:
    return {table: count(engine, table) for table in TABLE_NAMES}


def exported(engine: Engine, table: str) -> list[list[str]]:
    with engine.connect() as conn:
        return list(export_records(conn, table))


def test_the_world_covers_every_table() -> None:
    assert list(WORLD) == list(TABLE_NAMES)


@pytest.mark.parametrize("table", TABLE_NAMES)
def test_every_table_round_trips_import_then_export(engine: Engine, table: str) -> None:
    load_world(engine)
    expected = rows_of(WORLD[table])
    assert exported(engine, table) == [expected[0], *sorted(expected[1:], key=_sort_key(table))]


def _sort_key(table: str):  # noqa: ANN202
    if table == "targets":
        return lambda row: "|".join([row[0], row[1], row[3], row[4], row[5]])
    width = len(FORMATS[table].key)
    return lambda row: row[:width]


def test_reimporting_the_same_files_changes_nothing(engine: Engine) -> None:
    load_world(engine)
    before = counts(engine)
    with engine.connect() as conn:
        audits = conn.scalar(select(func.count()).select_from(AuditEntry))
        version = conn.scalar(select(DataVersion.version))
    for table, text in WORLD.items():
        result = import_rows(engine, table, rows_of(text), f"{table}.csv")
        assert (result.inserted, result.updated, result.unchanged) == (0, 0, result.rows)
    assert counts(engine) == before
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(AuditEntry)) == audits
        assert conn.scalar(select(DataVersion.version)) == version


def test_a_changed_row_is_updated_and_audited_old_to_new(engine: Engine) -> None:
    load_world(engine)
    text = "region_id,name\nR001,华东大区\nR002,华南区\n"
    result = import_rows(engine, "regions", rows_of(text), "regions.csv", username="alice")
    assert (result.inserted, result.updated, result.unchanged) == (0, 1, 1)
    assert exported(engine, "regions")[1] == ["R001", "华东大区"]
    with engine.connect() as conn:
        audit = AuditEntry.__table__
        entry = conn.execute(select(audit).where(audit.c.row_key == "R001")).mappings().one()
    assert (entry["username"], entry["table_name"]) == ("alice", "regions")
    assert entry["old_value"] == '{"name": "华东区"}'
    assert entry["new_value"] == '{"name": "华东大区"}'


def test_a_rep_target_without_region_gets_the_reps_region(engine: Engine) -> None:
    load_world(engine)
    text = "period,metric,amount,region_id,rep_id,product_id\n2026-11,revenue,5000,,E03,\n"
    assert import_rows(engine, "targets", rows_of(text), "t.csv").ok
    assert ["2026-11", "revenue", "5000.00", "R002", "E03", ""] in exported(engine, "targets")


BAD_CASES = [
    ("orders", "O9,2026-13-01,C1,E02,P1,1,10.00,5.00", "date",
     "expected a date YYYY-MM-DD, found '2026-13-01'"),
    ("orders", "O9,2026-10-01,C9,E02,P1,1,10.00,5.00", "customer_id",
     "expected a known customers ID, found 'C9'"),
    ("orders", "O9,2026-10-01,C1,E02,P1,1,-10.00,5.00", "amount",
     "expected a number ≥ 0, found '-10.00'"),
    ("orders", "O9,2026-10-01,C1,E02,P1,1,10.005,5.00", "amount",
     "expected an amount with at most 2 decimals, found '10.005'"),
    ("orders", "O9,2026-10-01,C1,E02,P1,1.5,10.00,5.00", "quantity",
     "expected a whole number ≥ 0, found '1.5'"),
    ("orders", "O9,2026-10-01,,E02,P1,1,10.00,5.00", "customer_id",
     "a value is required, found empty"),
    ("activities", "A9,2026-10-05,E02,C1,meeting,order,done,true,sale,60,1.00,", "kind",
     "expected one of visit|call, found 'meeting'"),
    ("activities", "A9,2026-10-05,E02,C1,visit,order,done,maybe,sale,60,1.00,", "planned",
     "expected true or false, found 'maybe'"),
    ("targets", "2026-1,revenue,10,,,", "period", "expected a month YYYY-MM, found '2026-1'"),
    ("targets", "2026-10,visits,10.5,R001,,", "amount",
     "expected a whole count for visits, found 10.5"),
    ("daily_reports", "DR9,E02,2026-10-05,yesterday,,,,submitted,,,", "submitted_at",
     "expected a timestamp YYYY-MM-DDTHH:MM[:SS], found 'yesterday'"),
    ("reps", "E09,赵六,R001,E99,,true", "manager_id", "expected a known reps ID, found 'E99'"),
]  # fmt: skip


@pytest.mark.parametrize(("table", "line", "column", "message"), BAD_CASES)
def test_each_validation_rule_names_row_column_and_what_was_expected(
    engine: Engine, table: str, line: str, column: str, message: str
) -> None:
    load_world(engine)
    before = counts(engine)
    header = WORLD[table].splitlines()[0]
    good = WORLD[table].splitlines()[1]
    result = import_rows(engine, table, rows_of(f"{header}\n{good}\n{line}\n"), "bad.csv")
    assert [str(e) for e in result.errors] == [f"bad.csv:3:{column}: {message}"]
    assert not result.written
    assert counts(engine) == before


def test_duplicate_ids_inside_a_file_are_refused(engine: Engine) -> None:
    text = "region_id,name\nR001,华东区\nR002,华南区\nR001,又一个\n"
    result = import_rows(engine, "regions", rows_of(text), "regions.csv")
    assert [str(e) for e in result.errors] == [
        "regions.csv:4:region_id: duplicate ID R001, first on row 2"
    ]
    assert count(engine, "regions") == 0


def test_header_problems_are_reported_on_row_1(engine: Engine) -> None:
    result = import_rows(engine, "regions", rows_of("region_id,nam\nR001,华东区\n"), "r.csv")
    assert [str(e) for e in result.errors] == [
        "r.csv:1:nam: unknown column; expected region_id, name",
        "r.csv:1:name: required column missing from the header",
    ]


def test_every_error_of_a_file_is_reported_not_only_the_first(engine: Engine) -> None:
    load_world(engine)
    header = WORLD["orders"].splitlines()[0]
    text = f"{header}\nO7,2026-02-30,C1,E02,P1,1,1.00,1.00\nO8,2026-10-01,C1,E02,P7,x,1.00,1.00\n"
    result = import_rows(engine, "orders", rows_of(text), "o.csv")
    assert [str(e) for e in result.errors] == [
        "o.csv:2:date: expected a date YYYY-MM-DD, found '2026-02-30'",
        "o.csv:3:quantity: expected a number ≥ 0, found 'x'",
        "o.csv:3:product_id: expected a known products ID, found 'P7'",
    ]
    assert count(engine, "orders") == 3


def test_a_dry_run_validates_and_counts_but_writes_nothing(engine: Engine) -> None:
    result = import_rows(engine, "regions", rows_of(WORLD["regions"]), "r.csv", dry_run=True)
    assert (result.ok, result.inserted, result.written) == (True, 2, False)
    assert count(engine, "regions") == 0


def test_gbk_and_bom_files_with_chinese_names_import_and_export_intact(engine: Engine) -> None:
    gbk = "region_id,name\nR001,华东区\n".encode("gbk")
    bom = "region_id,name\nR002,华南区\n".encode("utf-8-sig")
    for data, name in ((gbk, "gbk.csv"), (bom, "bom.csv")):
        assert import_rows(engine, "regions", read_table_file(data, name), name).ok
    written = write_table_file(exported(engine, "regions"), "out.csv")
    assert read_table_file(written, "out.csv") == [
        ["region_id", "name"],
        ["R001", "华东区"],
        ["R002", "华南区"],
    ]


def test_xlsx_round_trips(engine: Engine) -> None:
    load_world(engine)
    data = write_table_file(exported(engine, "customers"), "customers.xlsx")
    assert read_table_file(data, "customers.xlsx") == exported(engine, "customers")
    result = import_rows(engine, "customers", read_table_file(data, "c.xlsx"), "c.xlsx")
    assert (result.ok, result.unchanged) == (True, 3)
