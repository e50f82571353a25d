"""Write tables to CSV and XLSX for people to open in Excel, escaped against formula injection.

Exports carry text that users and suppliers typed. A supplier named "=HYPERLINK(...)" must open
as text, not run as a formula, in whoever downloads the export: every text cell that a
spreadsheet program would take for a formula (starting with =, +, -, @, a tab or a carriage
return) gets a leading apostrophe, as OWASP's CSV injection guidance recommends. Real numbers are
not text and stay numbers: 12.5 is written as a number, "-12.50" as the text "'-12.50".
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import IO, Any, cast

from .reader import _float_text, is_formula_like

__all__ = ["EscapedCsvWriter", "escape_cell", "write_csv", "write_xlsx"]

Target = str | os.PathLike[str] | IO[bytes] | IO[str]

# Characters that XML 1.0, and so XLSX, cannot hold; openpyxl raises on them.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_MAX_CELL_TEXT = 32_767  # Excel shows a repair dialog for longer cell text


def escape_cell(value: Any) -> Any:
    """Return a value safe for a spreadsheet cell: formula-like text gets a leading apostrophe.

    Only strings are changed; numbers, dates, booleans and None are returned as they are.
    """
    if isinstance(value, str) and is_formula_like(value):
        return "'" + value
    return value


class EscapedCsvWriter:
    """A csv writer for text streams (a command's output) that escapes every cell like exports.

    Every CSV the project writes goes through this module: commands use this class (no BOM,
    plain lines), downloads use `write_csv`. Rows are sequences, or mappings when `fieldnames`
    is given (as `csv.DictWriter`).
    """

    def __init__(
        self,
        file: Any,
        *,
        fieldnames: Sequence[str] | None = None,
        delimiter: str = ",",
        lineterminator: str = "\n",
    ) -> None:
        self.fieldnames = list(fieldnames) if fieldnames is not None else None
        self._writer = csv.writer(file, delimiter=delimiter, lineterminator=lineterminator)

    def writeheader(self) -> None:
        if self.fieldnames is None:
            raise TypeError("writeheader needs fieldnames")
        self.writerow(self.fieldnames)

    def writerow(self, row: Sequence[Any] | dict[str, Any]) -> None:
        if isinstance(row, dict):
            if self.fieldnames is None:
                raise TypeError("a mapping row needs fieldnames")
            unknown = set(row) - set(self.fieldnames)
            if unknown:
                raise ValueError(f"fields not in fieldnames: {sorted(unknown)}")
            row = [row.get(name, "") for name in self.fieldnames]
        self._writer.writerow([_csv_text(value) for value in row])

    def writerows(self, rows: Iterable[Sequence[Any] | dict[str, Any]]) -> None:
        for row in rows:
            self.writerow(row)


def write_csv(
    path_or_file: Target,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    delimiter: str = ",",
    decimal_separator: str = ".",
) -> None:
    """Write a header row and data rows as CSV: UTF-8 with a BOM, minimal quoting, CRLF lines.

    The byte order mark makes Excel read Swedish letters right. `path_or_file` is a path, a
    binary file object (an `HttpResponse` works) or a text file object. Numbers are written
    plainly with `decimal_separator` and no grouping, dates as YYYY-MM-DD, aware datetimes in
    local time. Swedish Excel wants `delimiter=";"` and `decimal_separator=","`
    (`hallbar.core.exports` picks them by language).
    """
    args = (headers, rows, delimiter, decimal_separator)
    if isinstance(path_or_file, str | os.PathLike):
        with open(path_or_file, "w", encoding="utf-8-sig", newline="") as file:
            _write_csv_rows(file, *args)
        return
    if isinstance(path_or_file, io.TextIOBase):
        path_or_file.write("\ufeff")
        _write_csv_rows(path_or_file, *args)
        return
    binary = cast(IO[bytes], path_or_file)
    binary.write(b"\xef\xbb\xbf")
    _write_csv_rows(_Utf8Writer(binary), *args)


class _Utf8Writer:
    """Encode the csv module's text output to UTF-8 for a binary file object."""

    def __init__(self, target: IO[bytes]) -> None:
        self.target = target

    def write(self, text: str) -> int:
        return self.target.write(text.encode("utf-8"))


def _write_csv_rows(
    file: Any,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    delimiter: str,
    decimal_separator: str = ".",
) -> None:
    writer = csv.writer(file, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([_csv_text(header) for header in headers])
    for row in rows:
        writer.writerow([_csv_text(value, decimal_separator) for value in row])


def _csv_text(value: Any, decimal_separator: str = ".") -> str:
    text = _csv_plain(value)
    if decimal_separator != "." and isinstance(value, float | Decimal):
        return text.replace(".", decimal_separator)
    return text


def _csv_plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float_text(value) if _finite(value) else ""
    if isinstance(value, Decimal):
        return format(value, "f") if value.is_finite() else ""
    if isinstance(value, dt.datetime):
        return _local(value).isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    # NUL cannot be written by the csv module; replace it like XLSX's illegal characters.
    return str(escape_cell(str(value).replace("\x00", "\ufffd")))


def _finite(value: float) -> bool:
    return value == value and value not in (float("inf"), float("-inf"))


def _local(value: dt.datetime) -> dt.datetime:
    """Return a datetime as naive local time (Excel has no time zones)."""
    if value.tzinfo is None:
        return value
    from django.utils import timezone

    return timezone.localtime(value).replace(tzinfo=None)


def write_xlsx(
    path_or_file: str | os.PathLike[str] | IO[bytes],
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    sheet_title: str,
) -> None:
    """Write a header row and data rows as an XLSX workbook with one sheet.

    Uses openpyxl's write-only mode, which streams rows to disk and handles 100 000 rows in
    constant memory. The header row is bold and frozen and carries an autofilter over the
    written rows, so the file opens ready to sort and filter. Numbers stay numbers, dates and
    datetimes become date cells (aware datetimes in local time), text is escaped with
    `escape_cell`, stripped of characters XML cannot hold and cut at Excel's 32 767 characters.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(sheet_title))
    # Column sizes and panes must be set before the first row is written.
    for index, header in enumerate(headers, start=1):
        width = min(max(len(str(header)) + 2, 10), 60)
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=_xlsx_value(header))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    last_row = 1
    for row in rows:
        sheet.append([_xlsx_value(value) for value in row])
        last_row += 1
    # The autoFilter element follows the rows in the sheet's XML, so it can be set last.
    if headers:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{last_row}"
    workbook.save(path_or_file)


def _xlsx_value(value: Any) -> Any:
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        return value if _finite(value) else None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, dt.datetime):
        return _local(value)
    if isinstance(value, dt.date | dt.time | dt.timedelta):
        return value
    text = _ILLEGAL_XML.sub("\ufffd", str(value))[:_MAX_CELL_TEXT]
    return escape_cell(text)


def _sheet_title(title: str) -> str:
    """Return a title Excel accepts: at most 31 characters, none of []:*?/\\, not blank."""
    cleaned = _SHEET_TITLE_FORBIDDEN.sub(" ", title).strip().strip("'")[:31].strip()
    return cleaned or "Sheet1"
