"""Reads for organisations."""

from datetime import date

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

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
