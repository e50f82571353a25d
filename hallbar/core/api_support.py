"""What every API operation shares: the error shape, and writes that run through an importer.

Errors are JSON: ``{"detail": "<message>"}`` for a refusal (401, 403, 404, 405), and
``{"detail": [{"field": "<path>", "message": "<message>"}, ...]}`` (422) when values are wrong,
whether the request's schema or an import's row checks found them. A field path names the
value as the request has it: ``contracts[2].annual_value_sek`` is the annual value of the third
contract of the body, ``page`` a query parameter.
"""

import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from ninja import Schema

from hallbar.core.imports import Importer, run_import_job
from hallbar.core.models import ImportJob

# The file name of an import that came through the API (shown on the import's page).
API_FILENAME = "API"
# What PostgreSQL cannot store in text: NUL, and lone UTF-16 surrogates (JSON can carry both).
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


class FieldErrorOut(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    detail: str | list[FieldErrorOut]


class FieldErrors(Exception):
    """Values of a request are wrong: answered with 422 and the list of field errors."""

    def __init__(self, errors: Sequence[dict[str, str]]) -> None:
        super().__init__(errors)
        self.errors = list(errors)


def field_error(field: str, message: Any) -> FieldErrors:
    return FieldErrors([{"field": field, "message": str(message)}])


def validation_field(location: Sequence[Any]) -> str:
    """Return the field path of a pydantic error location, without where it came from.

    ``("body", "payload", "contracts", 2, "title")`` becomes ``contracts[2].title``;
    ``("query", "page")`` becomes ``page``.
    """
    parts = list(location)
    if parts and parts[0] in {"body", "query", "path", "form", "file", "header", "cookie"}:
        parts = parts[1:]
    if len(parts) > 1 and parts[0] in {"payload", "filters", "data"}:
        parts = parts[1:]
    path = ""
    for part in parts:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path or "body"


def import_errors(job: ImportJob, list_name: str) -> list[dict[str, str]]:
    """Return the issues of an API import as field errors: an issue of item n (its row) names
    ``<list_name>[n - 1].<column>``; an issue of no item names the list or the column."""
    errors = []
    for issue in job.issues:
        row, column = issue.get("row"), issue.get("column")
        if row:
            field = f"{list_name}[{row - 1}]" + (f".{column}" if column else "")
        else:
            field = column or list_name
        errors.append({"field": field, "message": str(issue["message"])})
    return errors


def run_api_import(
    *,
    kind: str,
    importer: Importer,
    acting_user: Any,
    region: Any = None,
    dry_run: bool = False,
    options: dict[str, Any] | None = None,
) -> ImportJob:
    """Validate and (unless a dry run, or any row is wrong) write the rows of a request now.

    The rows go through the import framework as a file's would, all or nothing; the job is kept
    as the record of the write (the history of every changed row names it).
    """
    job = ImportJob.objects.create(
        kind=kind,
        filename=API_FILENAME,
        stored_path="",
        region=region,
        created_by=acting_user if getattr(acting_user, "pk", None) else None,
        mode=ImportJob.Mode.ALL_OR_NOTHING,
        dry_run=dry_run,
        options=options or {},
    )
    return run_import_job(job, importer=importer)


def as_text(value: Any) -> str:
    """Return an API value as the text a file's cell would hold."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ";".join(as_text(v) for v in value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def as_row(values: dict[str, Any], columns: Iterable[str]) -> dict[str, str]:
    return {column: as_text(values.get(column)) for column in columns}


def unstorable(text: str) -> bool:
    return bool(UNSTORABLE.search(text))


def storable(text: str) -> str:
    """Return text without the characters the database cannot store."""
    return UNSTORABLE.sub("", text)
