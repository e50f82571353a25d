"""Writes for the requirement library: one atomic function per change, each writing history.

`acting_user=None` means a system load (the demo loader, commands); views and the API always pass
the signed-in user, and anyone but the secretariat gets a PermissionError.
"""

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hallbar.categories.models import Category
from hallbar.core.history import diff_fields, record_change
from hallbar.organisations.models import User
from hallbar.requirements.access import can_edit_library
from hallbar.requirements.models import (
    PROCESS_REQUIREMENT_COUNT,
    CodeCommitment,
    CodeInstrument,
    CodeOfConduct,
    ContractClause,
    Criterion,
    LibraryVersion,
    ProcessRequirement,
    Status,
    SustainabilityArea,
    ZeroToleranceItem,
)
from hallbar.requirements.selectors import next_version_number

V = TypeVar("V", bound=LibraryVersion)

NOT_ALLOWED = _("Only the secretariat edits the requirement library.")
ONLY_DRAFTS_EDITABLE = _("Only a draft can be edited. Start a new version instead.")
ONLY_DRAFTS_PUBLISHABLE = _("Only a draft can be published.")
NOTE_REQUIRED = _("Say briefly what changed in this version.")
DRAFT_EXISTS = _("There is already a draft of this item. Edit or publish it first.")
ONLY_FROM_PUBLISHED = _("A new version starts from the published version.")
IDENTIFIER_TAKEN = _("A criterion with this identifier already exists.")
CODE_INCOMPLETE = _(
    "The code needs at least one commitment in each of the four areas and at least one "
    "zero-tolerance deviation before it can be published."
)
DUPLICATE_KEY = _("Each zero-tolerance deviation needs its own key.")
DUPLICATE_NUMBER = _("Each process requirement number may occur only once.")
CLAUSE_INCOMPLETE = _("The clause needs all seven process requirements, PR1–PR7, to be published.")

CODE_FIELDS = ["title", "title_en", "introduction", "introduction_en"]
CLAUSE_FIELDS = [
    "version",
    "title",
    "title_en",
    "introduction",
    "introduction_en",
    "reporting_days",
    "reporting_text",
    "reporting_text_en",
    "follow_up_text",
    "follow_up_text_en",
    "vite_per_week_sek",
    "vite_cap_weeks",
    "sanctions_text",
    "sanctions_text_en",
    "termination_text",
    "termination_text_en",
    "immediate_termination_text",
    "immediate_termination_text_en",
]
CRITERION_FIELDS = [
    "level",
    "criterion_type",
    "area",
    "title",
    "requirement_text",
    "rationale",
    "verification",
]


def _require_editor(user: User | None) -> None:
    if user is not None and not can_edit_library(user):
        raise PermissionError(NOT_ALLOWED)


def _require_draft(version: LibraryVersion) -> None:
    if not version.is_draft:
        raise ValidationError(ONLY_DRAFTS_EDITABLE)


def _locked(version: V) -> V:
    """Return version read again under a row lock, so its status cannot change underneath us."""
    return type(version).objects.select_for_update().get(pk=version.pk)


def _assign(version: LibraryVersion, fields: list[str], values: Mapping[str, Any]) -> None:
    for field in fields:
        if field in values:
            setattr(version, field, values[field])


def _rows(rows: Iterable[Mapping[str, Any]], fields: tuple[str, ...]) -> list[tuple]:
    return [tuple(row.get(field, "") or "" for field in fields) for row in rows]


COMMITMENT_FIELDS = ("area", "text", "text_en")
INSTRUMENT_FIELDS = ("reference", "reference_en", "title", "title_en", "area")
ZERO_TOLERANCE_FIELDS = ("key", "title", "title_en", "description", "description_en", "area")
PROCESS_REQUIREMENT_FIELDS = (
    "number",
    "title",
    "title_en",
    "basic_text",
    "basic_text_en",
    "advanced_text",
    "advanced_text_en",
)


