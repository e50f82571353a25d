"""Read uploaded CSV and XLSX files into a uniform table of strings, safely.

Every import (contracts, suppliers, invoice lines) is built on `read_table`: it detects the
format from the content, enforces size limits, decodes text, finds the header row and yields
each non-empty data row as a `Row` of stripped strings keyed by column name. Whole-file problems
raise `TableError`; row-level structural problems (a CSV row with too many or too few fields, a
value under a column without a name) are collected in `Table.issues` so that the domain layer
can report every bad row at once and write nothing unless all rows pass.

Cells are always strings here: the domain layer parses them with `parse_amount` (kronor, at
most two decimals), `parse_decimal`, `parse_int`, `parse_date` and `parse_bool`, whichever
format the file had. XLSX numbers are rendered without
float noise ("12", not "12.0"), dates as ISO "YYYY-MM-DD", booleans as "true"/"false".

Formula injection: nothing read here is ever evaluated. A text cell such as "=HYPERLINK(...)"
stays that literal text; `is_formula_like` lets the domain layer refuse such values in fields
where they make no sense (names, free text that is exported again). Numeric fields need no such
check: "-12.50" is a fine credit-note amount and `parse_decimal` accepts nothing but a number.

XLSX files are read with python-calamine, which is fast but materialises the used range of a
sheet as a dense grid (32 bytes a cell) and aborts the whole process when that allocation fails:
one stray value in cell XFD1048576 of a 5 kB file would ask for 512 GiB. So before calamine
touches a sheet, its XML is scanned for the largest row and column it could address; sheets
whose grid would be too large, or mostly empty, are streamed with openpyxl's read-only mode
instead, which stops after a long run of empty rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import functools
import io
import os
import posixpath
import re
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any, Literal, Protocol
from xml.etree import ElementTree

from django.conf import settings
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _

__all__ = [
    "Progress",
    "Row",
    "Source",
    "Table",
    "TableError",
    "TableIssue",
    "check_columns",
    "format_issue",
    "is_formula_like",
    "parse_bool",
    "parse_date",
    "parse_amount",
    "parse_decimal",
    "parse_int",
    "read_table",
]

StrOrPromise = str | Promise
Source = str | os.PathLike[str] | IO[bytes]
Progress = Callable[[int, int | None], None]

# Reading stops after this many consecutive empty rows in a workbook: sheets formatted down to
# row 1 048 576 are common, and their empty tail must cost neither time nor memory.
EMPTY_RUN_LIMIT = 1_000
# The reader lists at most this many row problems: a file in the wrong delimiter or layout
# would otherwise produce one message per row, which helps nobody and costs memory.
MAX_ISSUES = 10_000
# Calamine's dense grid costs 32 bytes a cell; cap it at about 512 MiB.
_GRID_BUDGET = 16_000_000
# A grid this small is always read with calamine, however sparse.
_SMALL_GRID = 250_000
# A larger grid must hold at least one value per this many cells to be read with calamine;
# sparser sheets (formatted but empty rows, stray far-away cells) are streamed instead.
_SPARSENESS_LIMIT = 20
# An XML part of a workbook may unpack to at most this many times the upload limit (and at
# least _MIN_XML_LIMIT bytes): a zip bomb must not cost minutes or gigabytes.
_XML_EXPANSION_LIMIT = 30
_MIN_XML_LIMIT = 64 * 1024 * 1024
# An XML part larger than _RATIO_FLOOR may unpack to at most _MAX_RATIO times the size of the
# whole file: a 310 KB file must not unpack to a 300 MB list of shared strings.
_MAX_RATIO = 100
_RATIO_FLOOR = 16 * 1024 * 1024
# A worksheet may hold at most this many cells, and the shared strings at most this many strings
# (setting HALLBAR_XLSX_MAX_CELLS); about 1 000 000 rows of a few columns.
MAX_CELLS = 8_000_000
# Workbook and relationship parts are tiny; anything bigger is not a real workbook.
_SMALL_PART_LIMIT = 16 * 1024 * 1024
_CHUNK = 8 * 1024 * 1024

_ZIP_SIGNATURE = b"PK\x03\x04"
_EMPTY_ZIP_SIGNATURE = b"PK\x05\x06"
_OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_EXCEL_EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".xlsb", ".xltx", ".xltm")
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_DELIMITERS = (",", ";", "\t")

# Messages. English source strings, translated when they are shown (gettext_lazy).
_TOO_LARGE = _("The file is too large (%(size)s MB); the limit is %(limit)s MB.")
_EMPTY = _("The file is empty.")
_NO_HEADER = _("The file has no header row with column names.")
_OLE2 = _(
    "The file is password-protected or saved in the old Excel format (.xls). Save it as an "
    "Excel workbook (.xlsx) without a password and upload it again."
)
_DAMAGED = _("The file is damaged or is not an Excel file (.xlsx).")
_OTHER_ZIP = _(
    "The file is not an Excel workbook (.xlsx). Save OpenDocument (.ods) and binary (.xlsb) "
    "workbooks as .xlsx and upload them again."
)
_EXCEL_NAME_TEXT_CONTENT = _(
    "The file name ends in %(extension)s, but the file is not an Excel workbook. Save it as "
    ".xlsx or as CSV and upload it again."
)
_UNPACKS_TOO_LARGE = _("The workbook is too large when unpacked (more than %(limit)s MB).")
_UNPACKS_TOO_FAR = _(
    "The workbook unpacks to more than %(ratio)s times its size (more than %(limit)s MB): it "
    "looks like a zip bomb and was not read."
)
_TOO_MANY_CELLS = _(
    "The workbook holds more than %(limit)s cells or texts; import it in smaller files."
)
_NO_WORKSHEETS = _("The workbook contains no worksheets.")
_NO_SUCH_SHEET = _("The workbook has no sheet named '%(sheet)s'. Its sheets are: %(sheets)s.")
_SHEET_EMPTY = _("The worksheet '%(sheet)s' is empty.")
_UTF16 = _(
    "The file is saved as UTF-16 text ('Unicode text'). Save it as 'CSV UTF-8' and upload it again."
)
_NUL_BYTES = _(
    "The file contains NUL bytes (the first on line %(line)s), so it is not a CSV text file."
)
_NOT_UTF8 = _(
    "The file is not UTF-8 text: the byte at offset %(offset)s (line %(line)s) is not valid. "
    "Save it as 'CSV UTF-8' and upload it again."
)
_MIXED_ENCODING = _(
    "The file mixes UTF-8 with another character encoding: the byte at offset %(offset)s "
    "(line %(line)s) is not valid UTF-8. Save it as 'CSV UTF-8' and upload it again."
)
_CSV_SYNTAX = _(
    "The file cannot be read from line %(line)s on: a quoted value is never closed or a value "
    "is too long."
)
_TOO_MANY_ROWS = _("The file has more than %(limit)s data rows.")
_DUPLICATE_COLUMN = _("the column name appears more than once in the header row")
_FIELD_COUNT = _("the row has %(found)s values, but the header row has %(expected)s columns")
_UNNAMED_VALUE = _("there is a value in column %(letter)s, which has no name in the header row")
_TOO_MANY_ISSUES = _("More than %(limit)s rows have problems; only the first are listed.")
_MISSING_COLUMN = _("the required column is missing")
_UNKNOWN_COLUMN_HINT = _("unknown column; did you mean '%(suggestion)s'?")
_UNKNOWN_COLUMN = _("unknown column; the expected columns are: %(expected)s")
_NOT_A_NUMBER = _("not a number: '%(value)s'")
_AMBIGUOUS_NUMBER = _(
    "ambiguous number: '%(value)s' (group thousands with spaces and use either a comma or a "
    "point for decimals, not both)"
)
_NOT_A_WHOLE_NUMBER = _("not a whole number: '%(value)s'")
_TOO_MANY_DECIMALS = _(
    "too many decimals: '%(value)s' (amounts in kronor have at most two decimals; group "
    "thousands with spaces, e.g. 12 345)"
)
_NOT_A_DATE = _("not a date: '%(value)s' (write dates as YYYY-MM-DD)")
_INVALID_DATE = _("no such date: '%(value)s'")
_NOT_A_BOOL = _("not yes or no: '%(value)s' (write ja/nej, yes/no, true/false, 1/0 or x)")
_LOCATION_ROW_COLUMN = _("%(file)s, row %(row)s, column '%(column)s': %(message)s")
_LOCATION_ROW = _("%(file)s, row %(row)s: %(message)s")
_LOCATION_COLUMN = _("%(file)s, column '%(column)s': %(message)s")
_LOCATION_FILE = _("%(file)s: %(message)s")


def _interpolate(message: StrOrPromise, params: dict[str, Any]) -> str:
    return str(message) % params


# Translation happens when the message is turned into text, in the language active then (the
# user's, in a view), not when the file is read (perhaps in a background task).
_lazy_interpolate = lazy(_interpolate, str)


def _message(message: StrOrPromise, **params: Any) -> StrOrPromise:
    """Bind parameters to a translatable message without translating it yet."""
    return _lazy_interpolate(message, params)


def _shown(value: str, limit: int = 60) -> str:
    """Return a value as it may be quoted in a message: short, with control characters visible."""
    if len(value) > limit:
        value = value[: limit - 1] + "…"
    if value.isprintable():
        return value
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in value)


@dataclass(frozen=True, slots=True)
class TableIssue:
    """One problem in an uploaded file: where it is and what is wrong, for the user to fix.

    `row` is the row (line) number as the user sees it in Excel or a text editor, `column` the
    column name from the header row; either is None when the problem is not tied to one.
    `message` is translatable and translated when it is turned into text.
    """

    filename: str
    row: int | None
    column: str | None
    message: StrOrPromise

    def __str__(self) -> str:
        return format_issue(self)


class TableError(Exception):
    """The file as a whole cannot be read; `issues` says why."""

    def __init__(self, issues: TableIssue | Iterable[TableIssue]) -> None:
        self.issues = [issues] if isinstance(issues, TableIssue) else list(issues)
        super().__init__(self.issues)

    def __str__(self) -> str:
        return "\n".join(format_issue(issue) for issue in self.issues)


def format_issue(issue: TableIssue) -> str:
    """Return an issue as one line of text in the active language.

    For example: "contracts.csv, row 14, column 'annual_value_sek': not a number: 'abc'".
    """
    params = {
        "file": issue.filename,
        "row": issue.row,
        "column": issue.column,
        "message": str(issue.message),
    }
    if issue.row is not None and issue.column is not None:
        template = _LOCATION_ROW_COLUMN
    elif issue.row is not None:
        template = _LOCATION_ROW
    elif issue.column is not None:
        template = _LOCATION_COLUMN
    else:
        template = _LOCATION_FILE
    return str(template) % params


@dataclass(frozen=True, slots=True)
class Row:
    """One non-empty data row: its number as the user sees it, and its values by column."""

    number: int
    values: dict[str, str]

    def get(self, column: str, default: str = "") -> str:
        """Return the value in a column, or `default` when the table has no such column."""
        return self.values.get(column, default)


@dataclass(frozen=True, slots=True)
class _Layout:
    """Where the header row is and which record positions hold named columns."""

    header_row: int
    columns: list[str]
    positions: list[int]
    width: int
    names: list[str]


_Records = Callable[[], Iterator[tuple[int, list[str]]]]


class Table:
    """A validated table read from a file: column names, row problems and the data rows.

    Iterating yields every non-empty data row that has no structural problem, in file order;
    the rows listed in `issues` are left out. Each iteration parses the file's content again
    (kept compactly in memory), so iterating twice, once to validate and once to write, costs
    twice the parsing but never holds a million `Row` objects at once.
    """

    def __init__(
        self,
        *,
        filename: str,
        format: Literal["csv", "xlsx"],
        layout: _Layout,
        issues: list[TableIssue],
        row_count: int,
        records: _Records,
        strict_width: bool,
        column_offset: int,
        sheet: str | None = None,
        delimiter: str | None = None,
        encoding: str | None = None,
    ) -> None:
        self.filename = filename
        self.format = format
        self.columns = list(layout.columns)
        self.header_row = layout.header_row
        self.issues = issues
        self.sheet = sheet
        self.delimiter = delimiter
        self.encoding = encoding
        self._layout = layout
        self._row_count = row_count
        self._records = records
        self._strict_width = strict_width
        self._column_offset = column_offset

    def __len__(self) -> int:
        """Return the number of rows that iteration yields."""
        return self._row_count

    def __iter__(self) -> Iterator[Row]:
        for item in _walk(
            self._records(),
            filename=self.filename,
            strict_width=self._strict_width,
            stop_after_empty=self.format == "xlsx",
            column_offset=self._column_offset,
        ):
            if isinstance(item, Row):
                yield item

    def __repr__(self) -> str:
        return f"<Table {self.filename!r} {self.format} columns={self.columns} rows={len(self)}>"

    def issue(self, row: Row | int | None, column: str | None, message: StrOrPromise) -> TableIssue:
        """Return an issue located in this table, for the domain layer's field errors."""
        number = row.number if isinstance(row, Row) else row
        return TableIssue(self.filename, number, column, message)


