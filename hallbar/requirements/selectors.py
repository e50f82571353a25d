"""Reads for the requirement library: the versions in force, filtered criteria, version diffs."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Page, Paginator
from django.db.models import Case, Field, IntegerField, Max, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hallbar.categories.models import Category
from hallbar.core.bilingual import SWEDISH, current_language
from hallbar.core.history import describe_value, history_for
from hallbar.core.models import HistoryEntry
from hallbar.organisations.models import User
from hallbar.requirements.access import can_read_library, can_see_kind
from hallbar.requirements.diff import SideBySide, mark_language, side_by_side
from hallbar.requirements.models import (
    LEVEL_RANK,
    CodeOfConduct,
    ContractClause,
    Criterion,
    LibraryVersion,
    Status,
    SustainabilityArea,
)

CRITERIA_PER_PAGE = 25

_CHILDREN = {
    CodeOfConduct: ("commitments", "instruments", "zero_tolerance_items"),
    ContractClause: ("process_requirements",),
    Criterion: ("categories",),
}


def with_contents(queryset: QuerySet) -> QuerySet:
    """Return queryset with each version's rows prefetched (what the pages and diffs show)."""
    return queryset.select_related("published_by").prefetch_related(
        *_CHILDREN.get(queryset.model, ())
    )


def next_version_number(model: type[LibraryVersion], item_key: Mapping[str, Any]) -> int:
    """Return the number of the item's next version (the clause is numbered by year)."""
    latest = model.objects.filter(**item_key).aggregate(latest=Max("version"))["latest"] or 0
    if model is ContractClause:
        return max(latest + 1, timezone.localdate().year)
    return latest + 1


def published_code() -> CodeOfConduct | None:
    """Return the Code of Conduct in force (the published version), with its contents."""
    return with_contents(CodeOfConduct.objects.published()).first()


def current_clause() -> ContractClause | None:
    """Return the contract clause version in force (the published one), with PR1–PR7."""
    return with_contents(ContractClause.objects.published()).first()


def versions_visible_to(user: User, model: type[LibraryVersion]) -> QuerySet:
    """Return the versions of model user may see: all for the cooperation, else released ones."""
    if can_read_library(user):
        return model.objects.all()
    if can_see_kind(user, model):
        return model.objects.released()
    return model.objects.none()


def item_versions(version: LibraryVersion, user: User) -> list[LibraryVersion]:
    """Return the versions of version's item that user may see, newest first."""
    visible = versions_visible_to(user, type(version)).filter(**version.item_key())
    return list(visible.select_related("published_by").order_by("-version"))


def criteria_for_category(category: Category, *, level: str | None = None) -> QuerySet[Criterion]:
    """Return the published criteria linked to category (at level, when given)."""
    criteria = Criterion.objects.published().filter(categories=category)
    if level:
        criteria = criteria.filter(level=level)
    return criteria.order_by("identifier")


STATUS_FILTERS = {
    "current": ~Q(status=Status.SUPERSEDED),
    "published": Q(status=Status.PUBLISHED),
    "draft": Q(status=Status.DRAFT),
    "superseded": Q(status=Status.SUPERSEDED),
    "all": Q(),
}
DEFAULT_STATUS = "current"

_LEVEL_ORDER = Case(
    *(When(level=level, then=Value(rank)) for level, rank in LEVEL_RANK.items()),
    output_field=IntegerField(),
)
_AREA_ORDER = Case(
    *(When(area=area, then=Value(rank)) for rank, area in enumerate(SustainabilityArea.values)),
    output_field=IntegerField(),
)
SORTS = {
    "identifier": ("identifier", "-version"),
    "title": ("title", "identifier", "-version"),
    "level": ("level_rank", "identifier", "-version"),
    "type": ("criterion_type", "identifier", "-version"),
    "area": ("area_rank", "identifier", "-version"),
    "updated": ("updated_at", "identifier"),
}
DEFAULT_SORT = "identifier"


@dataclass(frozen=True)
class CriterionFilters:
    q: str = ""
    level: str = ""
    criterion_type: str = ""
    area: str = ""
    category: str = ""  # a category slug
    status: str = DEFAULT_STATUS
    sort: str = DEFAULT_SORT


