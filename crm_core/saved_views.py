"""Saved views (issue 40.1): a page with its filters and page state under a name a user gives
it, kept as the page's URL parameters, so opening one is opening a link to the page: the
opener's own scope applies and a region or rep outside it is reported, never shown."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

MAX_NAME = 80
MAX_PARAMS = 30
MAX_VALUE = 2000
EVERYONE = "*"  # shared with every user
# the viewer's own choice, not part of what a view shows
NOT_SAVED = frozenset({"lang"})
_PARAM = re.compile(r"[a-z][a-z0-9_]{0,39}")
_PAGE = re.compile(r"[a-z][a-z_]{0,31}")


def view_name(text: str) -> str:
    """``text`` as a view's name: trimmed, 1 to :data:`MAX_NAME` characters, no control
    characters; ``ValueError`` saying what is wrong otherwise."""
    name = " ".join(text.split())
    if not name:
        raise ValueError("name: give the view a name")
    if len(name) > MAX_NAME:
        raise ValueError(f"name: at most {MAX_NAME} characters ({len(name)} given)")
    if any(unicodedata.category(c).startswith("C") for c in name):
        raise ValueError("name: no control characters")
    return name


def view_page(page: str) -> str:
    """A page ID as a view stores it (``overview``); ``ValueError`` otherwise."""
    if not _PAGE.fullmatch(page):
        raise ValueError(f"page: {page!r} is no page")
    return page


def view_params(params: Mapping[str, str]) -> dict[str, str]:
    """The URL parameters a view keeps: all but the viewer's language, sorted by name; at most
    :data:`MAX_PARAMS`, names of lower-case letters, digits and ``_``, values of at most
    :data:`MAX_VALUE` characters; ``ValueError`` otherwise (a crafted request, not a page's)."""
    kept = {k: str(v) for k, v in sorted(params.items()) if k not in NOT_SAVED}
    if len(kept) > MAX_PARAMS:
        raise ValueError(f"params: at most {MAX_PARAMS} ({len(kept)} given)")
    for name, value in kept.items():
        if not _PARAM.fullmatch(name):
            raise ValueError(f"params: {name!r} is no parameter of a page")
        if len(value) > MAX_VALUE:
            raise ValueError(f"params: {name} is longer than {MAX_VALUE} characters")
    return kept
