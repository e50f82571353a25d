"""Refuse text the database cannot store before any operation reads it.

PostgreSQL stores no NUL character and no lone UTF-16 surrogate (JSON can carry both, as
``\\u0000`` and ``\\ud800``); a filter or a value holding one would fail in the database (a
500) instead of being refused. Every API view is wrapped so that such a request is answered
with 422 and the field that holds it, in the API's error shape. Form fields are not read here:
reading them would consume the body before the operation, and the one form operation (the spend
upload) constrains its fields and cleans the file's name itself.
"""

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from hallbar.core.api_support import unstorable as _unstorable


def _bad_json_field(value: Any, path: str) -> str | None:
    """Return the path of the first value (or key) in parsed JSON that holds unstorable text."""
    if isinstance(value, str):
        return path or "body" if _unstorable(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            inner = f"{path}.{key}" if path else str(key)
            if _unstorable(str(key)):
                return inner
            found = _bad_json_field(item, inner)
            if found:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = _bad_json_field(item, f"{path}[{index}]")
            if found:
                return found
    return None


def unstorable_field(request: HttpRequest) -> str | None:
    """Return the name of the first path part, parameter or body value with unstorable text."""
    if _unstorable(request.path):
        return "path"
    for key, values in request.GET.lists():
        if _unstorable(key) or any(_unstorable(v) for v in values):
            return key
    if request.method in {"POST", "PUT", "PATCH"} and request.content_type == "application/json":
        try:
            body = json.loads(request.body or b"null")
        except ValueError:
            return None  # the operation reports the unreadable body itself
        return _bad_json_field(body, "")
    return None


def refuse_unstorable_text(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        field = unstorable_field(request)
        if field is not None:
            message = _(
                "The value holds a character that cannot be stored (NUL or a lone surrogate)."
            )
            return JsonResponse({"detail": [{"field": field, "message": message}]}, status=422)
        return view(request, *args, **kwargs)

    return guarded