def filter_criteria(criteria: QuerySet[Criterion], filters: CriterionFilters) -> QuerySet:
    """Return criteria narrowed and ordered by filters (unknown values are ignored)."""
    if filters.q:
        for word in filters.q.split():
            criteria = criteria.filter(
                Q(identifier__icontains=word)
                | Q(title__icontains=word)
                | Q(requirement_text__icontains=word)
            )
    if filters.level:
        criteria = criteria.filter(level=filters.level)
    if filters.criterion_type:
        criteria = criteria.filter(criterion_type=filters.criterion_type)
    if filters.area:
        criteria = criteria.filter(area=filters.area)
    if filters.category:
        criteria = criteria.filter(categories__slug=filters.category)
    criteria = criteria.filter(STATUS_FILTERS.get(filters.status, STATUS_FILTERS[DEFAULT_STATUS]))
    descending = filters.sort.startswith("-")
    order = SORTS.get(filters.sort.lstrip("-"), SORTS[DEFAULT_SORT])
    if descending:
        order = (f"-{order[0]}", *order[1:])
    return (
        criteria.annotate(level_rank=_LEVEL_ORDER, area_rank=_AREA_ORDER)
        .prefetch_related("categories")
        .order_by(*order)
        .distinct()
    )


def criteria_page(
    user: User, filters: CriterionFilters, page_number, *, per_page: int = CRITERIA_PER_PAGE
) -> Page:
    """Return the page (1-based; out-of-range numbers give the nearest page) of user's criteria."""
    criteria = filter_criteria(versions_visible_to(user, Criterion), filters)
    return Paginator(criteria, per_page).get_page(page_number)


def version_diff(old: LibraryVersion, new: LibraryVersion) -> SideBySide:
    """Compare two versions of the same item line by line."""
    model = type(old)
    pair = {v.pk: v for v in with_contents(model.objects.filter(pk__in=[old.pk, new.pk]))}
    result = side_by_side(pair[old.pk].document_lines(), pair[new.pk].document_lines())
    if current_language() != SWEDISH:
        swedish = pair[old.pk].swedish_only_lines() | pair[new.pk].swedish_only_lines()
        mark_language(result, swedish, SWEDISH)
    return result


@dataclass(frozen=True)
class LibraryOverview:
    code: CodeOfConduct | None
    clause: ContractClause | None
    published_criteria: int | None  # None when the user may not see criteria
    draft_count: int | None  # None when the user may not see drafts


def library_overview(user: User) -> LibraryOverview:
    """Return what the library's start page shows user."""
    member = can_read_library(user)
    drafts = None
    if member:
        drafts = sum(
            model.objects.drafts().count() for model in (CodeOfConduct, ContractClause, Criterion)
        )
    return LibraryOverview(
        code=CodeOfConduct.objects.published().first(),
        clause=ContractClause.objects.published().first(),
        published_criteria=Criterion.objects.published().count() if member else None,
        draft_count=drafts,
    )


# Labels for the history keys that are not model fields.
_CHANGE_LABELS = {
    "supersedes": _("supersedes version"),
    "superseded_by": _("superseded by version"),
    "based_on": _("copied from version"),
    "commitments": _("commitments (rows before → after)"),
    "instruments": _("instruments cited (rows before → after)"),
    "zero_tolerance": _("zero-tolerance deviations (rows before → after)"),
    "process_requirements": _("process requirements (rows before → after)"),
    "categories": _("categories"),
}
_SUMMARIES = {
    "created": _("Draft created"),
    "published": _("Published"),
    "superseded": _("Superseded"),
    "updated": _("Draft edited"),
}
_LONGEST = 160


@dataclass(frozen=True)
class ChangeLogEntry:
    entry: HistoryEntry
    summary: str
    details: list[tuple[str, str]]

    @property
    def at(self):
        return self.entry.at

    @property
    def actor(self):
        return self.entry.actor


def _shorten(value: Any) -> str:
    text = "–" if value in (None, "") else str(Status(value).label if value in Status else value)
    return text if len(text) <= _LONGEST else text[: _LONGEST - 1] + "…"


def _label(model: type[LibraryVersion], key: str) -> str:
    if key in _CHANGE_LABELS:
        return str(_CHANGE_LABELS[key])
    try:
        field = model._meta.get_field(key)
    except FieldDoesNotExist:
        return key
    return str(field.verbose_name) if isinstance(field, Field) else key


def change_log(version: LibraryVersion) -> list[ChangeLogEntry]:
    """Return version's history entries, newest first, readably: a summary and changed values."""
    log = []
    for entry in history_for(version):
        changes = dict(entry.changes)
        status = changes.get("status")
        kind = entry.action
        if isinstance(status, list) and len(status) == 2:
            kind = status[1]
            changes.pop("status")
        details = []
        for key, value in changes.items():
            if key == "status":
                text = (
                    f"{_shorten(value[0])} → {_shorten(value[1])}"
                    if isinstance(value, list) and len(value) == 2
                    else _shorten(value)
                )
            else:
                text = describe_value(type(version), key, value)
            label = _label(type(version), key)
            details.append((label[:1].upper() + label[1:], text))
        summary = _SUMMARIES.get(kind)
        log.append(ChangeLogEntry(entry, str(summary) if summary else kind, details))
    return log
