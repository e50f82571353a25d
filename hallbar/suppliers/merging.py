"""What a supplier merge moves to the kept supplier, and what it leaves with the merged one.

Every app whose models point at a supplier says so in its app config: `register_merge_mover`
for rows that follow the company (contracts, cases, plan items...), `keep_on_merge` for rows
that are a record of the merged supplier itself (the merge, match reviews). The registry
imports no app above it; `services.merge_suppliers` runs the movers and stores the primary keys
each one moved in `SupplierMerge.moved[label]`, so that `undo_merge` moves back exactly those.
A test fails when a foreign key to `Supplier` is neither moved nor kept (`unaccounted_fields`).

A mover may refuse a merge that would break a rule of its app (`refuse` returns the message),
and may leave some rows with the merged supplier where the kept one already has their
counterpart (`stays` returns the primary keys that stay, e.g. a name both already have).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models

from hallbar.core.models import HistoryEntry
from hallbar.suppliers.models import Supplier

# (merged, survivor) -> a message saying why they cannot be merged now, or None.
Refuse = Callable[[Supplier, Supplier], Any]
# (the merged supplier's rows, survivor) -> primary keys of the rows that stay with merged.
Stays = Callable[[models.QuerySet, Supplier], Iterable[int]]


@dataclass(frozen=True)
class MergeMover:
    """Rows of one model whose foreign key ``field`` moves from the merged supplier."""

    label: str
    model: str  # "app_label.ModelName"
    field: str = "supplier"
    refuse: Refuse | None = None
    stays: Stays | None = None

    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)

    def _rows(self) -> models.QuerySet:
        # the base manager: a default manager that hides rows must not keep them from moving
        return self.model_class()._base_manager.all()

    def refusal(self, merged: Supplier, survivor: Supplier) -> Any:
        return self.refuse(merged, survivor) if self.refuse else None

    def movable(self, merged: Supplier, survivor: Supplier) -> list[int]:
        """Return the primary keys of the merged supplier's rows that a merge would move."""
        rows = self._rows().filter(**{self.field: merged})
        staying = set(self.stays(rows, survivor)) if self.stays else set()
        return sorted(pk for pk in rows.values_list("pk", flat=True) if pk not in staying)

    def move(self, merged: Supplier, survivor: Supplier, *, acting_user: Any) -> list[int]:
        """Point the merged supplier's rows at survivor; return the primary keys moved."""
        pks = self.movable(merged, survivor)
        # update(), not save(): a moved case keeps its dates, which the reuse rule reads
        self._rows().filter(pk__in=pks).update(**{self.field: survivor})
        self._record(pks, merged, survivor, acting_user)
        return pks

    def move_back(
        self, pks: Iterable[int], merged: Supplier, survivor: Supplier, *, acting_user: Any
    ) -> list[int]:
        """Point the rows the merge moved back at merged, where they are still on survivor."""
        back = sorted(
            self._rows()
            .filter(pk__in=list(pks), **{self.field: survivor})
            .values_list("pk", flat=True)
        )
        self._rows().filter(pk__in=back).update(**{self.field: merged})
        self._record(back, survivor, merged, acting_user)
        return back

    def _record(self, pks: list[int], old: Supplier, new: Supplier, acting_user: Any) -> None:
        """Write one history entry per moved row: its supplier changed, from and to."""
        if not pks:
            return
        model = self.model_class()
        content_type = ContentType.objects.get_for_model(model)
        actor = acting_user if getattr(acting_user, "pk", None) else None
        HistoryEntry.objects.bulk_create(
            [
                HistoryEntry(
                    content_type=content_type,
                    object_id=str(obj.pk),
                    object_repr=str(obj)[:300],
                    action=HistoryEntry.Action.UPDATED,
                    actor=actor,
                    changes={self.field: [old.name, new.name], "merge": True},
                )
                for obj in self._rows().filter(pk__in=pks).select_related(self.field)
            ],
            batch_size=1000,
        )


_movers: dict[str, MergeMover] = {}
_kept: dict[tuple[str, str], str] = {}


def register_merge_mover(
    label: str,
    model: str,
    field: str = "supplier",
    *,
    refuse: Refuse | None = None,
    stays: Stays | None = None,
) -> MergeMover:
    """Let an app say that a merge moves its rows of model (pointing at a supplier by field).

    label names the rows in `SupplierMerge.moved`; keep it stable, undo reads it."""
    mover = MergeMover(label=label, model=model, field=field, refuse=refuse, stays=stays)
    for other in _movers.values():
        if other.label != label and (other.model, other.field) == (model, field):
            raise ValueError(f"{model}.{field} already has the merge mover {other.label!r}")
    _movers[label] = mover
    return mover


def keep_on_merge(model: str, field: str, why: str) -> None:
    """Let an app say that its rows of model stay with the merged supplier, and why."""
    _kept[(model, field)] = why


def merge_movers() -> list[MergeMover]:
    """Return the registered movers in the order the apps registered them."""
    return list(_movers.values())


def preview(merged: Supplier, survivor: Supplier) -> list[tuple[str, int]]:
    """Return what a merge would move, in words: (the model's plural name, how many)."""
    counts: dict[str, int] = {}
    for mover in _movers.values():
        if count := len(mover.movable(merged, survivor)):
            name = str(mover.model_class()._meta.verbose_name_plural)
            counts[name] = counts.get(name, 0) + count
    return list(counts.items())


def kept_on_merge() -> dict[tuple[str, str], str]:
    return dict(_kept)


def supplier_fields(
    models_: Iterable[type[models.Model]] | None = None,
) -> list[tuple[str, str]]:
    """Return (model label, field name) of every concrete relation to `Supplier`."""
    found = []
    for model in models_ if models_ is not None else apps.get_models(include_auto_created=True):
        for field in model._meta.get_fields(include_hidden=True):
            if field.is_relation and field.concrete and field.related_model is Supplier:
                found.append((model._meta.label, field.name))
    return found


def unaccounted_fields(
    models_: Iterable[type[models.Model]] | None = None,
) -> list[tuple[str, str]]:
    """Return the relations to `Supplier` that no app has said a merge moves or keeps."""
    covered = {(m.model, m.field) for m in _movers.values()} | set(_kept)
    return [f for f in supplier_fields(models_) if f not in covered]