def read_table(
    source: Source,
    *,
    filename: str,
    sheet: str | None = None,
    max_bytes: int = 50 * 1024 * 1024,
    max_rows: int = 1_000_000,
    progress: Progress | None = None,
) -> Table:
    """Read a CSV or XLSX file into a `Table`, detecting the format from the content.

    `source` is a path or a binary file object (read from its start); `filename` is the name the
    user knows the file by and is used only in messages (and to notice an Excel name on a text
    file). `sheet` picks a worksheet by name; by default the first visible worksheet is read.
    `progress(rows_read, total_or_None)` is called now and then while the file is read.
    Raise `TableError` when the file as a whole cannot be read.
    """
    path, data = _load(source, filename=filename, max_bytes=max_bytes)
    head = data[:8] if data is not None else _read_head(path)
    if head.startswith(_OLE2_SIGNATURE):
        raise TableError(TableIssue(filename, None, None, _OLE2))
    if head.startswith((_ZIP_SIGNATURE, _EMPTY_ZIP_SIGNATURE)):
        return _read_xlsx(
            path if path is not None else io.BytesIO(data or b""),
            filename=filename,
            sheet=sheet,
            max_bytes=max_bytes,
            max_rows=max_rows,
            progress=progress,
        )
    extension = posixpath.splitext(filename.lower())[1]
    if extension in _EXCEL_EXTENSIONS and head.strip():
        # Systems that "export to Excel" often write HTML or text under an Excel name; reading it
        # as CSV would only produce confusing column errors.
        message = _message(_EXCEL_NAME_TEXT_CONTENT, extension=extension)
        raise TableError(TableIssue(filename, None, None, message))
    if data is None:
        data = _read_start(path, max_bytes + 1)
    return _read_csv(data, filename=filename, max_rows=max_rows, progress=progress)


