"""Every setting of the product in one place: the ``CRM_*`` environment variables (read on each
call, so a test or a CLI run can set them per process) and the domain's tunable constants.

No other module reads ``os.environ`` for a ``CRM_*`` name (a test holds this); each asks here
and parses the value where its meaning lives (e.g. the weekly rules in ``weekly_flags``).
"""

from __future__ import annotations

import os
from datetime import date
from typing import TypeVar

from crm_core.periods import parse_day

# A / B / C: the customers making up the first 80 % of revenue, the next 15 %, the rest.
ABC_THRESHOLDS = (0.80, 0.95)
# The commission on sales used to value one call (the call funnel's "commission per call").
COMMISSION_RATE = 0.05

N = TypeVar("N", int, float)

VARIABLES: dict[str, str] = {
    "CRM_DATABASE_URL": "the database (default: the SQLite file data/crm.sqlite)",
    "CRM_AS_OF": "the as-of day YYYY-MM-DD (default: today)",
    "CRM_COOKIE_KEY": "the sign-in cookie's key, at least 32 bytes (default: generated once)",
    "CRM_SMTP_URL": "the mail server of `report weekly --send`, e.g. smtp+starttls://u:p@host:587",
    "CRM_SMTP_FROM": "the sender of the Monday report mails",
    "CRM_CJK_FONT": "a .ttf/.ttc font for the PDF report (default: Noto Sans CJK)",
    "CRM_WEEKLY_RULES": "the Monday report's exception thresholds, e.g. behind_share=0.2",
    "CRM_STAGE_PROBABILITIES": "the pipeline's stage probabilities (default 10,20,40,60,90)",
    "CRM_STALE_DAYS": "days in a stage before a deal is stale (default 30)",
    "CRM_VALIDATE_CHARTS": "1: check each chart against the Vega-Lite schema (the tests do)",
    "CRM_LAG_SECONDS": "seconds a manager's or director's figures may lag other people's writes "
    "while the server computes them again (default 30; 0: never)",
    "CRM_YIELD_DAYS": "days of activity a rep's revenue per call or visit is taken over (90)",
}


def value(name: str) -> str | None:
    """The variable ``name`` when set and not empty, else ``None``."""
    if name not in VARIABLES:
        raise KeyError(f"{name} is not a setting; known: {', '.join(VARIABLES)}")
    return os.environ.get(name) or None


def bounded(name: str, text: str | None, default: N, low: N, high: N, unit: str) -> N:
    """``text``, the setting ``name``, as a number of ``unit`` from ``low`` to ``high`` (whole
    when ``default`` is), ``default`` when unset; else a ``ValueError`` naming the setting."""
    if not text:
        return default
    try:
        number = type(default)(text)
    except ValueError:
        raise ValueError(f"{name}: expected a number of {unit}, found {text!r}") from None
    if not low <= number <= high:
        raise ValueError(f"{name}: expected {low:g} to {high:g} {unit}, found {number:g}")
    return number


def as_of() -> date | None:
    """``CRM_AS_OF`` as a date, ``None`` when unset."""
    configured = value("CRM_AS_OF")
    if configured is None:
        return None
    return parse_day(configured, "CRM_AS_OF")
