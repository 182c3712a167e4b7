"""Tables (ui.tables): rows behind pace are shaded (every cell of a shaded row gets its colour,
the other rows none; a table longer than STYLED_ROWS gets a marker column instead), and
numeric_view keeps numbers of any dtype numbers."""

import pandas as pd
import pyarrow as pa
from streamlit.elements.lib.pandas_styler_utils import marshall_styler
from streamlit.proto.ArrowData_pb2 import ArrowData

from ui import tables

RED = "#fde0dc"


def test_each_cell_of_a_shaded_row_gets_its_colour_and_no_other_row_does() -> None:
    shown = pd.DataFrame(
        {"rep": ["张伟", "李娜", "王芳"], "revenue": [1200.0, 800.0, 950.5]}, index=[7, 3, 9]
    )
    styled = tables.shade_rows(shown, [None, RED, None])

    cells = styled._compute().ctx  # (row, column) → [(property, value)]
    shaded = {key: value for key, value in cells.items() if value}
    assert shaded == {(1, 0): [("background-color", RED)], (1, 1): [("background-color", RED)]}
    # the data itself is unchanged, in order, on a fresh index
    assert styled.data.to_dict("list") == {
        "rep": ["张伟", "李娜", "王芳"],
        "revenue": [1200.0, 800.0, 950.5],
    }


def test_streamlit_is_sent_the_colours_of_the_shaded_cells_and_the_text_as_it_is() -> None:
    """Only the shaded cells carry an id, so Streamlit sets a display value for those alone (for
    every cell, a styled table of 300 rows cost half again as much to send). The browser shows
    a number column's own format, not a display value; text is the same either way."""
    shown = pd.DataFrame({"rep": ["张伟", "李娜", "王芳"], "revenue": [1200.0, 800.0, 950.5]})
    styled = tables.shade_rows(shown, [None, RED, None])

    cells = [cell for row in styled._compute()._translate(False, False)["body"] for cell in row]
    assert [cell["id"] for cell in cells if "id" in cell] == ["row1_col0", "row1_col1"]
    proto = ArrowData()
    marshall_styler(proto, styled, "uuid")
    uuid = proto.styler.uuid
    assert proto.styler.styles == (
        f"#T_{uuid}_row1_col0, #T_{uuid}_row1_col1 {{ background-color: {RED} }}"
    )
    sent = pa.ipc.open_stream(proto.styler.display_values).read_pandas()
    assert sent["rep"].tolist() == ["张伟", "李娜", "王芳"]


def test_a_long_table_gets_a_marker_column_instead_of_colours() -> None:
    rows = tables.STYLED_ROWS + 1
    shown = pd.DataFrame({"rep": [f"E{i:04d}" for i in range(rows)]})
    marked = tables.shade_rows(shown, [RED if i == 2 else None for i in range(rows)])

    assert isinstance(marked, pd.DataFrame)
    assert list(marked.columns) == ["●", "rep"]
    assert marked["●"].tolist()[:4] == ["", "", "●", ""]
    assert (marked["●"] == "●").sum() == 1


def test_numbers_of_any_dtype_become_float_columns_with_gaps_where_missing() -> None:
    frame = pd.DataFrame(
        {
            "rep": ["张伟", "李娜", "王芳"],
            "revenue": [123_456, 0, 99],  # cents, int64
            "attainment": pd.array([0.5, None, 1.25], dtype="Float64"),
            "orders": pd.Series([3, None, 1], dtype="int64[pyarrow]"),
            "gross_margin": pd.Series([10_050, None, 1], dtype=object),
        }
    )
    kinds = {"revenue": "money", "attainment": "ratio", "orders": "count", "gross_margin": "money"}
    shown, config = tables.numeric_view(frame, kinds)

    assert shown.dtypes.tolist()[1:] == ["float64"] * 4
    assert shown.iloc[:, 1].tolist() == [1234.56, 0.0, 0.99]  # yuan
    assert shown.iloc[:, 2].tolist()[::2] == [50.0, 125.0] and pd.isna(shown.iloc[1, 2])  # %
    assert shown.iloc[:, 3].tolist()[::2] == [3.0, 1.0] and pd.isna(shown.iloc[1, 3])
    assert shown.iloc[:, 4].tolist()[::2] == [100.5, 0.01] and pd.isna(shown.iloc[1, 4])
    assert list(shown.index) == [0, 1, 2] and shown.iloc[:, 0].tolist() == ["张伟", "李娜", "王芳"]
    assert len(config) == 5  # four number columns and the pinned name column


def test_a_table_with_no_row_to_shade_is_sent_plain() -> None:
    shown = pd.DataFrame({"rep": ["张伟", "李娜"], "revenue": [1200.0, 800.0]}, index=[4, 2])
    for rows in (shown, pd.concat([shown] * (tables.STYLED_ROWS // 2 + 1))):
        plain = tables.shade_rows(rows, [None] * len(rows))
        assert isinstance(plain, pd.DataFrame) and list(plain.columns) == ["rep", "revenue"]
        assert plain.equals(rows.reset_index(drop=True))
