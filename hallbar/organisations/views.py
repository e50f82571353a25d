"""Pages for regions and procurement areas."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from hallbar.core.sections import sections_for
from hallbar.organisations.access import access_region, can_view_cooperation
from hallbar.organisations.http import AuthenticatedHttpRequest
from hallbar.organisations.models import Membership, Role
from hallbar.organisations.selectors import areas_on, regions_with_latest_population

SORTS = {
    "code": lambda r: r.county_code,
    "name": lambda r: r.name,
    "population": lambda r: r.latest_population.population if r.latest_population else 0,
    "area": lambda r: r.area.code if r.area else "",
}


def region_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_view_cooperation(request.user):
        raise Http404
    regions = regions_with_latest_population()
    query = request.GET.get("q", "").strip()
    if query:
        regions = [
            r
            for r in regions
            if query.casefold() in r.name.casefold() or query.casefold() in r.county_name.casefold()
        ]
    sort = request.GET.get("sort", "code")
    descending = sort.startswith("-")
    key = SORTS.get(sort.lstrip("-"), SORTS["code"])
    regions.sort(key=key, reverse=descending)
    total = sum(r.latest_population.population for r in regions if r.latest_population)
    return render(
        request,
        "organisations/region_list.html",
        {
            "regions": regions,
            "areas": areas_on(timezone.localdate()),
            "query": query,
            "sort": sort,
            "total_population": total,
        },
    )


def region_detail(request: AuthenticatedHttpRequest, county_code: str) -> HttpResponse:
    region, can_edit = access_region(request.user, county_code)
    memberships = (
        Membership.objects.filter(organisation=region.organisation, is_active=True)
        .exclude(role=Role.SUPPLIER_CONTACT)
        .select_related("user", "area")
        .order_by("role", "user__last_name")
    )
    return render(
        request,
        "organisations/region_detail.html",
        {
            "region": region,
            "can_edit": can_edit,
            "populations": region.populations.order_by("-reference_date"),
            "areas": region.area_memberships.select_related("area").order_by("-valid_from"),
            "sections": sections_for("organisations:region-detail", request, region),
            "memberships": memberships,
        },
    )
