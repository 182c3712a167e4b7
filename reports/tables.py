"""A computation's rows as the CLI prints them: JSON (an array of row objects) or CSV with
the same columns; money in yuan with two decimals, counts whole, dates ISO, undefined values
null, and CSV cells a spreadsheet would run as formulas neutralised."""

from __future__ import annotations

import csv
import io
import json

import pandas as pd

from crm_core import formatting as fmt
from crm_core.spreadsheet import csv_safe
from crm_core.vocabulary import money_metric


def render(table: pd.DataFrame, kind: str) -> str:
    """JSON: an array of row objects (money in yuan, ratios as fractions, null = undefined);
    CSV: the same columns."""
    rows = [_plain(row) for row in table.to_dict("records")]
    if kind == "json":
        return json.dumps(rows, ensure_ascii=False, indent=1) + "\n"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(table.columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows({key: csv_safe(value) for key, value in row.items()} for row in rows)
    return buffer.getvalue()


def _plain(row: dict) -> dict:
    """A row for JSON/CSV: money in yuan (2 decimals), counts as whole numbers, and a count's
    projection or run-rate with its fraction (0.304 new customers a day is not 0)."""
    money = money_metric(str(row.get("metric", "")))
    plain = {}
    for key, value in row.items():
        if value is None or (isinstance(value, float) and value != value):
            plain[key] = None
        elif key in MONEY_COLUMNS and money or key in ALWAYS_MONEY:
            plain[key] = fmt.yuan(value, 2)
        elif hasattr(value, "isoformat"):
            plain[key] = value.isoformat()
        else:
            value = value.item() if hasattr(value, "item") else value
            whole = key in MONEY_COLUMNS and isinstance(value, float) and value.is_integer()
            plain[key] = int(value) if whole else value
    return plain


MONEY_COLUMNS = {"target", "actual", "variance", "projection", "required_run_rate"}
ALWAYS_MONEY = {
    "revenue", "collections", "amount", "weighted", "remaining", "pipeline", "forecast",
    "potential",
}  # fmt: skip
