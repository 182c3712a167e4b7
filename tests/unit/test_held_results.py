"""Loaders' results held as objects (ui.data.Results): a hit is a copy a page may change
without changing what the next view gets, sessions asking at once compute once, the number
held is bounded and a result expires."""

from __future__ import annotations

import dataclasses
import threading
import time
from collections import Counter
from datetime import date

import pandas as pd

from crm_core.periods import month_period
from crm_core.scope import Scope
from ui import data


@dataclasses.dataclass(frozen=True)
class Loaded:
    table: pd.DataFrame
    names: dict[str, pd.Series]
    notes: list[str]
    period: object


def loaded() -> Loaded:
    return Loaded(
        pd.DataFrame({"rep": ["E1", "E2"], "revenue": [100, 250]}),
        {"rep": pd.Series({"E1": "张伟", "E2": "李娜"})},
        ["first"],
        month_period("2026-11"),
    )


def test_a_page_changing_its_copy_leaves_the_held_result_as_computed() -> None:
    held = data.Results(10, ttl=60)
    first = held.get(("k",), loaded)
    first.table["revenue"] = [0, 0]  # a page sets a column
    first.table.loc[0, "rep"] = "X"  # and a cell
    first.names["rep"].iloc[0] = "?"
    first.names["extra"] = pd.Series(dtype="str")
    first.notes.append("second")

    again = held.get(("k",), lambda: (_ for _ in ()).throw(AssertionError("computed again")))
    assert again.table.to_dict("list") == {"rep": ["E1", "E2"], "revenue": [100, 250]}
    assert again.names["rep"].tolist() == ["张伟", "李娜"] and list(again.names) == ["rep"]
    assert again.notes == ["first"]
    assert again.period == month_period("2026-11") and again is not first


def test_fresh_copies_frames_without_copying_their_data() -> None:
    frame = pd.DataFrame({"revenue": range(1000)})
    copied = data.fresh(frame)
    assert copied is not frame and copied.equals(frame)
    assert copied.index is frame.index or copied.index.equals(frame.index)
    assert data.fresh((1, "a", date(2026, 11, 18), None)) == (1, "a", date(2026, 11, 18), None)
    counts = data.fresh(Counter({"visit": 2}))
    assert isinstance(counts, Counter) and counts.most_common(1) == [("visit", 2)]
    scope = Scope.for_rep("E0001", "R001")
    assert data.fresh(scope) is scope  # frozen values are handed out as they are


def test_sessions_asking_for_one_missing_result_at_once_compute_it_once() -> None:
    held, computed, started = data.Results(10, ttl=60), [], threading.Event()

    def slow() -> list[int]:
        computed.append(1)
        started.set()
        time.sleep(0.3)
        return [1, 2, 3]

    got: list[object] = []
    threads = [threading.Thread(target=lambda: got.append(held.get(("k",), slow)))
               for _ in range(4)]  # fmt: skip
    threads[0].start()
    started.wait(10)
    for thread in threads[1:]:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert computed == [1] and got == [[1, 2, 3]] * 4


def test_a_failed_computation_is_not_held_and_the_next_view_tries_again() -> None:
    held = data.Results(10, ttl=60)

    def failing() -> object:
        raise RuntimeError("database gone")

    try:
        held.get(("k",), failing)
    except RuntimeError:
        pass
    assert held.get(("k",), lambda: "back") == "back"


def test_at_most_max_entries_are_held_least_recently_read_out_first() -> None:
    held = data.Results(2, ttl=60)
    held.get(("a",), lambda: "a")
    held.get(("b",), lambda: "b")
    held.get(("a",), lambda: "a again")  # a read: "b" is now the least recent
    held.get(("c",), lambda: "c")
    assert len(held) == 2
    assert held.get(("a",), lambda: "a computed") == "a"
    assert held.get(("b",), lambda: "b computed") == "b computed"


def test_a_result_older_than_its_ttl_is_computed_again(monkeypatch) -> None:
    now = [1000.0]
    monkeypatch.setattr(data, "_now", lambda: now[0])
    held = data.Results(10, ttl=3600)
    assert held.get(("k",), lambda: "old") == "old"
    now[0] += 3599
    assert held.get(("k",), lambda: "new") == "old"
    now[0] += 2
    assert held.get(("k",), lambda: "new") == "new"