def _load(source: Source, *, filename: str, max_bytes: int) -> tuple[str | None, bytes | None]:
    """Check the size limit and return (path, None) for a path or (None, content) for a file."""
    if isinstance(source, str | os.PathLike):
        path = os.fspath(source)
        _check_size(os.path.getsize(path), max_bytes, filename)
        return path, None
    size = getattr(source, "size", None)
    if isinstance(size, int):
        _check_size(size, max_bytes, filename)
    if getattr(source, "seekable", lambda: False)():
        source.seek(0)
    data = source.read(max_bytes + 1)
    if not isinstance(data, bytes):
        raise TypeError("read_table needs a binary file object, not a text one")
    _check_size(len(data), max_bytes, filename)
    return None, data


def _check_size(size: int, max_bytes: int, filename: str) -> None:
    if size > max_bytes:
        message = _message(_TOO_LARGE, size=_megabytes(size), limit=_megabytes(max_bytes))
        raise TableError(TableIssue(filename, None, None, message))


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}"


def _read_head(path: str | None) -> bytes:
    return _read_start(path, 8)


def _read_start(path: str | None, size: int) -> bytes:
    """Return the first size bytes of the file at path."""
    if path is None:
        raise ValueError("either a path or the file's data is needed")
    with open(path, "rb") as file:
        return file.read(size)


# --- Rows common to both formats ----------------------------------------------------------------


