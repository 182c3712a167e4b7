"""Once per server process, before its first page: import what the pages use, let Altair load
its Vega-Lite schema, then take all of it out of the garbage collector's way.

A full collection walks every tracked object, and most of them are long-lived: the modules of
pandas, Altair, SQLAlchemy and this app, and Altair's schema (hundreds of thousands of objects
after a first page). Streamlit ran one after every script run (``runner.postScriptGC``, now
off in .streamlit/config.toml), walking all of them every time. ``gc.freeze`` moves the
objects alive now to a permanent generation that collections skip, so Python's own
collections of the oldest generation skip them too; what the pages make later is collected as
before.
"""

from __future__ import annotations

import functools
import gc
import importlib
import pkgutil

import altair as alt
import pandas as pd

import ui


@functools.cache
def freeze_long_lived() -> int:
    """Import every ``ui`` module (and so the services, core and database modules they use),
    validate one small chart (Altair loads its schema on the first), collect, then freeze.
    Runs once per process; returns the number of objects frozen."""
    for module in pkgutil.iter_modules(ui.__path__):
        importlib.import_module(f"ui.{module.name}")
    alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x="x:Q").to_dict()
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
