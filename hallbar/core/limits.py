"""Lengths checked before anything is written, the same on SQLite and PostgreSQL.

PostgreSQL refuses a text longer than its column's ``max_length``; SQLite stores it. So that a
100 000-character title is refused with the same clear message on both, imports check their
columns with `length_error` while they validate a row, and every save of a hallbar model is
checked by `check_lengths` (a ``pre_save`` receiver connected in ``CoreConfig.ready``), which
raises a ``ValidationError`` naming the field before the database is asked.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils.translation import gettext as _


def max_length(model: type[models.Model], field_name: str) -> int | None:
    """Return the field's max_length (None for a field without one, such as a TextField)."""
    try:
        field = model._meta.get_field(field_name)
    except FieldDoesNotExist:
        return None
    return getattr(field, "max_length", None) if isinstance(field, models.CharField) else None


def too_long_message(length: int, limit: int) -> str:
    return _("The value is %(length)s characters long; at most %(limit)s are allowed.") % {
        "length": length,
        "limit": limit,
    }


def length_error(model: type[models.Model], field_name: str, value: Any) -> str | None:
    """Return why value does not fit the model's field, or None when it fits."""
    limit = max_length(model, field_name)
    if limit is None or not isinstance(value, str) or len(value) <= limit:
        return None
    return too_long_message(len(value), limit)


def check_lengths(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    """Refuse to save a hallbar model whose text fields exceed their max_length."""
    if not sender.__module__.startswith("hallbar."):
        return
    errors: dict[str, list[str]] = {}
    for field in sender._meta.concrete_fields:
        if not isinstance(field, models.CharField) or field.max_length is None:
            continue
        value = getattr(instance, field.attname, None)
        if isinstance(value, str) and len(value) > field.max_length:
            errors[field.name] = [too_long_message(len(value), field.max_length)]
    if errors:
        raise ValidationError(errors)
