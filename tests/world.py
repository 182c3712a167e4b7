"""Small hand-written worlds in the SPEC §3 import formats, one folder of CSV files each under
tests/worlds/, in canonical export form (money with two decimals, booleans as true/false, every
column present) so that an import followed by an export gives back exactly these lines. A world
maps each table to its file's text, in dependency order; a world folder without a table's file
takes the table from the world it builds on."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

from sqlalchemy import Engine

from db.formats import TABLE_NAMES
from db.transfer import import_rows

WORLDS = Path(__file__).with_name("worlds")


def world(name: str, base: dict[str, str] | None = None) -> dict[str, str]:
    """The tables of tests/worlds/``name``/, each missing one taken from ``base``."""
    own = {
        table: path.read_text(encoding="utf-8")
        for table in TABLE_NAMES
        if (path := WORLDS / name / f"{table}.csv").exists()
    }
    return {table: own[table] if table in own else (base or {})[table] for table in TABLE_NAMES}


# Two regions, three reps (E03 inactive, in R002), two products, an active key customer, a
# prospect and a customer of R002; October 2026 orders, a payment, calls and visits, a daily
# report, two opportunities and two market reports.
WORLD = world("world")

# A pipeline on 2026-11-18 (tests of SPEC §4.4): D1 won through every stage, D2 skipped
# contacted and was lost at qualified, D3 skipped qualified and sits in developed for 48 days,
# D4 skipped qualified and developed, D5 is 90 days in contacted and past its expected close,
# D6 has been 29 days in qualified (R002), D7 jumped from contacted to won, D8 lost early.
# Its targets and orders are the world's plus November and December ones.
PIPELINE = world("pipeline", WORLD)

# Customers on 2026-11-18 (tests of SPEC §4.5). Trailing 12 months: 2025-11-19 – 2026-11-18.
# Revenue in it: K1 ¥1,000,000; K2 ¥500,000 (its ¥999,999 of 2025-11-18 is one day too old);
# K3–K7 ¥100,000 each (K7's order is on the window's first day); total ¥2,000,000. K5's order
# of 2026-11-25 is after the as-of day. K3's ¥99,999 visit of 2025-10-01 is outside the window.
# Regions, reps, products and daily reports are the world's.
CUSTOMERS = world("customers", WORLD)


def rows_of(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


# The worlds hold facts after the as-of days their tests choose (to prove they are left out),
# so they are imported as of a day after all of them.
LOADED_AS_OF = date(2030, 12, 31)


def load_world(engine: Engine, tables: dict[str, str] | None = None) -> None:
    """Import the world (or ``tables``) into ``engine``; fails loudly on any error."""
    for table, text in (tables or WORLD).items():
        result = import_rows(engine, table, rows_of(text), f"{table}.csv", as_of=LOADED_AS_OF)
        assert result.ok, [str(e) for e in result.errors]
