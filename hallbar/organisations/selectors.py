"""Reads for organisations."""

from datetime import date

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from hallbar.core.models import AuditEvent
from hallbar.organisations.models import (
    AreaCategory,
    AreaMembership,
    PopulationFigure,
    ProcurementArea,
    Region,
)


def regions_with_latest_population() -> list[Region]:
    """Return the regions with .latest_population (a PopulationFigure or None) and .area."""
    today = timezone.localdate()
    regions = list(
        Region.objects.select_related("organisation").prefetch_related(
            Prefetch("populations", queryset=PopulationFigure.objects.order_by("-reference_date")),
            Prefetch(
                "area_memberships",
                queryset=AreaMembership.objects.valid_on(today).select_related("area"),
                to_attr="current_memberships",
            ),
        )
    )
    for region in regions:
        figures = list(region.populations.all())
        region.latest_population = figures[0] if figures else None
        region.area = region.current_memberships[0].area if region.current_memberships else None
    return list(regions)


def areas_on(day: date) -> QuerySet[ProcurementArea]:
    """Return the procurement areas with their member regions and owned categories on day."""
    return ProcurementArea.objects.prefetch_related(
        Prefetch(
            "memberships",
            queryset=AreaMembership.objects.valid_on(day).select_related("region__organisation"),
            to_attr="current_memberships",
        ),
        Prefetch(
            "categories",
            queryset=AreaCategory.objects.valid_on(day).select_related("category"),
            to_attr="current_categories",
        ),
        "coordinators__user",
    )


# The audit log page's sort keys: the URL's name -> the ordering (newest first by default).
AUDIT_SORTS = {
    "at": ("sequence",),
    "kind": ("kind", "sequence"),
    "actor": ("actor_name", "sequence"),
    "object": ("object_label", "sequence"),
    "address": ("client_address", "sequence"),
}
AUDIT_DEFAULT_SORT = "-at"


def filter_audit_events(filters: dict, sort: str = AUDIT_DEFAULT_SORT):
    """Return the audit log entries matching filters (AuditLogFilterForm's cleaned data),
    ordered by sort (a key of AUDIT_SORTS, "-" first for descending)."""
    events = AuditEvent.objects.all()
    text = (filters.get("q") or "").strip()
    if text:
        events = events.filter(
            Q(actor_name__icontains=text)
            | Q(object_label__icontains=text)
            | Q(object_id__icontains=text)
            | Q(object_type__icontains=text)
            | Q(client_address__icontains=text)
            | Q(detail__icontains=text)
        )
    actor = (filters.get("actor") or "").strip()
    if actor:
        events = events.filter(actor_name__icontains=actor)
    if filters.get("kind"):
        events = events.filter(kind=filters["kind"])
    subject = (filters.get("object") or "").strip()
    if subject:
        events = events.filter(
            Q(object_label__icontains=subject)
            | Q(object_id__icontains=subject)
            | Q(object_type__icontains=subject)
        )
    if filters.get("since"):
        events = events.filter(at__date__gte=filters["since"])
    if filters.get("until"):
        events = events.filter(at__date__lte=filters["until"])
    key = sort.lstrip("-")
    if key not in AUDIT_SORTS:
        key, sort = AUDIT_DEFAULT_SORT.lstrip("-"), AUDIT_DEFAULT_SORT
    fields = AUDIT_SORTS[key]
    if sort.startswith("-"):
        fields = tuple(f"-{field}" for field in fields)
    return events.order_by(*fields)
