"""Rows behind pace are shaded (ui.tables.shade_rows): every cell of a shaded row gets its
colour, the other rows none; a table longer than STYLED_ROWS gets a marker column instead."""

import pandas as pd

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


def test_a_long_table_gets_a_marker_column_instead_of_colours() -> None:
    rows = tables.STYLED_ROWS + 1
    shown = pd.DataFrame({"rep": [f"E{i:04d}" for i in range(rows)]})
    marked = tables.shade_rows(shown, [RED if i == 2 else None for i in range(rows)])

    assert isinstance(marked, pd.DataFrame)
    assert list(marked.columns) == ["●", "rep"]
    assert marked["●"].tolist()[:4] == ["", "", "●", ""]
    assert (marked["●"] == "●").sum() == 1
