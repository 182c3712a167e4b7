"""Import and export of the docs/formats.md tables, CSV or XLSX.

Import reads the file as a stream, 5,000 rows at a time, and validates every row (types, enums,
dates, references to known IDs, amounts ≥ 0, duplicate IDs inside the file, the importer's write
rules). One transaction holds the whole import: while no error has turned up each chunk is
written (new rows inserted, changed rows updated — upsert on the ID —, unchanged rows left alone,
so re-importing a file changes nothing); an error anywhere rolls all of it back. Rows are
numbered as in a spreadsheet: the header is row 1, the first data row is row 2.

The package: ``files`` (reading and writing CSV / XLSX), ``cells`` (one cell's value),
``validating`` (every check of a file, as row errors), ``importing`` (the one-transaction
write) and ``exporting``.
"""

from db.transfer.cells import CellError, parse_cell
from db.transfer.exporting import export_file, export_records
from db.transfer.files import (
    FileUnreadable,
    TableFile,
    open_table_file,
    read_table_file,
    write_table_file,
)
from db.transfer.importing import import_file, import_rows
from db.transfer.validating import ImportResult, RowError, scope_errors

__all__ = [
    "CellError", "FileUnreadable", "ImportResult", "RowError", "TableFile", "export_file",
    "export_records", "import_file", "import_rows", "open_table_file", "parse_cell",
    "read_table_file", "scope_errors", "write_table_file",
]  # fmt: skip
