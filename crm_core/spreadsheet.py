"""Cells that a spreadsheet will not run: the one rule every CSV and Excel writer applies
(OWASP "CSV injection"). A text that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return is read by Excel, LibreOffice and Google Sheets as a formula (``=HYPERLINK(…)`` becomes a
live link, ``=cmd|…`` a command). In CSV such a text gets a leading apostrophe, which the
spreadsheet hides and which import strips again; in XLSX the cell is stored as text, so the
visible text stays exactly as it was. Numbers (``-12.50``) are left alone."""

from __future__ import annotations

import re

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?(\d[\d,]*)?(\.\d+)?([eE][+-]?\d+)?")
QUOTE = "'"


def formula_like(value: object) -> bool:
    """Whether a spreadsheet would take ``value`` for a formula (a signed number is not one)."""
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS):
        return False
    return not (NUMBER.fullmatch(value) and any(ch.isdigit() for ch in value))


def csv_safe(value: object) -> object:
    """``value`` for a CSV cell: a formula-like text behind an apostrophe, anything else as is."""
    return QUOTE + value if formula_like(value) else value  # type: ignore[operator]


def csv_safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells and column names are :func:`csv_safe`."""
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(csv_safe)
    safe.columns = [csv_safe(str(c)) for c in safe.columns]
    return safe


def unquoted(text: str) -> str:
    """An imported cell as it was before :func:`csv_safe` (``'=x`` → ``=x``)."""
    if text.startswith(QUOTE) and formula_like(text[1:]):
        return text[1:]
    return text


def text_not_formula(cell: object) -> object:
    """An openpyxl cell whose formula-like text is stored as text (``t="inlineStr"``), so that
    Excel shows it and never runs it. Returns the cell."""
    if formula_like(getattr(cell, "value", None)):
        cell.data_type = "s"  # type: ignore[attr-defined]
    return cell


def workbook_without_formulas(workbook: object) -> None:
    """Every formula-like cell of an (ordinary, not write-only) openpyxl workbook as text."""
    for sheet in workbook.worksheets:  # type: ignore[attr-defined]
        for row in sheet.iter_rows():
            for cell in row:
                text_not_formula(cell)
