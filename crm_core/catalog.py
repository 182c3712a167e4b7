"""Every UI and report string in English and Simplified Chinese (one catalog, no Streamlit:
the CLI renders reports with it too; :func:`ui.i18n.t` picks the language of the session).

The strings live in ``crm_core/catalog.toml``, one table per key with its ``en`` and ``zh``
text, so that a translator edits data, not code; TOML refuses a key written twice. It sits
below the reports and the UI, which both use it."""

from __future__ import annotations

import tomllib
from pathlib import Path

LANGUAGES = {"en": "English", "zh": "简体中文"}


def _catalog(path: Path) -> dict[str, tuple[str, str]]:
    """The catalog file as key -> (English, Chinese), in file order; both must be present."""
    with path.open("rb") as file:
        tables = tomllib.load(file)
    return {key: (entry["en"], entry["zh"]) for key, entry in tables.items()}


CATALOG: dict[str, tuple[str, str]] = _catalog(Path(__file__).with_name("catalog.toml"))


def text(key: str, lang: str, **values: object) -> str:
    """The string ``key`` in ``lang`` (``en`` or ``zh``) with ``{placeholders}`` filled in."""
    english, chinese = CATALOG[key]
    chosen = chinese if lang == "zh" else english
    return chosen.format(**values) if values else chosen
