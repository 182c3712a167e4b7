"""Services between the UI or the CLI and crm_core/db (no Streamlit)."""
