"""Reading and writing the files of docs/formats.md: CSV (UTF-8 or GB18030, sniffed) or XLSX,
streamed row by row, every cell as text; and the CSV / XLSX an export writes."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO

from crm_core.spreadsheet import csv_safe, text_not_formula

# ---------------------------------------------------------------- reading files


class FileUnreadable(ValueError):
    """The file is not a readable CSV or XLSX file (or not UTF-8/GBK text); ``row`` is the
    spreadsheet row where reading failed (1 when the whole file is unreadable)."""

    def __init__(self, message: str, row: int = 1) -> None:
        super().__init__(message)
        self.row = row


@dataclass(frozen=True)
class TableFile:
    """A ``.csv`` or ``.xlsx`` file (bytes, or a path) read row by row, header first, as
    often as needed, without holding its rows in memory: a 50 MB file is checked and imported
    in bounded memory, chunk by chunk."""

    name: str
    source: bytes | Path
    encoding: str = "utf-8-sig"

    @property
    def is_xlsx(self) -> bool:
        return self.name.lower().endswith(".xlsx")

    def _binary(self) -> BinaryIO:
        return io.BytesIO(self.source) if isinstance(self.source, bytes) else self.source.open("rb")

    def rows(self) -> Iterator[list[str]]:
        """Every row as text cells. Raises :class:`FileUnreadable` naming the line."""
        yield from (self._xlsx_rows() if self.is_xlsx else self._csv_rows())

    def _csv_rows(self) -> Iterator[list[str]]:
        with self._binary() as raw:
            # newline="": the csv module sees \r\n, \n and a lone \r (old Mac) as line ends
            text = io.TextIOWrapper(raw, encoding=self.encoding, newline="")
            reader = csv.reader(text, strict=True)
            try:
                yield from reader
            except (csv.Error, UnicodeDecodeError) as problem:
                raise FileUnreadable(
                    f"not readable as CSV text ({problem})", max(1, reader.line_num)
                ) from None

    def _xlsx_rows(self) -> Iterator[list[str]]:
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(self._binary(), read_only=True, data_only=True)
        except Exception as problem:  # noqa: BLE001 - zip, XML and openpyxl errors alike
            raise FileUnreadable(
                f"not a readable Excel .xlsx file ({type(problem).__name__}: {problem})"
            ) from None
        try:
            for row in workbook.worksheets[0].iter_rows(values_only=True):
                yield [_xlsx_text(value) for value in row]
        except Exception as problem:  # noqa: BLE001 - a sheet that is corrupt further in
            raise FileUnreadable(
                f"not a readable Excel .xlsx file ({type(problem).__name__}: {problem})"
            ) from None
        finally:
            workbook.close()

    def line_count(self) -> int:
        """About how many rows the file has (for a progress bar)."""
        if self.is_xlsx:
            return 0
        count = 0
        with self._binary() as raw:
            for chunk in iter(lambda: raw.read(1 << 20), b""):
                count += chunk.count(b"\n") or chunk.count(b"\r")
        return count


def open_table_file(source: bytes | Path, filename: str | None = None) -> TableFile:
    """A :class:`TableFile` for ``source``; a CSV's encoding is UTF-8 (with or without BOM),
    else GB18030 (a superset of GBK and GB2312), decided by reading it through once."""
    name = filename or (source.name if isinstance(source, Path) else "upload")
    lowered = name.lower()
    if not lowered.endswith((".csv", ".xlsx")):
        raise FileUnreadable(f"{name}: expected a .csv or .xlsx file")
    table = TableFile(name, source)
    if lowered.endswith(".csv") and not _utf8(table):
        table = TableFile(name, source, "gb18030")
    return table


def _utf8(table: TableFile) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    with table._binary() as raw:
        try:
            for chunk in iter(lambda: raw.read(1 << 20), b""):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


def read_table_file(data: bytes, filename: str) -> list[list[str]]:
    """The rows of a ``.csv`` or ``.xlsx`` file as text cells, header first (small files)."""
    return list(open_table_file(data, filename).rows())


def _xlsx_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value)) if abs(value) < 1e18 else str(value)
    return str(value)


def write_table_file(rows: Iterable[list[str]], filename: str) -> bytes:
    """CSV (UTF-8 with BOM, so Excel shows Chinese correctly) or XLSX bytes."""
    if filename.lower().endswith(".xlsx"):
        return _xlsx_bytes(rows)
    if filename.lower().endswith(".csv"):
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows([csv_safe(c) for c in r] for r in rows)
        return buffer.getvalue().encode("utf-8-sig")
    raise ValueError(f"{filename}: expected a .csv or .xlsx file")


def _xlsx_bytes(rows: Iterable[list[str]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for row in rows:
        sheet.append([text_not_formula(WriteOnlyCell(sheet, value=value)) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
