"""Data: import a docs/formats.md file (validated, one transaction) and download any table in
scope."""

import streamlit as st

from ui import auth, data_sections
from ui.i18n import t

viewer = auth.guard("data")
st.title(t("page_data"))
data_sections.upload(viewer)
data_sections.download(viewer)