def _replace_code_children(
    code: CodeOfConduct,
    *,
    commitments: Iterable[Mapping[str, Any]],
    instruments: Iterable[Mapping[str, Any]],
    zero_tolerance: Iterable[Mapping[str, Any]],
) -> dict[str, list[int]]:
    """Replace the code's rows with the given ones; return {collection: [before, after]}."""
    before = {
        "commitments": _rows(code.commitments.values(), COMMITMENT_FIELDS),
        "instruments": _rows(code.instruments.values(), INSTRUMENT_FIELDS),
        "zero_tolerance": _rows(code.zero_tolerance_items.values(), ZERO_TOLERANCE_FIELDS),
    }
    after = {
        "commitments": _rows(commitments, COMMITMENT_FIELDS),
        "instruments": _rows(instruments, INSTRUMENT_FIELDS),
        "zero_tolerance": _rows(zero_tolerance, ZERO_TOLERANCE_FIELDS),
    }
    keys = [key for key, *_rest in after["zero_tolerance"]]
    if len(keys) != len(set(keys)):
        raise ValidationError(DUPLICATE_KEY)
    code.commitments.all().delete()
    code.instruments.all().delete()
    code.zero_tolerance_items.all().delete()
    built: list[Any] = []
    for position, row in enumerate(after["commitments"], start=1):
        built.append(
            CodeCommitment(
                code=code, position=position, **dict(zip(COMMITMENT_FIELDS, row, strict=True))
            )
        )
    for position, row in enumerate(after["instruments"], start=1):
        built.append(
            CodeInstrument(
                code=code, position=position, **dict(zip(INSTRUMENT_FIELDS, row, strict=True))
            )
        )
    for position, row in enumerate(after["zero_tolerance"], start=1):
        built.append(
            ZeroToleranceItem(
                code=code, position=position, **dict(zip(ZERO_TOLERANCE_FIELDS, row, strict=True))
            )
        )
    for row in built:
        row.full_clean()
        row.save()
    return {
        name: [len(before[name]), len(after[name])]
        for name in before
        if before[name] != after[name]
    }


@transaction.atomic
def create_code_draft(
    *,
    acting_user: User | None,
    title: str,
    introduction: str = "",
    title_en: str = "",
    introduction_en: str = "",
    commitments: Iterable[Mapping[str, Any]] = (),
    instruments: Iterable[Mapping[str, Any]] = (),
    zero_tolerance: Iterable[Mapping[str, Any]] = (),
) -> CodeOfConduct:
    """Start a Code of Conduct version from scratch (new versions copy: start_new_version)."""
    _require_editor(acting_user)
    if CodeOfConduct.objects.drafts().exists():
        raise ValidationError(DRAFT_EXISTS)
    code = CodeOfConduct(
        version=next_version_number(CodeOfConduct, {}),
        title=title,
        title_en=title_en,
        introduction=introduction,
        introduction_en=introduction_en,
    )
    code.full_clean()
    code.save()
    _replace_code_children(
        code, commitments=commitments, instruments=instruments, zero_tolerance=zero_tolerance
    )
    record_change(code, action="created", acting_user=acting_user)
    return code


@transaction.atomic
def update_code_draft(
    code: CodeOfConduct,
    *,
    acting_user: User | None,
    commitments: Iterable[Mapping[str, Any]],
    instruments: Iterable[Mapping[str, Any]],
    zero_tolerance: Iterable[Mapping[str, Any]],
    **values: Any,
) -> CodeOfConduct:
    """Change a draft code: its fields (title, introduction) and all its rows."""
    _require_editor(acting_user)
    code = _locked(code)
    _require_draft(code)
    before = model_to_dict(code, fields=CODE_FIELDS)
    _assign(code, CODE_FIELDS, values)
    code.full_clean()
    code.save(update_fields=[*CODE_FIELDS, "updated_at"])
    changes: dict[str, Any] = diff_fields(before, model_to_dict(code, fields=CODE_FIELDS))
    changes |= _replace_code_children(
        code, commitments=commitments, instruments=instruments, zero_tolerance=zero_tolerance
    )
    record_change(code, action="updated", acting_user=acting_user, changes=changes)
    return code


