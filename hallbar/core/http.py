"""Small HTTP helpers shared by the apps' views."""

import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse

from hallbar.core.tabular import write_csv, write_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def attachment(content: bytes, filename: str, content_type: str) -> HttpResponse:
    """Return content as a file download named filename."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def table_download(
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    export: str,
    name: str,
    sheet_title: str,
) -> HttpResponse:
    """Return rows as a CSV (export "csv") or Excel download named name.csv / name.xlsx."""
    buffer = io.BytesIO()
    if export == "csv":
        write_csv(buffer, headers, rows)
        return attachment(buffer.getvalue(), f"{name}.csv", "text/csv; charset=utf-8")
    write_xlsx(buffer, headers, rows, sheet_title=sheet_title)
    return attachment(buffer.getvalue(), f"{name}.xlsx", XLSX)
