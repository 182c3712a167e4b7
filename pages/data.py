"""Data: import a docs/formats.md file (validated, one transaction) and download any table in
scope."""

import streamlit as st

from ui import auth, transfer
from ui.i18n import t
from ui.layout import section

viewer = auth.guard("data")
st.title(t("page_data"))

with section(t("upload_title")):
    table = st.selectbox(t("table"), transfer.TABLE_NAMES, format_func=transfer.table_name,
                         key="import_table")  # fmt: skip
    with st.expander(t("format_of", table=transfer.table_name(table))):
        st.caption(transfer.format_caption(table))
        st.dataframe(transfer.format_frame(table), hide_index=True, key="import_format")
        st.download_button(
            t("download_template"), transfer.example_file(table), f"{table}.csv", key="template"
        )
    upload = transfer.uploader()
    if upload is not None:
        content = upload.getvalue()
        checked = transfer.check_or_import(viewer, table, content, upload.name, write=False)
        if not checked.ok:
            st.error(t("validation_errors", count=checked.error_count))
            labels = {k: t(k) for k in ("row", "column", "message")}
            st.dataframe(
                transfer.errors_frame(checked, labels), hide_index=True, key="import_errors"
            )
        else:
            st.success(
                t(
                    "preview",
                    rows=checked.rows,
                    inserted=checked.inserted,
                    updated=checked.updated,
                    unchanged=checked.unchanged,
                )
            )
            if st.button(t("import_button"), type="primary", key="import_go"):
                done = transfer.check_or_import(viewer, table, content, upload.name, write=True)
                st.success(
                    t(
                        "imported",
                        table=transfer.table_name(table),
                        inserted=done.inserted,
                        updated=done.updated,
                        unchanged=done.unchanged,
                    )
                )

with section(t("download_title")):
    chosen = st.selectbox(t("table"), transfer.TABLE_NAMES, format_func=transfer.table_name,
                          key="export_table")  # fmt: skip
    kind = st.radio(t("format"), ["csv", "xlsx"], format_func=str.upper, horizontal=True,
                    key="export_format")  # fmt: skip
    filename = f"{chosen}.{kind}"
    st.download_button(
        t("download"),
        transfer.download(viewer, chosen, filename),
        file_name=filename,
        key="export_download",
    )
