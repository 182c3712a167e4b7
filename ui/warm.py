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

import gc
import importlib
import pkgutil
import threading

import altair as alt
import pandas as pd

import ui

_FROZEN: list[int] = []
_FREEZING = threading.Lock()


def freeze_long_lived() -> int:
    """Import every ``ui`` module (and so the services, core and database modules they use),
    validate one small chart (Altair loads its schema on the first), collect, then freeze.
    Runs once per process, however many sessions start at once (each of a hundred people
    signing in at 8:30 ran its own full collection); returns the number of objects frozen."""
    with _FREEZING:
        if not _FROZEN:
            for module in pkgutil.iter_modules(ui.__path__):
                importlib.import_module(f"ui.{module.name}")
            alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x="x:Q").to_dict()
            gc.collect()
            gc.freeze()
            _FROZEN.append(gc.get_freeze_count())
        return _FROZEN[0]
