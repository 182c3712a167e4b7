"""Import and download on behalf of the signed-in viewer (the data page's write path)."""

from __future__ import annotations

import pandas as pd

from db import transfer
from db.formats import TABLE_NAMES
from ui import data
from ui.auth import Viewer

__all__ = ["TABLE_NAMES", "check_or_import", "download", "errors_frame"]


def check_or_import(
    viewer: Viewer, table: str, content: bytes, filename: str, *, write: bool
) -> transfer.ImportResult:
    """Validate (``write=False``) or import an uploaded file within the viewer's scope."""
    rows = transfer.read_table_file(content, filename)
    return transfer.import_rows(
        data.engine(),
        table,
        rows,
        filename,
        dry_run=not write,
        username=viewer.account.username,
        scope=viewer.scope,
    )


def errors_frame(result: transfer.ImportResult, labels: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame(
        [(e.row, e.column, e.message) for e in result.errors],
        columns=[labels["row"], labels["column"], labels["message"]],
    )


def download(viewer: Viewer, table: str, filename: str) -> bytes:
    """The table in its import format, only the rows the viewer may see."""
    with data.engine().connect() as conn:
        rows = list(transfer.export_records(conn, table, viewer.scope))
    return transfer.write_table_file(rows, filename)
