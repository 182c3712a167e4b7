"""One cell of an import file as the value its column holds (dates, money in cents, numbers,
booleans, enums, periods), or a :class:`CellError` saying what was expected."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal

from crm_core.periods import EARLIEST_DAY, LATEST_DAY, DateOutOfRange, checked_day
from db.formats import Column

TRUE = {"true", "1", "yes", "y", "t", "是", "真"}
FALSE = {"false", "0", "no", "n", "f", "否", "假"}


# ---------------------------------------------------------------- validating cells


class CellError(ValueError):
    pass


def parse_cell(column: Column, raw: str) -> object:
    """The typed value of one non-empty cell, or :class:`CellError` saying what was expected."""
    text = raw.strip()
    if column.kind == "enum":
        return _parse_enum(column, text)
    return PARSERS[column.kind](text)


def _parse_date(text: str) -> date:
    """``YYYY-MM-DD`` in the accepted range; a midnight timestamp (how Excel exports a date) is
    read as its day."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise CellError(f"expected a date YYYY-MM-DD, found {text!r}") from None
    if len(text) != 10 and moment.time() != datetime.min.time():
        raise CellError(f"expected a date YYYY-MM-DD, found the timestamp {text!r}")
    return _in_range(moment.date())


def _in_range(day: date) -> date:
    try:
        return checked_day(day)
    except DateOutOfRange:
        raise CellError(
            f"expected a date from {EARLIEST_DAY} to {LATEST_DAY}, found {day}"
        ) from None


def _parse_datetime(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise CellError(f"expected a timestamp YYYY-MM-DDTHH:MM[:SS], found {text!r}") from None
    _in_range(moment.date())
    return moment.replace(tzinfo=None) if moment.tzinfo is None else _local_naive(moment)


def _local_naive(moment: datetime) -> datetime:
    from zoneinfo import ZoneInfo

    return moment.astimezone(ZoneInfo("Asia/Shanghai")).replace(tzinfo=None)


PLAIN_NUMBER = re.compile(r"\d+(\.\d+)?|\d{1,3}(,\d{3})+(\.\d+)?|\.\d+")
MAX_MONEY = Decimal("1000000000000")  # ¥1 trillion: one cell above it is a typo, not a sale
MAX_INT = 2_147_483_647


def _parse_decimal(text: str, limit: Decimal = MAX_MONEY) -> Decimal:
    """A plain decimal ≥ 0 (thousands separators only in groups of three, ``¥`` allowed);
    no exponent, at most ``limit``."""
    cleaned = text.replace("¥", "").replace("￥", "").strip()
    if not PLAIN_NUMBER.fullmatch(cleaned):
        raise CellError(f"expected a number ≥ 0, found {text!r}")
    value = Decimal(cleaned.replace(",", ""))
    if value > limit:
        raise CellError(f"expected a number at most {limit:,}, found {text!r}")
    return value


def _parse_money(text: str) -> int:
    value = _parse_decimal(text)
    cents = value * 100
    if cents != cents.to_integral_value():
        raise CellError(f"expected an amount with at most 2 decimals, found {text!r}")
    return int(cents)


def _parse_int(text: str) -> int:
    value = _parse_decimal(text, Decimal(MAX_INT))
    if value != value.to_integral_value():
        raise CellError(f"expected a whole number ≥ 0, found {text!r}")
    return int(value)


def _parse_bool(text: str) -> bool:
    lowered = text.lower()
    if lowered in TRUE:
        return True
    if lowered in FALSE:
        return False
    raise CellError(f"expected true or false, found {text!r}")


def _parse_enum(column: Column, text: str) -> str:
    for choice in column.choices:
        if text.lower() == choice.lower():
            return choice
    raise CellError(f"expected one of {'|'.join(column.choices)}, found {text!r}")


def _parse_period(text: str) -> str:
    try:
        year, month = text.split("-")
        if len(year) == 4 and len(month) == 2 and 1 <= int(month) <= 12:
            _in_range(date(int(year), int(month), 1))
            return f"{int(year):04d}-{int(month):02d}"
    except ValueError:
        pass
    raise CellError(f"expected a month YYYY-MM, found {text!r}")


#: The parser of each column kind but ``enum`` (whose codes are the column's).
PARSERS: dict[str, Callable[[str], object]] = {
    "text": str,
    "date": _parse_date,
    "datetime": _parse_datetime,
    "money": _parse_money,
    "amount": _parse_decimal,
    "int": _parse_int,
    "bool": _parse_bool,
    "period": _parse_period,
}
