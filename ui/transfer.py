"""Import and download on behalf of the signed-in viewer (the data page's write path)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from services import writes
from services.store import ROOT
from services.writes import FORMATS, TABLE_NAMES, Column
from ui import data
from ui.auth import Viewer
from ui.i18n import t

__all__ = [
    "FORMATS",
    "TABLE_NAMES",
    "check_or_import",
    "download",
    "errors_frame",
    "example_file",
    "format_caption",
    "format_frame",
]
EXAMPLES = ROOT / "docs" / "examples"


def check_or_import(
    viewer: Viewer, table: str, content: bytes, filename: str, *, write: bool
) -> writes.ImportResult:
    """Validate (``write=False``) or import an uploaded file within the viewer's scope, read
    as a stream with a progress bar (rows checked, then rows written)."""
    bar = st.progress(0.0, text=t("import_checking" if not write else "import_writing", done=0))

    def progress(done: int, expected: int) -> None:
        share = min(1.0, done / expected) if expected > 0 else 0.0
        key = "import_checking" if not write else "import_writing"
        bar.progress(share, text=t(key, done=f"{done:,}"))

    try:
        return writes.import_rows(
            data.engine(),
            table,
            writes.open_table_file(content, filename),
            dry_run=not write,
            username=viewer.account.username,
            scope=viewer.scope,
            progress=progress,
        )
    except writes.FileUnreadable as unreadable:
        result = writes.ImportResult(table)
        result.errors = [writes.RowError(filename, unreadable.row, "-", str(unreadable))]
        result.error_count = 1
        return result
    finally:
        bar.empty()


def errors_frame(result: writes.ImportResult, labels: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame(
        [(e.row, e.column, e.message) for e in result.errors],
        columns=[labels["row"], labels["column"], labels["message"]],
    )


def download(viewer: Viewer, table: str, filename: str) -> bytes:
    """The table in its import format, only the rows the viewer may see."""
    with data.engine().connect() as conn:
        rows = list(writes.export_records(conn, table, viewer.scope))
    return writes.write_table_file(rows, filename)


def format_frame(table: str) -> pd.DataFrame:
    """The columns of ``table``'s import format, in the UI language: name, required, what is
    expected, the table an ID must exist in."""

    def expected(column: Column) -> str:
        return t(f"kind_{column.kind}", choices=" | ".join(column.choices))

    return pd.DataFrame(
        [
            (c.name, t("yes") if c.required else t("no"), expected(c), c.ref or "")
            for c in FORMATS[table].columns
        ],
        columns=[t("column"), t("format_required"), t("format_kind"), t("format_refers")],
    )


def format_caption(table: str) -> str:
    return t("format_intro", columns=" + ".join(FORMATS[table].key))


def example_file(table: str) -> bytes:
    """A small valid file of ``table`` to start from (docs/examples/ holds one per table)."""
    return (EXAMPLES / f"{table}.csv").read_bytes()


def table_name(table: str) -> str:
    """A table's name for people: ``Calls and visits (activities)``, ``电话与拜访``."""
    return t(f"table_{table}")


def uploader() -> object:
    """The file uploader in the viewer's language: Streamlit writes its drop zone's hint and
    button in English only, so those are hidden and our own words shown instead."""
    st.html(
        "<style>"
        '[data-testid="stFileUploaderDropzoneInstructions"]{display:none}'
        '[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"]'
        "{display:none}"
        '[data-testid="stFileUploaderDropzone"] button::after'
        f'{{content:"{t("choose_file")}"}}'
        "</style>"
    )
    st.caption(f"{t('upload_hint')} · {t('upload_limit')}")
    return st.file_uploader(t("file"), type=["csv", "xlsx"], key="import_file")
