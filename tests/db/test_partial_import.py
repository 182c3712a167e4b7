"""Issue 39.6 on SQLite and PostgreSQL: a re-import with fewer columns leaves the columns it does
not have as they are, for every table; an empty cell in a column it has clears that value."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select

from db.formats import FORMATS, TABLE_NAMES
from db.schema import Customer
from db.transfer import export_records, import_rows
from tests.world import load_world


def exported(engine: Engine, table: str) -> list[list[str]]:
    with engine.connect() as conn:
        return list(export_records(conn, table))


def only(rows: list[list[str]], names: list[str]) -> list[list[str]]:
    """``rows`` (header first) cut to the columns ``names``."""
    places = [rows[0].index(name) for name in names]
    return [[row[p] for p in places] for row in rows]


# Every table with a column a file may leave out; a target's region, rep and product are part of
# its key (left out, they name a company target), so targets have none.
TABLES = [
    name
    for name in TABLE_NAMES
    if name != "targets"
    and any(not c.required and c.name not in FORMATS[name].key for c in FORMATS[name].columns)
]


@pytest.mark.parametrize("table", TABLES)
def test_a_file_with_only_the_required_columns_changes_no_other_value(
    engine: Engine, table: str
) -> None:
    load_world(engine)
    fmt = FORMATS[table]
    before = exported(engine, table)
    kept = [c.name for c in fmt.columns if c.required or c.name in fmt.key]
    left_out = [name for name in before[0] if name not in kept]
    filled = [name for name in left_out if any(row[before[0].index(name)] for row in before[1:])]
    assert filled, f"{table}: the world has no value in {left_out}; the test would prove nothing"
    result = import_rows(engine, table, only(before, kept), f"{table}.csv")
    assert result.ok, [str(e) for e in result.errors]
    assert (result.inserted, result.updated) == (0, 0)
    assert exported(engine, table) == before


def test_a_changed_required_value_is_written_and_the_left_out_columns_stay(
    engine: Engine,
) -> None:
    """The exact case of the issue: customers re-imported with six columns, one name new."""
    load_world(engine)
    before = exported(engine, "customers")
    six = ["customer_id", "name", "region_id", "owner_rep_id", "status", "created_on"]
    rows = only(before, six)
    rows[1][1] = "新名字"
    result = import_rows(engine, "customers", rows, "customers.csv")
    assert result.ok and (result.inserted, result.updated) == (0, 1)
    after = exported(engine, "customers")
    assert after[1][1] == "新名字"
    assert [r[:1] + r[2:] for r in after] == [r[:1] + r[2:] for r in before]


def test_an_empty_cell_in_a_column_the_file_has_clears_that_value(engine: Engine) -> None:
    load_world(engine)
    before = exported(engine, "customers")
    header = before[0]
    first = before[1]
    assert first[header.index("priority")], "the world's first customer has a priority"
    six = ["customer_id", "name", "region_id", "owner_rep_id", "status", "created_on"]
    rows = [[*six, "priority"], [*(first[header.index(name)] for name in six), ""]]
    assert import_rows(engine, "customers", rows, "customers.csv").ok
    with engine.connect() as conn:
        customer = conn.execute(select(Customer).where(Customer.customer_id == first[0])).one()
    assert customer.priority is None
    assert customer.industry == (first[header.index("industry")] or None)
