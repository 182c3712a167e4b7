"""ui.warm: the server's long-lived objects are frozen once, before the first page, so that
Streamlit's collection after every script run walks only what the pages made since; what
they make is still collected."""

from __future__ import annotations

import gc
import sys
import weakref

from ui import warm


class Node:
    """An object in a reference cycle: only the cycle collector can free it."""

    def __init__(self) -> None:
        self.me = self


def test_the_imports_are_frozen_once_and_later_cycles_are_still_collected() -> None:
    frozen = warm.freeze_long_lived()
    assert frozen > 0 and warm.freeze_long_lived() == frozen  # once per process
    assert {"ui.charts", "ui.customers_sections", "services.reads", "db.queries"} <= set(
        sys.modules
    )
    cycle = Node()
    gone = weakref.ref(cycle)
    del cycle
    gc.collect()
    assert gone() is None