def _replace_process_requirements(
    clause: ContractClause, rows: Iterable[Mapping[str, Any]]
) -> dict[str, list[int]]:
    before = _rows(clause.process_requirements.values(), PROCESS_REQUIREMENT_FIELDS)
    after = sorted(_rows(rows, PROCESS_REQUIREMENT_FIELDS))
    numbers = [number for number, *_rest in after]
    if len(numbers) != len(set(numbers)):
        raise ValidationError(DUPLICATE_NUMBER)
    clause.process_requirements.all().delete()
    for values in after:
        row = ProcessRequirement(
            clause=clause, **dict(zip(PROCESS_REQUIREMENT_FIELDS, values, strict=True))
        )
        row.full_clean()
        row.save()
    return {} if before == after else {"process_requirements": [len(before), len(after)]}


@transaction.atomic
def create_clause_draft(
    *,
    acting_user: User | None,
    process_requirements: Iterable[Mapping[str, Any]] = (),
    **values: Any,
) -> ContractClause:
    """Start a contract clause version from scratch; values are the clause's fields."""
    _require_editor(acting_user)
    if ContractClause.objects.drafts().exists():
        raise ValidationError(DRAFT_EXISTS)
    clause = ContractClause()
    _assign(clause, CLAUSE_FIELDS, values)
    if not clause.version:
        clause.version = next_version_number(ContractClause, {})
    clause.full_clean()
    clause.save()
    _replace_process_requirements(clause, process_requirements)
    record_change(clause, action="created", acting_user=acting_user)
    return clause


@transaction.atomic
def update_clause_draft(
    clause: ContractClause,
    *,
    acting_user: User | None,
    process_requirements: Iterable[Mapping[str, Any]],
    **values: Any,
) -> ContractClause:
    """Change a draft clause: its fields, parameters and process requirements."""
    _require_editor(acting_user)
    clause = _locked(clause)
    _require_draft(clause)
    before = model_to_dict(clause, fields=CLAUSE_FIELDS)
    _assign(clause, CLAUSE_FIELDS, values)
    clause.full_clean()
    clause.save(update_fields=[*CLAUSE_FIELDS, "updated_at"])
    changes: dict[str, Any] = diff_fields(before, model_to_dict(clause, fields=CLAUSE_FIELDS))
    changes |= _replace_process_requirements(clause, process_requirements)
    record_change(clause, action="updated", acting_user=acting_user, changes=changes)
    return clause


def _category_slugs(categories: Iterable[Category]) -> list[str]:
    return sorted(c.slug for c in categories)


@transaction.atomic
def create_criterion(
    *,
    acting_user: User | None,
    identifier: str,
    categories: Iterable[Category] = (),
    **values: Any,
) -> Criterion:
    """Start a new criterion: version 1 of identifier, as a draft."""
    _require_editor(acting_user)
    identifier = identifier.strip().upper()
    if Criterion.objects.filter(identifier=identifier).exists():
        raise ValidationError({"identifier": IDENTIFIER_TAKEN})
    criterion = Criterion(identifier=identifier, version=1)
    _assign(criterion, CRITERION_FIELDS, values)
    criterion.full_clean()
    criterion.save()
    criterion.categories.set(list(categories))
    record_change(
        criterion,
        action="created",
        acting_user=acting_user,
        changes={"categories": ", ".join(_category_slugs(criterion.categories.all()))},
    )
    return criterion


