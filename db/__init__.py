"""Data layer: engine, schema, migrations, read-side queries, import/export, demo data.

Never imports streamlit. Nothing connects at import time: build an engine with
:func:`db.engine.make_engine`.
"""
