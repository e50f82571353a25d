"""Write and read the audit history; services call record_change for every write."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from hallbar.core.models import HistoryEntry


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (int, float, bool, str)) or value is None:
        return value
    return str(value)


def diff_fields(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Return {field: [old, new]} for the fields whose value changed."""
    return {
        key: [_plain(before.get(key)), _plain(after.get(key))]
        for key in after
        if before.get(key) != after.get(key)
    }


def record_change(
    obj: models.Model,
    *,
    action: str,
    acting_user: Any,
    changes: dict[str, Any] | None = None,
) -> HistoryEntry:
    """Append one history entry for obj."""
    actor = acting_user if getattr(acting_user, "pk", None) else None
    return HistoryEntry.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        action=action,
        actor=actor,
        changes={
            k: _plain(v) if not isinstance(v, list) else v for k, v in (changes or {}).items()
        },
    )


def history_for(obj: models.Model) -> models.QuerySet[HistoryEntry]:
    """Return the history of obj, newest first."""
    return HistoryEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    ).select_related("actor")


def record_changes(objects: list[models.Model], *, action: str, acting_user: Any) -> None:
    """Append one history entry per object, in bulk (for imports)."""
    if not objects:
        return
    content_type = ContentType.objects.get_for_model(objects[0])
    actor = acting_user if getattr(acting_user, "pk", None) else None
    HistoryEntry.objects.bulk_create(
        [
            HistoryEntry(
                content_type=content_type,
                object_id=str(obj.pk),
                object_repr=str(obj)[:300],
                action=action,
                actor=actor,
            )
            for obj in objects
        ],
        batch_size=1000,
    )
