"""Every CSV and XLSX file people download goes through here, so the rules live once.

- CSV in Swedish: semicolons between values and a decimal comma, because Swedish Excel splits
  columns on the list separator of the Swedish locale (a semicolon) and reads "12,50" as a
  number. CSV in English: commas and a decimal point. Both start with a UTF-8 byte order mark
  so that Excel reads å, ä and ö right. Our imports read either kind (the reader detects the
  delimiter and accepts both decimal marks).
- XLSX: the header row is bold and frozen, with an autofilter over the data.
- Import templates (`template_xlsx`): a data sheet with the headers, an instructions sheet,
  and drop-down lists for coded columns, read from a hidden sheet so that long lists work.

The language is the active one (the user's, in a view) unless one is given. Cells are escaped
against formula injection by `hallbar.core.tabular`.

Every download made here while a request is served is written to the audit log
(`hallbar.core.audit`) before the file is returned: an export with the file's name, the page
and filters it came from and, for tables, the number of rows.
"""

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse
from django.utils.translation import get_language

from hallbar.core import audit
from hallbar.core.tabular import escape_cell, write_csv, write_xlsx

CSV = "text/csv; charset=utf-8"
LISTED = 40  # allowed values the instructions sheet lists; the drop-down has them all
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def is_swedish(language: str | None = None) -> bool:
    return (language or get_language() or "sv").lower().startswith("sv")


def csv_format(language: str | None = None) -> tuple[str, str]:
    """Return (delimiter, decimal separator) for CSV files in language (default: the active)."""
    return (";", ",") if is_swedish(language) else (",", ".")


def write_table(
    target,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    file_format: str,
    sheet_title: str = "",
    language: str | None = None,
) -> None:
    """Write headers and rows to target as CSV ("csv") or XLSX (anything else)."""
    if file_format == "csv":
        delimiter, decimal = csv_format(language)
        write_csv(target, headers, rows, delimiter=delimiter, decimal_separator=decimal)
    else:
        write_xlsx(target, headers, rows, sheet_title=sheet_title or "Data")


def attachment(
    content: bytes,
    filename: str,
    content_type: str,
    *,
    kind: str = audit.Kind.EXPORT,
    obj=None,
    detail: dict[str, Any] | None = None,
) -> HttpResponse:
    """Return content as a file download named filename, recorded in the audit log as kind.

    Recorded only while a request is served: a file built by a command is nobody's download.
    """
    request = audit.current_request()
    if request is not None:
        audit.record(
            kind,
            request=request,
            obj=obj,
            object_type="" if obj is not None else "file",
            object_label="" if obj is not None else filename,
            detail={
                "file": filename,
                "path": request.get_full_path()[:500],
                "bytes": len(content),
                **(detail or {}),
            },
        )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def table_response(
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    file_format: str,
    name: str,
    sheet_title: str = "",
    language: str | None = None,
) -> HttpResponse:
    """Return rows as a download named name.csv or name.xlsx, by the rules above."""
    buffer = io.BytesIO()
    counted = _Counted(rows)
    write_table(
        buffer,
        headers,
        counted,
        file_format=file_format,
        sheet_title=sheet_title,
        language=language,
    )
    detail = {"rows": counted.count}
    if file_format == "csv":
        return attachment(buffer.getvalue(), f"{name}.csv", CSV, detail=detail)
    return attachment(buffer.getvalue(), f"{name}.xlsx", XLSX, detail=detail)


class _Counted:
    """rows, counting them as they are read (for the audit log's entry of an export)."""

    def __init__(self, rows: Iterable[Sequence[Any]]):
        self.rows = rows
        self.count = 0

    def __iter__(self):
        for row in self.rows:
            self.count += 1
            yield row


@dataclass(frozen=True)
class TemplateColumn:
    """One column of an import template: its header, what it means, and its allowed values.

    `choices` become a drop-down list on the data sheet; `strict` refuses other values in Excel
    (otherwise Excel only warns, for columns that also accept free text such as country names).
    """

    header: str
    description: str = ""
    required: bool = False
    format: str = ""
    choices: Sequence[str] = ()
    strict: bool = True
    allowed: str = ""  # the instructions' words for the allowed values, instead of listing them


@dataclass(frozen=True)
class TemplateTexts:
    """The words of an import template's instructions sheet, in the user's language."""

    sheet_title: str
    instructions_title: str
    lists_title: str
    intro: Sequence[str]
    column: str
    required: str
    format: str
    allowed: str
    description: str
    yes: str
    no: str
    choices_error_title: str
    choices_error: str
    more_values: str


def template_xlsx(
    columns: Sequence[TemplateColumn],
    rows: Iterable[Sequence[Any]],
    *,
    texts: TemplateTexts,
    data_rows: int = 1000,
) -> bytes:
    """Return an import template workbook: data sheet, instructions sheet, hidden lists sheet.

    The data sheet has bold frozen headers with an autofilter and the example rows; each column
    with choices gets a drop-down over its first data_rows rows, whose list is a column of the
    hidden lists sheet (Excel caps inline lists at 255 characters).
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    bold = Font(bold=True)
    workbook = Workbook()
    data = workbook.active
    data.title = texts.sheet_title[:31]
    data.append([c.header for c in columns])
    for cell in data[1]:
        cell.font = bold
    for row in rows:
        data.append([escape_cell(value) for value in row])
    data.freeze_panes = "A2"
    last = get_column_letter(len(columns))
    data.auto_filter.ref = f"A1:{last}{max(data.max_row, 2)}"
    for index, column in enumerate(columns, start=1):
        data.column_dimensions[get_column_letter(index)].width = min(
            max(len(column.header) + 4, 14), 50
        )

    guide = workbook.create_sheet(texts.instructions_title[:31])
    for line in texts.intro:
        guide.append([line])
    guide.append([])
    guide.append([texts.column, texts.required, texts.format, texts.allowed, texts.description])
    header_row = guide.max_row
    for cell in guide[header_row]:
        cell.font = bold
    lists_title = texts.lists_title[:31]
    lists = workbook.create_sheet(lists_title)
    lists.sheet_state = "hidden"
    list_column = 0
    for index, column in enumerate(columns, start=1):
        allowed = column.allowed or ", ".join(column.choices[:LISTED])
        if not column.allowed and len(column.choices) > LISTED:
            allowed += " " + texts.more_values % {"count": len(column.choices) - LISTED}
        guide.append(
            [
                column.header,
                texts.yes if column.required else texts.no,
                column.format,
                allowed,
                column.description,
            ]
        )
        if not column.choices:
            continue
        list_column += 1
        letter = get_column_letter(list_column)
        lists.cell(row=1, column=list_column, value=column.header)
        for offset, value in enumerate(column.choices, start=2):
            lists.cell(row=offset, column=list_column, value=escape_cell(value))
        end = len(column.choices) + 1
        validation = DataValidation(
            type="list",
            formula1=f"{quote_sheetname(lists_title)}!${letter}$2:${letter}${end}",
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="stop" if column.strict else "warning",
            errorTitle=texts.choices_error_title[:32],
            error=texts.choices_error[:255],
        )
        target = get_column_letter(index)
        validation.add(f"{target}2:{target}{data_rows + 1}")
        data.add_data_validation(validation)
    guide.freeze_panes = guide.cell(row=header_row + 1, column=1).coordinate
    for letter, width in zip("ABCDE", (28, 10, 28, 40, 80), strict=True):
        guide.column_dimensions[letter].width = width
    for row in guide.iter_rows(min_row=header_row + 1):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