def _column_letter(index: int) -> str:
    """Return the Excel column letter of a 0-based column index (0 → "A", 26 → "AA")."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _layout(cells: list[str], number: int, filename: str) -> _Layout:
    names = [cell.replace("\ufeff", "").strip() for cell in cells]
    while names and not names[-1]:
        names.pop()
    seen: set[str] = set()
    duplicates: list[str] = []
    for name in names:
        if name and name in seen and name not in duplicates:
            duplicates.append(name)
        seen.add(name)
    if duplicates:
        raise TableError(
            TableIssue(filename, number, name, _DUPLICATE_COLUMN) for name in duplicates
        )
    positions = [index for index, name in enumerate(names) if name]
    return _Layout(
        header_row=number,
        columns=[names[index] for index in positions],
        positions=positions,
        width=len(cells),
        names=names,
    )


def _walk(
    records: Iterator[tuple[int, list[str]]],
    *,
    filename: str,
    strict_width: bool,
    stop_after_empty: bool,
    column_offset: int = 0,
) -> Iterator[_Layout | Row | TableIssue]:
    """Yield the header layout, then for each non-empty data row a `Row` or its issues.

    `strict_width` (CSV) makes a row with more or fewer fields than the header a problem;
    workbooks are grids, where only a value under a column without a name is one.
    """
    layout: _Layout | None = None
    empty_run = 0
    for number, raw in records:
        cells = [cell.strip() for cell in raw]
        if not any(cells):
            empty_run += 1
            if stop_after_empty and empty_run >= EMPTY_RUN_LIMIT:
                return
            continue
        empty_run = 0
        if layout is None:
            layout = _layout(cells, number, filename)
            yield layout
            continue
        problems: list[TableIssue] = []
        if strict_width and (
            len(cells) < layout.width or (len(cells) > layout.width and any(cells[layout.width :]))
        ):
            message = _message(_FIELD_COUNT, found=len(cells), expected=layout.width)
            problems.append(TableIssue(filename, number, None, message))
        limit = min(len(cells), layout.width) if strict_width else len(cells)
        for index in range(limit):
            if cells[index] and (index >= len(layout.names) or not layout.names[index]):
                letter = _column_letter(column_offset + index)
                message = _message(_UNNAMED_VALUE, letter=letter)
                problems.append(TableIssue(filename, number, None, message))
        if problems:
            yield from problems
            continue
        size = len(cells)
        values = {
            name: cells[index] if index < size else ""
            for name, index in zip(layout.columns, layout.positions, strict=True)
        }
        yield Row(number, values)


def _build_table(
    records: _Records,
    *,
    filename: str,
    format: Literal["csv", "xlsx"],
    strict_width: bool,
    column_offset: int,
    max_rows: int,
    progress: Progress | None,
    total: int | None,
    **details: Any,
) -> Table:
    """Walk the records once to find the header, count rows and collect the row problems."""
    layout: _Layout | None = None
    issues: list[TableIssue] = []
    data_rows = 0
    good_rows = 0
    last_number = 0
    for item in _walk(
        records(),
        filename=filename,
        strict_width=strict_width,
        stop_after_empty=format == "xlsx",
        column_offset=column_offset,
    ):
        if isinstance(item, _Layout):
            layout = item
            continue
        number = item.number if isinstance(item, Row) else item.row
        if number != last_number:
            last_number = number or 0
            data_rows += 1
            if data_rows > max_rows:
                message = _message(_TOO_MANY_ROWS, limit=max_rows)
                raise TableError(TableIssue(filename, None, None, message))
            if progress is not None and data_rows % 1000 == 0:
                progress(data_rows, total)
        if isinstance(item, Row):
            good_rows += 1
        elif len(issues) < MAX_ISSUES:
            issues.append(item)
        elif len(issues) == MAX_ISSUES:
            message = _message(_TOO_MANY_ISSUES, limit=MAX_ISSUES)
            issues.append(TableIssue(filename, None, None, message))
    if layout is None:
        raise TableError(TableIssue(filename, None, None, _NO_HEADER))
    if progress is not None:
        progress(data_rows, data_rows)
    return Table(
        filename=filename,
        format=format,
        layout=layout,
        issues=issues,
        row_count=good_rows,
        records=records,
        strict_width=strict_width,
        column_offset=column_offset,
        **details,
    )


# --- CSV ----------------------------------------------------------------------------------------

_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Swedish letters encoded in UTF-8 (å ä ö Å Ä Ö é): in a file that is not valid UTF-8 they mean
# two encodings were mixed, and decoding it all as Windows-1252 would garble them ("Ã¥").
_UTF8_SWEDISH = re.compile(rb"\xc3[\xa5\xa4\xb6\x85\x84\x96\xa9]")


def _read_csv(data: bytes, *, filename: str, max_rows: int, progress: Progress | None) -> Table:
    text, encoding = _decode(data, filename)
    if not text.strip():
        raise TableError(TableIssue(filename, None, None, _EMPTY))
    delimiter = _sniff_delimiter(text)

    def records() -> Iterator[tuple[int, list[str]]]:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        start = 1
        try:
            for record in reader:
                yield start, record
                start = reader.line_num + 1
        except csv.Error as exc:
            message = _message(_CSV_SYNTAX, line=start)
            raise TableError(TableIssue(filename, start, None, message)) from exc

    return _build_table(
        records,
        filename=filename,
        format="csv",
        strict_width=True,
        column_offset=0,
        max_rows=max_rows,
        progress=progress,
        total=None,
        delimiter=delimiter,
        encoding=encoding,
    )


def _decode(data: bytes, filename: str) -> tuple[str, str]:
    """Return the text of a CSV file and the encoding it was in, or raise a clear TableError."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise TableError(TableIssue(filename, None, None, _UTF16))
    nul = data.find(b"\x00")
    if nul >= 0:
        message = _message(_NUL_BYTES, line=data.count(b"\n", 0, nul) + 1)
        raise TableError(TableIssue(filename, None, None, message))
    bom = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    try:
        return data[bom:].decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        offset = bom + exc.start
    line = data.count(b"\n", 0, offset) + 1
    if not bom and not _UTF8_SWEDISH.search(data):
        # Excel's plain "CSV" on Swedish Windows is Windows-1252. Accept it only if it decodes to
        # ordinary text: control characters mean the bytes are something else.
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            text = None
        if text is not None and not _CONTROL_CHARACTERS.search(text):
            return text, "cp1252"
    template = _MIXED_ENCODING if bom or _UTF8_SWEDISH.search(data) else _NOT_UTF8
    raise TableError(TableIssue(filename, None, None, _message(template, offset=offset, line=line)))


def _sniff_delimiter(text: str) -> str:
    """Return the delimiter the header line uses most, outside quotes: comma, semicolon or tab."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    unquoted = re.sub(r'"[^"]*"', "", header)
    counts = {delimiter: unquoted.count(delimiter) for delimiter in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


# --- XLSX ---------------------------------------------------------------------------------------

_MAIN_NS_SUFFIXES = ("/spreadsheetml/2006/main", "/spreadsheetml/main")
_REL_WORKSHEET = "/worksheet"
_REL_SHARED_STRINGS = "/sharedStrings"
_REL_STYLES = "/styles"
_REL_OFFICE_DOCUMENT = "/officeDocument"


class _Damaged(Exception):
    """The workbook's structure is broken; reported as 'damaged'."""


