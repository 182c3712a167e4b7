"""The domain's vocabulary: the codes a customer, an activity, a deal, a target or a market
report can carry (docs/formats.md). One definition for the import formats (db.formats), the
forms and tables of the UI and the computations."""

from __future__ import annotations

STATUS = ("prospect", "active", "lost")
PRIORITY = ("key", "normal", "low")
GRADE = ("A", "B", "C", "D")
CREDIT = ("A", "B", "C")
# the target metrics, and which of them are money (stored in cents)
METRICS = ("revenue", "gross_margin", "collections", "new_customers", "visits")
MONEY_METRICS = frozenset({"revenue", "gross_margin", "collections"})
KINDS = ("visit", "call")
PURPOSES = (
    "new_customer",
    "market_research",
    "collection",
    "service",
    "complaint",
    "order",
    "other",
)
ACTIVITY_STATUS = ("planned", "done", "missed")
OUTCOMES = ("no_contact", "contacted", "appointment", "presentation", "sale")
REPORT_STATUS = ("submitted", "approved", "returned")
STAGES = ("identified", "contacted", "qualified", "developed", "committed", "won", "lost")
MARKET_KINDS = ("competitor", "complaint", "dealer", "personnel", "product_feedback")
SEVERITY = ("low", "medium", "high")
OPEN_STATUS = ("open", "resolved")


def money_metric(metric: str) -> bool:
    """Whether ``metric``'s amounts are money (cents), not counts."""
    return metric in MONEY_METRICS
