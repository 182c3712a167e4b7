"""Which pages exist and which roles may open them (docs/roles.md)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from crm_core.scope import Role

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
# report section, has its title); a drill-down under a section names its own command after a
# ";". The Data page's sections are the CLI's import and export.
HEADLESS: dict[str, dict[str, str]] = {
    "overview": {
        "results": "kpi targets --metric revenue --metric gross_margin --metric collections "
        "--metric new_customers",
        "trend_12": "kpi targets --by month",
    },
    "targets": {
        "heatmap_title": "kpi targets --by rep,month",
        "by_region_then_rep": "kpi targets --by region,rep; kpi rep_customers --rep E0001",
        "by_product": "kpi targets --by product --metric revenue --metric gross_margin",
    },
    "daily": {"team_day": "kpi daily", "sign_off_queue": "kpi daily", "my_day": "kpi daily"},
    "weekly": {
        "section_actions": "meeting action list --as director; kpi monday --section actions",
        "section_decisions": "kpi monday --section decisions",
        "section_summary": "kpi weekly",
        "section_regions": "kpi monday --section regions",
        "section_reps": "kpi monday --section reps",
        "section_competitors": "kpi monday --section competitors",
        "section_complaints": "kpi monday --section complaints",
        "section_drops": "kpi monday --section drops",
        "section_next_week": "kpi monday --section next_week",
    },
    "meeting": {"page_meeting": "kpi monday --section decisions; kpi weekly"},
    "monthly": {
        "by_region": "kpi monthly --by region",
        "by_rep": "kpi monthly --by rep; kpi rep_customers --rep E0001",
        "trend_title": "kpi targets --by month --metric revenue",
        "pipeline_snapshot": "kpi pipeline",
        "customer_base": "kpi attrition",
    },
    "efficiency": {
        "league": "kpi efficiency --by rep",
        "busy_not_converting": "kpi efficiency --by rep",
        "call_funnel": "kpi call_funnel",
        "purpose_mix": "kpi purposes",
        "overdue_title": "kpi cadence",
        "time_allocation": "kpi time_allocation",
    },
    "pipeline": {
        "funnel_title": "kpi pipeline",
        "coverage_title": "kpi coverage --by rep; kpi rep_customers --rep E0001",
        "stale_title": "kpi stale",
        "days_in_stage_title": "kpi open_deals",
        "win_trend": "kpi win_rate --by month",
        "forecast_title": "kpi forecast --by region",
    },
    "customers": {
        "pareto_title": "kpi abc",
        "tiers_title": "kpi tiers",
        "matrix_title": "kpi matrix",
        "key_lists_title": "kpi key_lists",
        "attrition_title": "kpi attrition --by region",
        "card_title": "export customers customers.csv; export orders orders.csv",
    },
    "data": {
        "upload_title": "import orders orders.csv",
        "download_title": "export orders orders.csv",
    },
}