def _read_xlsx(
    source: str | IO[bytes],
    *,
    filename: str,
    sheet: str | None,
    max_bytes: int,
    max_rows: int,
    progress: Progress | None,
) -> Table:
    xml_limit = max(max_bytes * _XML_EXPANSION_LIMIT, _MIN_XML_LIMIT)
    if isinstance(source, str):
        size = os.path.getsize(source)
    else:
        size = source.seek(0, io.SEEK_END)
        source.seek(0)
    ratio_limit = max(size * _MAX_RATIO, _RATIO_FLOOR)
    part_limit = min(xml_limit, ratio_limit)
    max_cells = int(getattr(settings, "HALLBAR_XLSX_MAX_CELLS", MAX_CELLS))

    def fail(message: StrOrPromise) -> TableError:
        return TableError(TableIssue(filename, None, None, message))

    try:
        with zipfile.ZipFile(source) as archive:
            parts = _Parts(archive)
            if parts.find("mimetype") is not None:
                raise fail(_OTHER_ZIP)  # OpenDocument
            workbook_part, relations = parts.workbook()
            if not workbook_part.lower().endswith(".xml"):
                raise fail(_OTHER_ZIP)  # binary workbook (.xlsb)
            sheets = parts.sheets(workbook_part, relations)
            name, sheet_part = _choose_sheet(sheets, sheet, filename)
            for kind in (_REL_SHARED_STRINGS, _REL_STYLES):
                for target in relations.get(kind, []):
                    if parts.find(target) is not None:
                        strings = parts.measure(target, part_limit)
                        if kind == _REL_SHARED_STRINGS and strings > max_cells:
                            raise fail(_message(_TOO_MANY_CELLS, limit=max_cells))
            geometry = parts.scan_sheet(sheet_part, part_limit)
            if max(geometry.cell_tags, geometry.values) > max_cells:
                raise fail(_message(_TOO_MANY_CELLS, limit=max_cells))
    except TableError:
        raise
    except _TooLarge as exc:
        if part_limit < xml_limit:
            raise fail(
                _message(_UNPACKS_TOO_FAR, ratio=_MAX_RATIO, limit=_megabytes(part_limit))
            ) from exc
        raise fail(_message(_UNPACKS_TOO_LARGE, limit=_megabytes(xml_limit))) from exc
    except (
        _Damaged,
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        OSError,
        ValueError,
        NotImplementedError,
        RuntimeError,
        KeyError,
        ElementTree.ParseError,
    ) as exc:
        raise fail(_DAMAGED) from exc
    if isinstance(source, io.BytesIO):
        source.seek(0)
    if geometry.fits_calamine():
        return _read_with_calamine(
            source, filename=filename, sheet=name, max_rows=max_rows, progress=progress
        )
    return _read_with_openpyxl(
        source, filename=filename, sheet=name, max_rows=max_rows, progress=progress
    )


class _TooLarge(Exception):
    """An XML part of the workbook unpacks beyond the limit."""


class _Parts:
    """Look up the parts of an OOXML package by name, ignoring case as Excel does."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self.names = {info.filename.lower(): info.filename for info in archive.infolist()}

    def find(self, name: str) -> str | None:
        return self.names.get(name.lstrip("/").lower())

    def read_small(self, name: str) -> bytes:
        real = self.find(name)
        if real is None:
            raise _Damaged(name)
        with self.archive.open(real) as stream:
            data = stream.read(_SMALL_PART_LIMIT + 1)
        if len(data) > _SMALL_PART_LIMIT:
            raise _Damaged(name)
        return data

    def measure(self, name: str, limit: int) -> int:
        """Unpack a part without keeping it, to prove it stays under the limit.

        Return the number of its shared-string items (<si> elements)."""
        real = self.find(name)
        if real is None:
            return 0
        size = items = 0
        with self.archive.open(real) as stream:
            while chunk := stream.read(_CHUNK):
                size += len(chunk)
                if size > limit:
                    raise _TooLarge(name)
                # An item cut between two chunks is missed: a bound, not an exact count.
                items += len(_SHARED_ITEM.findall(chunk))
        return items

    def relations(self, part: str) -> dict[str, list[str]]:
        """Return the targets of a part's relationships by type suffix, resolved to part names."""
        return {kind: [t for _, t in items] for kind, items in self._relations(part).items()}

    def _relations(self, part: str) -> dict[str, list[tuple[str, str]]]:
        folder, base = posixpath.split(part)
        rels_name = posixpath.join(folder, "_rels", base + ".rels")
        if self.find(rels_name) is None:
            return {}
        result: dict[str, list[tuple[str, str]]] = {}
        for element in ElementTree.fromstring(self.read_small(rels_name)).iter():
            if _local(element.tag) != "Relationship" or element.get("TargetMode") == "External":
                continue
            kind = "/" + (element.get("Type") or "").rsplit("/", 1)[-1]
            target = element.get("Target") or ""
            target = (
                target.lstrip("/")
                if target.startswith("/")
                else posixpath.normpath(posixpath.join(folder, target))
            )
            result.setdefault(kind, []).append((element.get("Id") or "", target))
        return result

    def workbook(self) -> tuple[str, dict[str, list[str]]]:
        """Return the workbook part's name and its relationship targets by type."""
        package = self.relations("")
        candidates = package.get(_REL_OFFICE_DOCUMENT, []) or ["xl/workbook.xml"]
        workbook = candidates[0]
        if self.find(workbook) is None:
            raise _Damaged(workbook)
        return workbook, self.relations(workbook)

    def sheets(self, workbook: str, relations: dict[str, list[str]]) -> list[tuple[str, str, bool]]:
        """Return (name, part, visible) for each worksheet, in workbook order."""
        by_id = {
            rel_id: target for rel_id, target in self._relations(workbook).get(_REL_WORKSHEET, [])
        }
        root = ElementTree.fromstring(self.read_small(workbook))
        if not root.tag.startswith("{") or not root.tag[1:].split("}")[0].endswith(
            _MAIN_NS_SUFFIXES
        ):
            raise _Damaged(workbook)
        result = []
        for element in root.iter():
            if _local(element.tag) != "sheet":
                continue
            rel_id = next((v for k, v in element.attrib.items() if _local(k) == "id"), None)
            part = by_id.get(rel_id or "")
            if part is None or self.find(part) is None:
                continue  # chart sheets, dialog sheets, macro sheets
            visible = element.get("state", "visible") == "visible"
            result.append((element.get("name") or "", part, visible))
        return result

    def scan_sheet(self, part: str, limit: int) -> _Geometry:
        real = self.find(part)
        if real is None:
            raise _Damaged(part)
        with self.archive.open(real) as stream:
            return _scan_sheet_xml(stream, limit)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _choose_sheet(
    sheets: list[tuple[str, str, bool]], wanted: str | None, filename: str
) -> tuple[str, str]:
    if not sheets:
        raise TableError(TableIssue(filename, None, None, _NO_WORKSHEETS))
    if wanted is None:
        name, part, _visible = next((s for s in sheets if s[2]), sheets[0])
        return name, part
    for name, part, _visible in sheets:
        if name == wanted:
            return name, part
    for name, part, _visible in sheets:
        if name.strip().casefold() == wanted.strip().casefold():
            return name, part
    names = ", ".join(f"'{name}'" for name, _part, _visible in sheets)
    message = _message(_NO_SUCH_SHEET, sheet=_shown(wanted), sheets=names)
    raise TableError(TableIssue(filename, None, None, message))


