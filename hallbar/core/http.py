"""Small HTTP helpers shared by the apps' views.

File downloads of tables are made by `hallbar.core.exports`; these names stay for the views
that import them from here.
"""

from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse

from hallbar.core.exports import XLSX, attachment, table_response

__all__ = ["XLSX", "attachment", "table_download"]


def table_download(
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    export: str,
    name: str,
    sheet_title: str,
) -> HttpResponse:
    """Return rows as a CSV (export "csv") or Excel download named name.csv / name.xlsx."""
    return table_response(headers, rows, file_format=export, name=name, sheet_title=sheet_title)
