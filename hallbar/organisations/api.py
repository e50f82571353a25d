"""API: regions and their populations."""

from datetime import date

from django.http import Http404
from ninja import Router, Schema

from hallbar.organisations.access import access_region, can_view_cooperation
from hallbar.organisations.selectors import regions_with_latest_population

router = Router(tags=["regions"])


class RegionOut(Schema):
    county_code: str
    name: str
    county_name: str
    iso_code: str
    area: str | None
    population: int | None
    population_reference_date: date | None


class PopulationOut(Schema):
    reference_date: date
    population: int
    source: str


class RegionDetailOut(RegionOut):
    populations: list[PopulationOut]


def _region_out(region) -> dict:
    latest = region.latest_population
    return {
        "county_code": region.county_code,
        "name": region.name,
        "county_name": region.county_name,
        "iso_code": region.iso_code,
        "area": region.area.code if region.area else None,
        "population": latest.population if latest else None,
        "population_reference_date": latest.reference_date if latest else None,
    }


@router.get("/", response=list[RegionOut])
def list_regions(request):
    """Return the 21 regions with their latest population figure and procurement area."""
    if not can_view_cooperation(request.user):
        raise Http404
    return [_region_out(r) for r in regions_with_latest_population()]


@router.get("/{county_code}", response=RegionDetailOut)
def get_region(request, county_code: str):
    access_region(request.user, county_code)
    region = next(r for r in regions_with_latest_population() if r.county_code == county_code)
    return {
        **_region_out(region),
        "populations": list(region.populations.all()),
    }
