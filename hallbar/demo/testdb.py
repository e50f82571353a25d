"""The test suite's reference data across transactional tests (used by the root conftest.py).

A transactional test (`transaction=True`, `live_server`, the browser tests) ends with Django
emptying every table, after which the suite used to load the reference data again: seconds per
test. `partial_flush` instead empties every table except the reference-data tables, removes the
rows a test added to those, and checks with a fingerprint taken after the first load that what is
left is exactly what the load wrote. Only when it is not (a test changed reference data) does the
caller fall back to the full flush and a new load.

REFERENCE_MODELS is the one list of the tables `load_reference_data` fills;
hallbar/core/tests/test_reference_data_once.py checks it against the tables the load writes. The
history entries the load writes (history is not reference data: tests add to it) are written
again after each partial flush, as a new load would.
"""

import hashlib
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection, models, transaction

from hallbar.categories.models import Category, CategoryPrioritisation, CpvCode
from hallbar.core.models import HistoryEntry
from hallbar.organisations.models import (
    AreaCategory,
    AreaMembership,
    Organisation,
    PopulationFigure,
    ProcurementArea,
    Region,
)

REFERENCE_MODELS: tuple[type[models.Model], ...] = (
    Organisation,
    Region,
    PopulationFigure,
    ProcurementArea,
    AreaCategory,
    AreaMembership,
    Category,
    Category.cpv_codes.through,
    AreaCategory,
    CategoryPrioritisation,
    CpvCode,
)


# The reference tables the last transactional test changed (shown in the test summary).
last_changed: list[str] = []


def reference_tables() -> list[str]:
    return [model._meta.db_table for model in REFERENCE_MODELS]


@dataclass(frozen=True)
class _Table:
    name: str
    pk_column: str
    integer_pk: bool
    max_pk: Any
    columns: tuple[str, ...]
    fingerprint: tuple[int, str]


@dataclass(frozen=True)
class Snapshot:
    tables: tuple[_Table, ...]
    history: tuple[dict[str, Any], ...]


def _fingerprint(table: str, pk_column: str, columns: tuple[str, ...]) -> tuple[int, str]:
    """The row count and a hash of every row's columns, in primary key order."""
    quoted = connection.ops.quote_name(table)
    pk = connection.ops.quote_name(pk_column)
    selected = ", ".join(connection.ops.quote_name(column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"SELECT count(*), md5(coalesce(string_agg(ROW({selected})::text, ','"
                f" ORDER BY {pk}), '')) FROM {quoted}"  # noqa: S608 - table names
            )
            count, digest = cursor.fetchone()
            return int(count), str(digest)
        cursor.execute(f"SELECT {selected} FROM {quoted} ORDER BY {pk}")  # noqa: S608
        digest = hashlib.md5(usedforsecurity=False)
        count = 0
        for row in cursor.fetchall():
            digest.update(repr(row).encode())
            count += 1
        return count, digest.hexdigest()


def _columns(model: type[models.Model]) -> tuple[str, ...]:
    """Every column but the `auto_now` ones: the load saves its rows again (idempotent
    update_or_create), which moves only their update time, as a new load would."""
    return tuple(
        field.column
        for field in model._meta.concrete_fields
        if field.column and not getattr(field, "auto_now", False)
    )


def _table(model: type[models.Model]) -> _Table:
    pk_field = model._meta.pk
    assert pk_field is not None and pk_field.column is not None
    integer_pk = isinstance(
        pk_field, models.AutoField | models.BigAutoField | models.SmallAutoField
    )
    table = model._meta.db_table
    max_pk = model._default_manager.aggregate(m=models.Max("pk"))["m"] if integer_pk else None
    columns = _columns(model)
    return _Table(
        table,
        pk_field.column,
        integer_pk,
        max_pk,
        columns,
        _fingerprint(table, pk_field.column, columns),
    )


def take_snapshot(*, history_after: int) -> Snapshot:
    """Fingerprint the reference tables, and keep the history entries the load wrote (those
    with an id above history_after)."""
    history = tuple(
        {
            "content_type": (entry.content_type.app_label, entry.content_type.model),
            "object_id": entry.object_id,
            "object_repr": entry.object_repr,
            "action": entry.action,
            "changes": entry.changes,
        }
        for entry in HistoryEntry.objects.filter(id__gt=history_after)
        .select_related("content_type")
        .order_by("id")
    )
    return Snapshot(tables=tuple(_table(model) for model in REFERENCE_MODELS), history=history)


def last_history_id() -> int:
    return HistoryEntry.objects.aggregate(m=models.Max("id"))["m"] or 0


def _with_rows(tables: list[str]) -> list[str]:
    """The tables that hold at least one row (one query): emptying an empty table is a no-op,
    and on PostgreSQL each TRUNCATEd table costs time even when it is empty."""
    if not tables:
        return []
    quote = connection.ops.quote_name
    found: list[str] = []
    for start in range(0, len(tables), 200):  # SQLite allows 500 terms in a compound SELECT
        chunk = tables[start : start + 200]
        query = " UNION ALL ".join(
            f"SELECT CAST(%s AS varchar(200)) WHERE EXISTS (SELECT 1 FROM {quote(table)})"  # noqa: S608
            for table in chunk
        )
        with connection.cursor() as cursor:
            cursor.execute(query, chunk)
            found.extend(row[0] for row in cursor.fetchall())
    return found


def partial_flush(snapshot: Snapshot) -> bool:
    """Empty every table but the reference tables, as a transactional test's teardown does.

    Remove the rows a test added to the reference tables, then compare them with the snapshot:
    return False (the caller then flushes everything) if they differ.
    """
    keep = set(reference_tables())
    tables = [
        table
        for table in connection.introspection.django_table_names(
            only_existing=True, include_views=False
        )
        if table not in keep
    ]
    tables = _with_rows(tables)
    if tables:
        sql = connection.ops.sql_flush(
            no_style(), tables, reset_sequences=False, allow_cascade=True
        )
        connection.ops.execute_sql_flush(sql)
    # foreign keys between reference rows are checked at the end of the transaction
    with transaction.atomic(), connection.cursor() as cursor:
        for table in snapshot.tables:
            if table.integer_pk:
                quoted = connection.ops.quote_name(table.name)
                pk = connection.ops.quote_name(table.pk_column)
                if table.max_pk is None:
                    cursor.execute(f"DELETE FROM {quoted}")  # noqa: S608 - table names
                else:
                    cursor.execute(
                        f"DELETE FROM {quoted} WHERE {pk} > %s",  # noqa: S608 - table names
                        [table.max_pk],
                    )
    changed = [
        t.name
        for t in snapshot.tables
        if _fingerprint(t.name, t.pk_column, t.columns) != t.fingerprint
    ]
    if changed:
        last_changed[:] = changed
        return False
    # The flush emptied the content types and permissions as well: recreate them, as the full
    # flush does, then the history entries the load wrote.
    emit_post_migrate_signal(verbosity=0, interactive=False, db=connection.alias)
    HistoryEntry.objects.bulk_create(
        [
            HistoryEntry(
                content_type=ContentType.objects.get_by_natural_key(*entry["content_type"]),
                object_id=entry["object_id"],
                object_repr=entry["object_repr"],
                action=entry["action"],
                changes=entry["changes"],
            )
            for entry in snapshot.history
        ]
    )
    return True
