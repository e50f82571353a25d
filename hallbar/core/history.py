"""Write and read the audit history; services call record_change for every write.

Bulk writes (imports) gather their entries in a `HistoryBatch` and write them with one
bulk_create; an entry written by an import names it under the ``"import"`` key of its changes
(the job's id and file name), so a page can say "in the import of file Y".
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from hallbar.core.models import HistoryEntry

IMPORT_KEY = "import"


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (int, float, bool, str)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
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


def record_changes(objects: Sequence[models.Model], *, action: str, acting_user: Any) -> None:
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


def import_source(job: Any) -> dict[str, Any]:
    """Return what a history entry keeps of the import job that made the change."""
    return {"job": job.pk, "file": job.filename}


class HistoryBatch:
    """History entries gathered during a bulk write and written with one bulk_create.

    Each entry gets the acting user and, for an import, the job (`import_source`).
    """

    def __init__(self, *, acting_user: Any, source: dict[str, Any] | None = None) -> None:
        self.actor = acting_user if getattr(acting_user, "pk", None) else None
        self.source = source
        self.entries: list[HistoryEntry] = []
        self._last: dict[tuple[int, str], HistoryEntry] = {}

    def add(self, obj: models.Model, *, action: str, changes: dict[str, Any] | None = None) -> None:
        data = {k: _plain(v) for k, v in (changes or {}).items()}
        if self.source:
            data[IMPORT_KEY] = self.source
        entry = HistoryEntry(
            content_type=ContentType.objects.get_for_model(type(obj)),
            object_id=str(obj.pk),
            object_repr=str(obj)[:300],
            action=action,
            actor=self.actor,
            changes=data,
        )
        self.entries.append(entry)
        self._last[(entry.content_type_id, entry.object_id)] = entry

    def find(self, obj: models.Model) -> HistoryEntry | None:
        """Return the entry gathered for obj, if any (the last one)."""
        content_type = ContentType.objects.get_for_model(type(obj))
        return self._last.get((content_type.pk, str(obj.pk)))

    def write(self) -> int:
        """Write the gathered entries in one bulk_create; return how many."""
        count = len(self.entries)
        HistoryEntry.objects.bulk_create(self.entries, batch_size=1000)
        self.entries, self._last = [], {}
        return count


# Reading: each entry in words, its values formatted for the language, never keys or codes.

Formatter = Callable[[Any], str]
DASH = "–"
_LONGEST = 200


@dataclass(frozen=True)
class ReadableEntry:
    entry: HistoryEntry
    details: list[tuple[str, str]]  # (what changed, "before → after" or the value)

    @property
    def at(self):
        return self.entry.at

    @property
    def actor(self):
        return self.entry.actor

    @property
    def action(self) -> str:
        return self.entry.get_action_display()

    @property
    def import_file(self) -> str:
        source = self.entry.changes.get(IMPORT_KEY)
        return source.get("file", "") if isinstance(source, dict) else ""

    @property
    def import_job(self) -> int | None:
        source = self.entry.changes.get(IMPORT_KEY)
        return source.get("job") if isinstance(source, dict) else None


def _short(text: str) -> str:
    return text if len(text) <= _LONGEST else text[: _LONGEST - 1] + "…"


def _field(model: type[models.Model], key: str) -> models.Field | None:
    """Return the model's own field named key; None for unknown keys and reverse relations,
    which history never records."""
    try:
        field = model._meta.get_field(key)
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, models.Field) else None


def _related_names(model: type[models.Model], entries: list[HistoryEntry]) -> dict:
    """Return {(field name, str(pk)): name} for the related objects the entries mention."""
    wanted: dict[str, set[str]] = {}
    for entry in entries:
        for key, value in entry.changes.items():
            field = _field(model, key)
            if field is None or not field.is_relation:
                continue
            values = value if isinstance(value, list) else [value]
            for item in values:
                for part in item if isinstance(item, list) else [item]:
                    if part not in (None, ""):
                        wanted.setdefault(field.name, set()).add(str(part))
    names = {}
    for name, keys in wanted.items():
        related = model._meta.get_field(name).related_model
        if related is None:
            raise ValueError(f"{model.__name__}.{name} is recorded as a relation but has no model")
        numbers = [key for key in keys if key.isdigit()]
        for obj in related._default_manager.filter(pk__in=numbers):
            names[(name, str(obj.pk))] = str(obj)
        # some services record a related object by its slug (categories)
        words = [key for key in keys if not key.isdigit()]
        if words and _field(related, "slug") is not None:
            for obj in related._default_manager.filter(slug__in=words):
                names[(name, obj.serializable_value("slug"))] = str(obj)
    return names


def format_value(field: models.Field | None, value: Any, names: dict) -> str:
    """Return a recorded value in words for a person, formatted for the active language."""
    if value is None or value == "" or value == []:
        return DASH
    if isinstance(value, list):
        return ", ".join(format_value(field, item, names) for item in value)
    if field is not None and field.is_relation:
        return names.get((field.name, str(value)), str(value))
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool) or isinstance(field, models.BooleanField):
        return _("yes") if value in (True, "True") else _("no")
    if field is None and isinstance(value, int | float | Decimal):
        return number_format(value, force_grouping=True)
    if isinstance(field, models.DateField) and isinstance(value, str):
        try:
            return date_format(date.fromisoformat(value[:10]), "SHORT_DATE_FORMAT")
        except ValueError:
            return value
    if isinstance(field, (models.DecimalField, models.IntegerField, models.FloatField)):
        places = field.decimal_places if isinstance(field, models.DecimalField) else None
        try:
            return number_format(Decimal(str(value)), decimal_pos=places, force_grouping=True)
        except (InvalidOperation, ValueError):
            return str(value)
    return _short(str(value))


def describe_value(model: type[models.Model], key: str, value: Any) -> str:
    """Return a recorded value (or a [before, after] pair as "a → b") of model's field key in
    words: choices by their label, booleans as yes/no, numbers and dates for the language, and
    related objects by name."""
    field = _field(model, key)
    names: dict = {}
    if field is not None and field.is_relation:
        names = _related_names(model, [HistoryEntry(changes={key: value})])
    if _is_pair(value):
        return f"{format_value(field, value[0], names)} → {format_value(field, value[1], names)}"
    return format_value(field, value, names)


def _is_pair(value: Any) -> bool:
    return isinstance(value, list) and len(value) == 2


def each_side(single: Formatter) -> Formatter:
    """Return a formatter of a recorded value that shows a [before, after] pair as "a → b"."""

    def formatter(value: Any) -> str:
        if _is_pair(value):
            return f"{single(value[0])} → {single(value[1])}"
        return single(value)

    return formatter


def readable_history(
    entries: Iterable[HistoryEntry],
    model: type[models.Model],
    *,
    labels: dict[str, Any] | None = None,
    formatters: dict[str, Formatter] | None = None,
) -> list[ReadableEntry]:
    """Return entries with their changes in words: (label, "before → after") per change.

    A key is shown when it is a field of model (its verbose name) or has a label; others (and
    the import reference, which `ReadableEntry.import_file` names) are left out. A change
    recorded by `diff_fields` is a [before, after] pair. `formatters` turn a key's whole
    recorded value into words where the field alone cannot (country names, sites whose names
    the reader may not see); `each_side` makes one from a formatter of a single value.
    """
    entries = list(entries)
    labels = labels or {}
    formatters = formatters or {}
    names = _related_names(model, entries)
    result = []
    for entry in entries:
        details = []
        for key, value in entry.changes.items():
            if key == IMPORT_KEY:
                continue
            field = _field(model, key)
            if key in labels:
                label = str(labels[key])
            elif field is not None:
                label = str(field.verbose_name)
            else:
                continue
            if key in formatters:
                text = formatters[key](value)
            elif _is_pair(value):
                text = f"{format_value(field, value[0], names)} → {format_value(field, value[1], names)}"
            else:
                text = format_value(field, value, names)
            details.append((label[:1].upper() + label[1:], text))
        result.append(ReadableEntry(entry, details))
    return result
