"""The Monday report as files and mail: Markdown, Excel and PDF (``files``), its charts
(``charts``) and its delivery by SMTP (``delivery``). Presentation without Streamlit, for the
weekly page's downloads and the CLI; the figures come from ``services.weekly``, which
gives delivery the report of each recipient's scope."""
