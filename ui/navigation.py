"""Which pages exist and which roles may open them (docs/roles.md)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from crm_core.scope import Role
from services.kpi_tables import headless

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class PageSpec:
    page_id: str
    title_key: str
    icon: str
    roles: frozenset[Role]

    @property
    def path(self) -> Path:
        return ROOT / "pages" / f"{self.page_id}.py"


EVERYONE = frozenset(Role)
LEADERS = frozenset({Role.DIRECTOR, Role.MANAGER})

PAGES: tuple[PageSpec, ...] = (
    PageSpec("overview", "page_overview", ":material/dashboard:", EVERYONE),
    PageSpec("targets", "page_targets", ":material/flag:", EVERYONE),
    PageSpec("daily", "page_daily", ":material/today:", EVERYONE),
    PageSpec("weekly", "page_weekly", ":material/date_range:", LEADERS),
    PageSpec("meeting", "page_meeting", ":material/co_present:", LEADERS),
    PageSpec("monthly", "page_monthly", ":material/calendar_month:", LEADERS),
    PageSpec("efficiency", "page_efficiency", ":material/directions_walk:", EVERYONE),
    PageSpec("pipeline", "page_pipeline", ":material/filter_alt:", EVERYONE),
    PageSpec("forecast", "page_forecast", ":material/query_stats:", EVERYONE),
    PageSpec("customers", "page_customers", ":material/groups:", EVERYONE),
    PageSpec("data", "page_data", ":material/upload_file:", LEADERS),
)


def pages_for(role: Role) -> list[PageSpec]:
    return [page for page in PAGES if role in page.roles]


def may_open(role: Role, page_id: str) -> bool:
    return any(page.page_id == page_id and role in page.roles for page in PAGES)


def page_id_in(url: str | None) -> str | None:
    """The page a URL points at (``http://host/targets?x=1`` → ``targets``), if it is one."""
    if not url:
        return None
    last = urlparse(url).path.rstrip("/").rsplit("/", 1)[-1]
    return last if any(page.page_id == last for page in PAGES) else None


# Every section of every page and the ``cli.py`` command that gives its figures headless (the
# CLI parity of docs/kpis.md; a test runs each one and checks every shown section is here).
# Keys are the sections' title keys in the catalog (the meeting page, one slide per Monday
# report section, has its title). Each ``kpi`` declares the sections it gives
# (services.kpi_tables, ``shows``); here only the commands that are no ``kpi``: the Data page's
# imports and exports, the customer card's exports, the meeting's actions.
NOT_KPIS: dict[str, dict[str, str]] = {
    "weekly": {"section_actions": "meeting action list --as director"},
    "customers": {"card_title": "export customers customers.csv; export orders orders.csv"},
    "data": {
        "upload_title": "import orders orders.csv",
        "download_title": "export orders orders.csv",
    },
}
HEADLESS: dict[str, dict[str, str]] = headless(NOT_KPIS)
