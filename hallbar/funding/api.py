"""API: contributions per region and year."""

from datetime import date

from django.http import Http404
from ninja import Query, Router, Schema
from pydantic import Field

from hallbar.funding.access import can_view_funding
from hallbar.funding.exports import contribution_record
from hallbar.funding.selectors import contributions_for_year

router = Router(tags=["funding"])


class ContributionOut(Schema):
    year: int
    region_code: str
    region_name: str
    population: int | None
    population_reference_date: date | None
    rate_sek: str | None
    amount_sek: int | None
    decision_reference: str | None
    decided_sek: int | None
    region_decision_reference: str | None
    difference_sek: int | None
    invoiced_sek: int | None
    invoiced_basis: str


class YearQuery(Schema):
    year: int = Field(..., ge=2016, le=2100)


@router.get("/contributions", response=list[ContributionOut])
def list_contributions(request, filters: Query[YearQuery]):
    """Return each region's contribution for a year (rate × population at the reference date)."""
    if not can_view_funding(request.user):
        raise Http404
    return [contribution_record(c) for c in contributions_for_year(filters.year)]
