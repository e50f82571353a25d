"""Safe reading and writing of the CSV and XLSX files that imports and exports exchange.

`read_table` turns an upload into a `Table` of string rows or raises `TableError`; the
`parse_*` helpers and `check_columns` let the domain layer report field errors the same way
everywhere; `write_csv` and `write_xlsx` produce exports escaped against formula injection.
"""

from .reader import (
    Progress,
    Row,
    Source,
    Table,
    TableError,
    TableIssue,
    check_columns,
    format_issue,
    is_formula_like,
    parse_amount,
    parse_bool,
    parse_date,
    parse_decimal,
    parse_int,
    read_table,
)
from .writer import EscapedCsvWriter, escape_cell, write_csv, write_xlsx

__all__ = [
    "EscapedCsvWriter",
    "Progress",
    "Row",
    "Source",
    "Table",
    "TableError",
    "TableIssue",
    "check_columns",
    "escape_cell",
    "format_issue",
    "is_formula_like",
    "parse_bool",
    "parse_amount",
    "parse_date",
    "parse_decimal",
    "parse_int",
    "read_table",
    "write_csv",
    "write_xlsx",
]
