"""The Data page's sections: import a file (its format and template, the check, then the
import in one transaction) and download a table in scope."""

from __future__ import annotations

import streamlit as st

from ui import tables, transfer
from ui.auth import Viewer
from ui.i18n import t
from ui.layout import section


def upload(viewer: Viewer) -> None:
    with section(t("upload_title")):
        table = st.selectbox(t("table"), transfer.TABLE_NAMES, format_func=transfer.table_name,
                             key="import_table")  # fmt: skip
        with st.expander(t("format_of", table=transfer.table_name(table))):
            st.caption(transfer.format_caption(table))
            tables.grid(transfer.format_frame(table), key="import_format")
            st.download_button(t("download_template"), transfer.example_file(table),
                               f"{table}.csv", key="template")  # fmt: skip
        file = transfer.uploader()
        if file is not None:
            checked_then_imported(viewer, table, file.getvalue(), file.name)


def checked_then_imported(viewer: Viewer, table: str, content: bytes, name: str) -> None:
    """The file's errors (row, column, message), or what it would change and the button that
    imports it."""
    checked = transfer.check_or_import(viewer, table, content, name, write=False)
    if not checked.ok:
        st.error(t("validation_errors", count=checked.error_count))
        labels = {k: t(k) for k in ("row", "column", "message")}
        errors = transfer.errors_frame(checked, labels)
        tables.grid(errors, key="import_errors")
        return
    st.success(t("preview", rows=checked.rows, inserted=checked.inserted,
                 updated=checked.updated, unchanged=checked.unchanged))  # fmt: skip
    if st.button(t("import_button"), type="primary", key="import_go"):
        done = transfer.check_or_import(viewer, table, content, name, write=True)
        st.success(t("imported", table=transfer.table_name(table), inserted=done.inserted,
                     updated=done.updated, unchanged=done.unchanged))  # fmt: skip


def download(viewer: Viewer) -> None:
    with section(t("download_title")):
        table = st.selectbox(t("table"), transfer.TABLE_NAMES, format_func=transfer.table_name,
                             key="export_table")  # fmt: skip
        kind = st.radio(t("format"), ["csv", "xlsx"], format_func=str.upper, horizontal=True,
                        key="export_format")  # fmt: skip
        filename = f"{table}.{kind}"
        st.download_button(t("download"), transfer.download(viewer, table, filename),
                           file_name=filename, key="export_download")  # fmt: skip
