"""The data page: validation errors as a table, import in one transaction, scoped download."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from db.engine import make_engine
from db.schema import Region
from tests.app.conftest import page

pytestmark = pytest.mark.usefixtures("demo_db")

GOOD = "region_id,name\nR101,西南新区\n".encode()
BAD = "region_id,name\nR102,\nR103,西北新区\n".encode()


def region_count() -> int:
    with make_engine().connect() as conn:
        return conn.scalar(select(func.count()).select_from(Region))


def upload(username: str, table: str, name: str, content: bytes):  # noqa: ANN201
    app = page("data", username)
    app.selectbox(key="import_table").set_value(table).run()
    app.file_uploader(key="import_file").set_value((name, content, "text/csv")).run()
    return app


def test_a_bad_file_shows_row_and_column_errors_and_writes_nothing() -> None:
    before = region_count()
    app = upload("director", "regions", "regions.csv", BAD)
    assert "1 error(s): nothing will be written." in [e.value for e in app.error]
    errors = app.dataframe[-1].value
    assert errors.to_dict("records") == [
        {"Row": 2, "Column": "name", "Message": "a value is required, found empty"}
    ]
    assert not [b for b in app.button if b.key == "import_go"]
    assert region_count() == before


def test_a_good_file_is_previewed_then_imported() -> None:
    before = region_count()
    app = upload("director", "regions", "regions.csv", GOOD)
    assert "1 rows valid: 1 new, 0 changed, 0 unchanged." in [s.value for s in app.success]
    assert region_count() == before
    app.button(key="import_go").click().run()
    assert "Imported Regions (regions): 1 new, 0 changed, 0 unchanged." in [
        s.value for s in app.success
    ]
    assert region_count() == before + 1


def test_a_manager_cannot_import_rows_of_another_region() -> None:
    reps = "rep_id,name,region_id\nE9001,新人,R002\n".encode()
    app = upload("manager", "reps", "reps.csv", reps)
    errors = app.dataframe[-1].value
    assert errors.to_dict("records") == [
        {"Row": 2, "Column": "region_id",
         "Message": "expected an ID inside your regions (R001), found 'R002'"}
    ]  # fmt: skip


def test_a_manager_cannot_import_regions() -> None:
    app = upload("manager", "regions", "regions.csv", GOOD)
    assert app.dataframe[-1].value.Message.tolist() == ["only a director may import regions"]


def test_the_format_of_the_chosen_table_and_an_example_file_are_one_click_away() -> None:
    app = page("data", "director")
    app.selectbox(key="import_table").set_value("customers").run()
    assert "Format of Customers (customers)" in [e.label for e in app.expander]
    fmt = app.dataframe[0].value
    assert fmt.Column.tolist()[:5] == ["customer_id", "name", "region_id", "owner_rep_id", "status"]
    status = fmt.set_index("Column").loc["status"]
    assert status.Required == "yes" and status.Expected == "one of prospect | active | lost"
    assert fmt.set_index("Column").loc["owner_rep_id", "Must exist in"] == "reps"
    assert "docs/formats.md" in app.caption[0].value


def test_the_format_reference_is_in_chinese_too() -> None:
    app = page("data", "director", lang="zh")
    fmt = app.dataframe[0].value
    assert list(fmt.columns) == ["列", "必填", "格式", "须已存在于"]


def test_a_corrupt_upload_is_one_clear_error_not_a_crash() -> None:
    app = upload("director", "regions", "regions.xlsx", b"PK\x03\x04 not a workbook")
    assert not app.exception
    errors = app.dataframe[-1].value.to_dict("records")
    assert errors[0]["Row"] == 1 and "not a readable Excel .xlsx file" in errors[0]["Message"]
