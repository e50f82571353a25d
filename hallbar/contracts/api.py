"""API: contracts, with the same filters and access rules as the list page."""

from datetime import date
from decimal import Decimal
from uuid import UUID

from django.http import Http404
from ninja import Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from hallbar.contracts.access import access_contract, can_list_contracts, contracts_visible_to
from hallbar.contracts.selectors import filter_contracts

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

    # Resolvers let the paginator slice the queryset before any contract is built.
    @staticmethod
    def resolve_lead_region_code(obj) -> str:
        return obj.lead_region.county_code

    @staticmethod
    def resolve_region_codes(obj) -> list[str]:
        return sorted(r.county_code for r in obj.regions.all())

    @staticmethod
    def resolve_supplier(obj) -> str:
        return obj.supplier.name

    @staticmethod
    def resolve_supplier_public_id(obj):
        return obj.supplier.public_id

    @staticmethod
    def resolve_category(obj) -> str:
        return obj.category.slug

    @staticmethod
    def resolve_cpv_code(obj) -> str | None:
        return obj.cpv_id

    @staticmethod
    def resolve_clause_version(obj) -> int | None:
        return obj.clause.version if obj.clause else None


class ContractFilters(Schema):
    q: str | None = None
    region: str | None = None
    status: str | None = None
    category: str | None = None
    level: str | None = None
    sort: str | None = None


@router.get("/", response=list[ContractOut])
@paginate(PageNumberPagination, page_size=50)
def list_contracts(request, filters: Query[ContractFilters]):
    """Return the contracts the caller may see, filtered and sorted like the list page."""
    user = request.user
    if not can_list_contracts(user):
        raise Http404
    params = {k: v for k, v in filters.dict().items() if v}
    contracts = filter_contracts(contracts_visible_to(user), params).select_related("clause")
    return contracts.prefetch_related("regions")


@router.get("/{public_id}", response=ContractOut)
def get_contract(request, public_id: UUID):
    contract, _can_edit = access_contract(request.user, public_id)
    return contract