# The sheet scan. Calamine places a cell at its `r` attribute ("B7"), or right after the
# previous cell or row when there is none, and allocates the bounding box of all cells with a
# value. The scan bounds that box from above with byte-level searches that run at C speed.
_SHARED_ITEM = re.compile(rb"<(?:\w+:)?si[\s>]")
_ANY_REF = re.compile(rb' r="(?![A-Z]{0,3}[0-9]{1,7}")')  # a reference we cannot bound
_UNSPACED_R = re.compile(rb'r=(?:"(?<! r=")|\')')  # r=" not after a space, or r='
_SPACE_BEFORE_EQUALS = re.compile(rb"r[ \t\r\n]+=")
_SPACE_AFTER_EQUALS = re.compile(rb"=[ \t\r\n]+[\"']")
_CELL_COLUMN = re.compile(rb' r="([A-Z]{1,3})[0-9]')
_ROW_NUMBER = re.compile(rb' r="[A-Z]{0,3}([0-9]{1,7})"')
_PREFIXED_CELL = re.compile(rb"<[A-Za-z_][\w.-]*:c[\s>/]")
_PREFIXED_ROW = re.compile(rb"<[A-Za-z_][\w.-]*:row[\s>/]")
_NAME_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.:-")


@dataclass
class _Geometry:
    """Upper bounds on the grid calamine would allocate for a sheet."""

    max_row: int = 0
    max_column: int = 0
    cell_refs: int = 0
    row_refs: int = 0
    cell_tags: int = 0
    row_tags: int = 0
    values: int = 0
    unusual: bool = False

    def grid_bound(self) -> int:
        # Elements without a reference continue from the previous one: each can add one.
        height = self.max_row + max(0, self.row_tags - self.row_refs)
        width = self.max_column + max(0, self.cell_tags - self.cell_refs)
        return height * width

    def fits_calamine(self) -> bool:
        if self.unusual:
            return False
        bound = self.grid_bound()
        if bound <= _SMALL_GRID:
            return True
        return bound <= _GRID_BUDGET and bound <= _SPARSENESS_LIMIT * max(self.values, 1)


def _scan_sheet_xml(stream: IO[bytes], limit: int) -> _Geometry:
    """Scan a worksheet's XML in chunks and bound the grid it describes."""
    geometry = _Geometry()
    carry = b""
    size = 0
    first = True
    while True:
        chunk = stream.read(_CHUNK)
        size += len(chunk)
        if size > limit:
            raise _TooLarge("worksheet")
        if first and (b"\x00" in chunk[:1024] or not chunk.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]):
            geometry.unusual = True  # UTF-16 or empty: let openpyxl decide
        first = False
        if chunk:
            buffer = carry + chunk
            # Cut before the last tag so that no tag is split between two chunks.
            cut = buffer.rfind(b"<")
            if cut <= 0:
                cut = max(0, len(buffer) - 64)
            buffer, carry = buffer[:cut], buffer[cut:]
        else:
            buffer, carry = carry, b""
        if buffer and not geometry.unusual:
            _scan_chunk(buffer, geometry)
        if not chunk:
            return geometry


def _scan_chunk(buffer: bytes, geometry: _Geometry) -> None:
    if (
        _ANY_REF.search(buffer)
        or _SPACE_BEFORE_EQUALS.search(buffer)
        or _SPACE_AFTER_EQUALS.search(buffer)
    ):
        geometry.unusual = True
        return
    for match in _UNSPACED_R.finditer(buffer):
        before = buffer[match.start() - 1] if match.start() else 32
        if before not in _NAME_BYTES and before < 0x80:
            geometry.unusual = True  # an `r` attribute written unusually: do not guess
            return
    columns = _CELL_COLUMN.findall(buffer)
    geometry.cell_refs += len(columns)
    geometry.row_refs += buffer.count(b' r="') - len(columns)
    for letters in set(columns):
        geometry.max_column = max(geometry.max_column, _column_number(letters))
    last = buffer.rfind(b' r="')
    if last >= 0:
        row_number = _ROW_NUMBER.match(buffer, last)
        if row_number:
            geometry.max_row = max(geometry.max_row, int(row_number.group(1)))
    if _greater_row(geometry.max_row).search(buffer):
        # Rows out of order: find the largest exactly (rare, so the cost does not matter).
        numbers = set(_ROW_NUMBER.findall(buffer))
        geometry.max_row = max(geometry.max_row, *map(int, numbers))
    # `<c` also counts <col>, <cfRule> and the like, and `<row` <rowBreaks>: a few too many is
    # harmless. Prefixed elements (<x:c>) are rare, so they may cost a slower regex.
    geometry.cell_tags += buffer.count(b"<c")
    if b":c" in buffer:
        geometry.cell_tags += len(_PREFIXED_CELL.findall(buffer))
    geometry.row_tags += buffer.count(b"<row")
    if b":row" in buffer:
        geometry.row_tags += len(_PREFIXED_ROW.findall(buffer))
    geometry.values += buffer.count(b"</v>") + buffer.count(b"</is>")
    if b":v>" in buffer:
        geometry.values += buffer.count(b":v>") // 2  # <x:v> and </x:v>


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


