"""API: contracts, with the same filters and access rules as the list page."""

from datetime import date
from decimal import Decimal
from uuid import UUID

from django.http import Http404
from ninja import Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from hallbar.contracts.access import access_contract, contracts_visible_to
from hallbar.contracts.selectors import filter_contracts
from hallbar.organisations.models import Role

router = Router(tags=["contracts"])


class ContractOut(Schema):
    public_id: UUID
    reference: str
    title: str
    lead_region_code: str
    region_codes: list[str]
    supplier: str
    supplier_public_id: UUID
    category: str
    cpv_code: str | None
    annual_value_sek: Decimal
    start_date: date
    end_date: date | None
    status: str
    clause_version: int | None
    clause_level: str
    production_countries: list[str]


class ContractFilters(Schema):
    q: str | None = None
    region: str | None = None
    status: str | None = None
    category: str | None = None
    level: str | None = None
    sort: str | None = None


def _out(c) -> dict:
    return {
        "public_id": c.public_id,
        "reference": c.reference,
        "title": c.title,
        "lead_region_code": c.lead_region.county_code,
        "region_codes": sorted(r.county_code for r in c.regions.all()),
        "supplier": c.supplier.name,
        "supplier_public_id": c.supplier.public_id,
        "category": c.category.slug,
        "cpv_code": c.cpv_id,
        "annual_value_sek": c.annual_value_sek,
        "start_date": c.start_date,
        "end_date": c.end_date,
        "status": c.status,
        "clause_version": c.clause.version if c.clause else None,
        "clause_level": c.clause_level,
        "production_countries": c.production_countries,
    }


@router.get("/", response=list[ContractOut])
@paginate(PageNumberPagination, page_size=50)
def list_contracts(request, filters: Query[ContractFilters]):
    """Return the contracts the caller may see, filtered and sorted like the list page."""
    user = request.user
    if not (user.is_cooperation_member or user.has_role(Role.SUPPLIER_CONTACT)):
        raise Http404
    params = {k: v for k, v in filters.dict().items() if v}
    contracts = filter_contracts(contracts_visible_to(user), params).select_related("clause")
    return [_out(c) for c in contracts.prefetch_related("regions")]


@router.get("/{public_id}", response=ContractOut)
def get_contract(request, public_id: UUID):
    contract, _can_edit = access_contract(request.user, public_id)
    return _out(contract)