@transaction.atomic
def update_criterion_draft(
    criterion: Criterion,
    *,
    acting_user: User | None,
    categories: Iterable[Category],
    **values: Any,
) -> Criterion:
    """Change a draft criterion (its identifier names the item and stays)."""
    _require_editor(acting_user)
    criterion = _locked(criterion)
    _require_draft(criterion)
    before = model_to_dict(criterion, fields=CRITERION_FIELDS)
    slugs_before = _category_slugs(criterion.categories.all())
    _assign(criterion, CRITERION_FIELDS, values)
    criterion.full_clean()
    criterion.save(update_fields=[*CRITERION_FIELDS, "updated_at"])
    criterion.categories.set(list(categories))
    changes: dict[str, Any] = diff_fields(before, model_to_dict(criterion, fields=CRITERION_FIELDS))
    slugs_after = _category_slugs(criterion.categories.all())
    if slugs_before != slugs_after:
        changes["categories"] = [", ".join(slugs_before), ", ".join(slugs_after)]
    record_change(criterion, action="updated", acting_user=acting_user, changes=changes)
    return criterion


def _check_publishable(version: LibraryVersion) -> None:
    if isinstance(version, CodeOfConduct):
        areas = set(version.commitments.values_list("area", flat=True))
        if areas != set(SustainabilityArea.values) or not version.zero_tolerance_items.exists():
            raise ValidationError(CODE_INCOMPLETE)
    if isinstance(version, ContractClause):
        numbers = set(version.process_requirements.values_list("number", flat=True))
        if numbers != set(range(1, PROCESS_REQUIREMENT_COUNT + 1)):
            raise ValidationError(CLAUSE_INCOMPLETE)


@transaction.atomic
def publish_version(version: V, *, note: str, acting_user: User | None, note_en: str = "") -> V:
    """Publish a draft with a note on what changed; the item's published version is superseded."""
    _require_editor(acting_user)
    version = _locked(version)
    if not version.is_draft:
        raise ValidationError(ONLY_DRAFTS_PUBLISHABLE)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": NOTE_REQUIRED})
    _check_publishable(version)
    now = timezone.now()
    previous = version.versions_of_item().published().select_for_update().first()
    if previous is not None:
        previous.status = Status.SUPERSEDED
        previous.superseded_at = now
        previous.save(update_fields=["status", "superseded_at", "updated_at"])
        record_change(
            previous,
            action="updated",
            acting_user=acting_user,
            changes={
                "status": [Status.PUBLISHED.value, Status.SUPERSEDED.value],
                "superseded_by": version.version_label,
            },
        )
    version.status = Status.PUBLISHED
    version.published_at = now
    version.published_by = acting_user if getattr(acting_user, "pk", None) else None
    version.change_note = note
    version.change_note_en = (note_en or "").strip()
    version.full_clean()
    version.save(
        update_fields=[
            "status",
            "published_at",
            "published_by",
            "change_note",
            "change_note_en",
            "updated_at",
        ]
    )
    changes: dict[str, Any] = {
        "status": [Status.DRAFT.value, Status.PUBLISHED.value],
        "change_note": note,
    }
    if previous is not None:
        changes["supersedes"] = previous.version_label
    record_change(version, action="updated", acting_user=acting_user, changes=changes)
    return version


@transaction.atomic
def start_new_version(source: V, *, acting_user: User | None) -> V:
    """Copy the published version source into a new draft of the same item."""
    _require_editor(acting_user)
    source = _locked(source)
    if not source.is_published:
        raise ValidationError(ONLY_FROM_PUBLISHED)
    if source.versions_of_item().drafts().exists():
        raise ValidationError(DRAFT_EXISTS)
    model = type(source)
    draft = model(
        **source.item_key(),
        **{field: getattr(source, field) for field in model.COPY_FIELDS},
        version=next_version_number(model, source.item_key()),
        based_on=source,
        status=Status.DRAFT,
    )
    draft.full_clean()
    draft.save()
    source.copy_children_to(draft)
    record_change(
        draft,
        action="created",
        acting_user=acting_user,
        changes={"based_on": source.version_label},
    )
    return draft