@functools.lru_cache(maxsize=64)
def _greater_row(limit: int) -> re.Pattern[bytes]:
    """Return a pattern matching any cell or row reference with a row number above `limit`."""
    digits = str(limit)
    alternatives = [f"[0-9]{{{len(digits) + 1},}}"]
    for position, digit in enumerate(digits):
        if digit != "9":
            rest = len(digits) - position - 1
            alternatives.append(f"{digits[:position]}[{int(digit) + 1}-9][0-9]{{{rest}}}")
    pattern = ' r="[A-Z]{0,3}(?:' + "|".join(alternatives) + ')"'
    return re.compile(pattern.encode())


def _read_with_calamine(
    source: str | IO[bytes],
    *,
    filename: str,
    sheet: str,
    max_rows: int,
    progress: Progress | None,
) -> Table:
    from python_calamine import CalamineWorkbook, PasswordError

    try:
        workbook = CalamineWorkbook.from_object(source)
        try:
            grid = workbook.get_sheet_by_name(sheet)
        finally:
            workbook.close()
    except PasswordError as exc:
        raise TableError(TableIssue(filename, None, None, _OLE2)) from exc
    except BaseException as exc:
        # A panic inside the Rust code surfaces as pyo3's PanicException, a BaseException.
        if not isinstance(exc, Exception) and type(exc).__name__ != "PanicException":
            raise
        raise TableError(TableIssue(filename, None, None, _DAMAGED)) from exc
    start = grid.start
    end = grid.end
    if start is None or end is None:
        message = _message(_SHEET_EMPTY, sheet=sheet)
        raise TableError(TableIssue(filename, None, None, message))

    def records() -> Iterator[tuple[int, list[str]]]:
        # iter_rows() yields every row from the sheet's first (padding the empty ones before
        # the data), but only the columns from the first one with data.
        for index, cells in enumerate(grid.iter_rows()):
            # Most cells are text: skip the conversion call for them (a 2 M-cell sheet notices).
            yield index + 1, [cell if type(cell) is str else _cell_text(cell) for cell in cells]

    return _build_table(
        records,
        filename=filename,
        format="xlsx",
        strict_width=False,
        column_offset=start[1],
        max_rows=max_rows,
        progress=progress,
        total=end[0] + 1,
        sheet=sheet,
    )


def _read_with_openpyxl(
    source: str | IO[bytes],
    *,
    filename: str,
    sheet: str,
    max_rows: int,
    progress: Progress | None,
) -> Table:
    import openpyxl

    content: str | bytes = source if isinstance(source, str) else source.read()

    def records() -> Iterator[tuple[int, list[str]]]:
        try:
            with warnings.catch_warnings():
                # openpyxl warns about features it ignores (data validation, extensions).
                warnings.simplefilter("ignore")
                workbook = openpyxl.load_workbook(
                    content if isinstance(content, str) else io.BytesIO(content),
                    read_only=True,
                    data_only=True,
                    keep_links=False,
                )
        except Exception as exc:
            raise TableError(TableIssue(filename, None, None, _DAMAGED)) from exc
        try:
            try:
                worksheet = workbook[sheet]
                # The stored dimension may be wrong or hostile: let rows be as wide as their
                # cells, not as the dimension claims.
                worksheet.reset_dimensions()
                rows = worksheet.iter_rows(values_only=True)
            except Exception as exc:
                raise TableError(TableIssue(filename, None, None, _DAMAGED)) from exc
            number = 0
            while True:
                try:
                    values = next(rows)
                except StopIteration:
                    return
                except Exception as exc:
                    raise TableError(TableIssue(filename, None, None, _DAMAGED)) from exc
                number += 1
                yield number, [_cell_text(value) for value in values]
        finally:
            workbook.close()

    return _build_table(
        records,
        filename=filename,
        format="xlsx",
        strict_width=False,
        column_offset=0,
        max_rows=max_rows,
        progress=progress,
        total=None,
        sheet=sheet,
    )


def _cell_text(value: object) -> str:
    """Return a cell's value as the text the domain parsers expect, whichever reader gave it."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float_text(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0) and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.timedelta):
        seconds = round(value.total_seconds())
        sign = "-" if seconds < 0 else ""
        hours, rest = divmod(abs(seconds), 3600)
        return f"{sign}{hours}:{rest // 60:02d}:{rest % 60:02d}"
    return str(value)


def _float_text(value: float) -> str:
    """Return a float as plain decimal text: "12" for 12.0, "0.1" for 0.1, never an exponent."""
    if value != value or value in (float("inf"), float("-inf")):
        return str(value)
    if value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    return format(Decimal(repr(value)), "f")


# --- Helpers for the domain layer ---------------------------------------------------------------


class Header(Protocol):
    """A table's header row: what `check_columns` reads (a `Table`, or its columns renamed)."""

    @property
    def filename(self) -> str: ...
    @property
    def header_row(self) -> int | None: ...
    @property
    def columns(self) -> list[str]: ...


def check_columns(
    table: Header, required: Sequence[str], optional: Sequence[str]
) -> list[TableIssue]:
    """Return an issue for each required column that is missing and each unknown column."""
    known = list(dict.fromkeys([*required, *optional]))
    issues = [
        TableIssue(table.filename, table.header_row, name, _MISSING_COLUMN)
        for name in required
        if name not in table.columns
    ]
    folded = {name.casefold(): name for name in known}
    for name in table.columns:
        if name in known:
            continue
        suggestion = folded.get(name.casefold()) or next(
            iter(difflib.get_close_matches(name, known, n=1, cutoff=0.75)), None
        )
        if suggestion is not None:
            message = _message(_UNKNOWN_COLUMN_HINT, suggestion=suggestion)
        else:
            message = _message(_UNKNOWN_COLUMN, expected=", ".join(known))
        issues.append(TableIssue(table.filename, table.header_row, name, message))
    return issues


