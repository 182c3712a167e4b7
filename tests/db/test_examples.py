"""The example file of every table (docs/examples, the Data page's template) imports cleanly
into an empty database, in the documented order."""

from __future__ import annotations

from sqlalchemy import Engine, func, select

from db.formats import FORMATS, TABLE_NAMES
from db.transfer import import_rows, read_table_file
from tests.conftest import ROOT


def test_every_example_file_imports_into_an_empty_database(engine: Engine) -> None:
    for table in TABLE_NAMES:
        path = ROOT / "docs" / "examples" / f"{table}.csv"
        rows = read_table_file(path.read_bytes(), path.name)
        result = import_rows(engine, table, rows, path.name)
        assert result.ok, [str(e) for e in result.errors]
        with engine.connect() as conn:
            stored = conn.scalar(select(func.count()).select_from(FORMATS[table].table))
        assert result.inserted == stored == len(rows) - 1 > 0