def is_formula_like(value: str) -> bool:
    """Return whether a text would be taken for a formula by a spreadsheet program.

    True for text starting with =, +, -, @, a tab or a carriage return (OWASP's list), also after
    leading spaces. Use it to refuse such values in text fields like names; numeric fields need
    no such check, since "-12.50" is a valid amount and the number parsers accept only numbers.
    """
    return value.startswith(_FORMULA_PREFIXES) or value.lstrip(" ").startswith(_FORMULA_PREFIXES)


_SPACES = "\u0020\u00a0\u202f\u2009"
_NUMBER = re.compile(
    rf"(?P<integer>[0-9]{{1,3}}(?:[{_SPACES}][0-9]{{3}})+|[0-9]+)?"
    r"(?:(?P<separator>[.,])(?P<fraction>[0-9]+))?"
)
_MINUS_SIGNS = ("-", "\u2212")  # hyphen-minus and the typographic minus sign
_MAX_NUMBER_LENGTH = 40


def parse_decimal(text: str) -> tuple[Decimal | None, StrOrPromise | None]:
    """Parse a number as people write it in Sweden; return (value, None) or (None, message).

    Accept "1 234,50", "1234.50", "1 234 567" (thousands grouped by spaces or no-break spaces),
    a comma or a point as decimal separator, and a leading or trailing minus sign (credit notes:
    "-12,50", "12,50-"). Reject formulas ("=1+2"), exponents, currency signs and numbers that
    mix a comma and a point, which are ambiguous. Empty text gives (None, None): whether a value
    is required is the domain layer's decision.
    """
    value = text.strip()
    if not value:
        return None, None
    if len(value) > _MAX_NUMBER_LENGTH:
        return None, _message(_NOT_A_NUMBER, value=_shown(value))
    negative = False
    if value.startswith(_MINUS_SIGNS):
        negative, value = True, value[1:].lstrip()
    elif value.endswith(_MINUS_SIGNS):
        negative, value = True, value[:-1].rstrip()
    elif value.startswith("+"):
        value = value[1:].lstrip()
    if "," in value and "." in value:
        return None, _message(_AMBIGUOUS_NUMBER, value=_shown(text.strip()))
    match = _NUMBER.fullmatch(value)
    if not match or not (match["integer"] or match["fraction"]):
        return None, _message(_NOT_A_NUMBER, value=_shown(text.strip()))
    integer = re.sub(f"[{_SPACES}]", "", match["integer"] or "0")
    number = Decimal(f"{integer}.{match['fraction']}" if match["fraction"] else integer)
    return (-number if negative else number), None


def parse_amount(text: str) -> tuple[Decimal | None, StrOrPromise | None]:
    """Parse an amount in kronor; return (value, None) or (None, message). Every import uses it.

    The rules of `parse_decimal`, and at most two decimals (öre) as written: "12,345" and
    "1.005" are errors that name the value, never rounded, because a comma or point followed
    by three digits may equally be a thousands separator ("12,345" is 12 345 in an English
    ledger). Ambiguous separators ("1.234,50") stay errors as in `parse_decimal`.
    """
    number, message = parse_decimal(text)
    if number is None:
        return None, message
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > 2:
        return None, _message(_TOO_MANY_DECIMALS, value=_shown(text.strip()))
    return number, None


def parse_int(text: str) -> tuple[int | None, StrOrPromise | None]:
    """Parse a whole number ("12", "1 234", "-5", "12,0"); return (value, None) or (None, why)."""
    number, message = parse_decimal(text)
    if number is None:
        return None, message
    if number != number.to_integral_value():
        return None, _message(_NOT_A_WHOLE_NUMBER, value=_shown(text.strip()))
    return int(number), None


_DATE = re.compile(
    r"(?P<year>[0-9]{4})(?P<sep>[-/])(?P<month>[0-9]{1,2})(?P=sep)(?P<day>[0-9]{1,2})"
    r"(?:[ T]00:00(?::00(?:\.0+)?)?)?"
)
# Excel counts days from 1899-12-30 (its 1900 leap-year bug is before any date we accept).
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def parse_date(text: str) -> tuple[dt.date | None, StrOrPromise | None]:
    """Parse a date; return (value, None) or (None, message).

    Accept ISO "YYYY-MM-DD" (also with single-digit month or day, and with a midnight time as
    database exports write it), "YYYY/MM/DD", and an Excel serial day number of five digits
    (10000-99999, i.e. 1927-05-18 to 2173-10-14) for date cells formatted as numbers; shorter
    numbers are refused because "2024" is much more likely a year than a day in 1905.
    """
    value = text.strip()
    if not value:
        return None, None
    match = _DATE.fullmatch(value)
    if match:
        try:
            return dt.date(int(match["year"]), int(match["month"]), int(match["day"])), None
        except ValueError:
            return None, _message(_INVALID_DATE, value=_shown(value))
    if re.fullmatch(r"[0-9]{5}", value):
        return _EXCEL_EPOCH + dt.timedelta(days=int(value)), None
    return None, _message(_NOT_A_DATE, value=_shown(value))


_TRUE = frozenset({"ja", "yes", "true", "sant", "1", "x"})
_FALSE = frozenset({"nej", "no", "false", "falskt", "0"})


def parse_bool(text: str) -> tuple[bool | None, StrOrPromise | None]:
    """Parse yes or no; return (value, None) or (None, message).

    Accept ja/nej, yes/no, true/false, sant/falskt (Swedish Excel's TRUE/FALSE), 1/0 and x for
    yes, in any case. Empty text gives (None, None); in a column where an "x" marks yes, treat
    None as no.
    """
    value = text.strip().casefold()
    if not value:
        return None, None
    if value in _TRUE:
        return True, None
    if value in _FALSE:
        return False, None
    return None, _message(_NOT_A_BOOL, value=_shown(text.strip()))
