"""API: contracts, with the same filters and access rules as the list page."""

from datetime import date
from decimal import Decimal
from typing import Literal
from uuid import UUID

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from hallbar.contracts.access import (
    access_contract,
    can_create_contracts,
    can_edit_region_contracts,
    can_list_contracts,
    contracts_visible_to,
)
from hallbar.contracts.imports import COLUMNS, ContractItemsImporter
from hallbar.contracts.selectors import filter_contracts
from hallbar.core.api_paging import BoundedPageNumberPagination
from hallbar.core.api_support import (
    ErrorOut,
    FieldErrors,
    as_row,
    field_error,
    import_errors,
    run_api_import,
)
from hallbar.core.models import ImportJob
from hallbar.organisations.models import Region

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
@paginate(BoundedPageNumberPagination, page_size=50)
def list_contracts(request, filters: Query[ContractFilters]):
    """Return the contracts the caller may see, filtered and sorted like the list page."""
    user = request.user
    if not can_list_contracts(user):
        raise Http404
    params = {k: v for k, v in filters.dict().items() if v}
    contracts = filter_contracts(contracts_visible_to(user), params).select_related("clause")
    return contracts.prefetch_related("regions")


# --- writes: before the detail route, whose path would take "upsert" for an id ---------------

MAX_ITEMS = 500
REGION_NOT_WRITABLE = _("There is no region with this county code whose contracts you may change.")


class ContractIn(Schema):
    """One contract, keyed by the lead region (the request's) and its reference there.

    The fields are the contract import's columns, checked by the same rules.
    """

    reference: str = Field(..., min_length=1, max_length=100)
    title: str = Field(..., min_length=1, max_length=300)
    supplier_name: str = Field(..., min_length=1, max_length=300)
    supplier_country: str = Field(..., min_length=1, max_length=60)
    supplier_org_number: str = Field("", max_length=20)
    supplier_vat_number: str = Field("", max_length=20)
    supplier_other_id: str = Field("", max_length=60)
    category: str = Field(..., min_length=1, max_length=120, description="a category's code")
    cpv_code: str = Field("", max_length=12)
    annual_value_sek: Decimal = Field(..., ge=0, max_digits=14, decimal_places=2)
    start_date: date
    end_date: date | None = None
    status: Literal["planned", "active", "expired", "terminated", "cancelled"]
    buying_regions: list[str] = Field(
        default_factory=list, max_length=21, description="county codes besides the lead region"
    )
    clause_version: int | None = Field(None, ge=1, le=9999)
    clause_level: Literal["basic", "advanced", ""] = ""
    needs_assessment: str = Field("", max_length=5000)
    dd_contact_name: str = Field("", max_length=200)
    dd_contact_email: str = Field("", max_length=254)
    production_countries: list[str] = Field(default_factory=list, max_length=50)


class ContractUpsertIn(Schema):
    region: str = Field(..., description="the lead region's county code, e.g. 01")
    dry_run: bool = Field(False, description="check every contract, write nothing")
    contracts: list[ContractIn] = Field(..., min_length=1, max_length=MAX_ITEMS)


class ImportResultOut(Schema):
    job: UUID
    status: str
    dry_run: bool
    summary: dict[str, int | str]


def import_result(job: ImportJob) -> dict:
    return {
        "job": job.public_id,
        "status": job.status,
        "dry_run": job.dry_run,
        "summary": job.summary or {},
    }


@router.post(
    "/upsert",
    response={200: ImportResultOut, 404: ErrorOut, 422: ErrorOut},
    summary="Create or update contracts of a region by the region's reference",
)
def upsert_contracts(request, payload: ContractUpsertIn):
    """Create or update the contracts of one lead region, matched on the region's own reference.

    The same checks and writes as the contract import, all or nothing: when any contract is
    wrong nothing is written and the answer (422) names each wrong field. Only those who may
    import the region's contracts on the pages may call it.
    """
    if not can_create_contracts(request.user):
        raise Http404
    region = Region.objects.filter(county_code=payload.region).first()
    if region is None or not can_edit_region_contracts(request.user, region):
        raise field_error("region", REGION_NOT_WRITABLE)
    items = [as_row(item.dict(), COLUMNS) for item in payload.contracts]
    job = run_api_import(
        kind=ImportJob.Kind.CONTRACTS,
        importer=ContractItemsImporter(items),
        acting_user=request.user,
        region=region,
        dry_run=payload.dry_run,
    )
    if job.issues:
        raise FieldErrors(import_errors(job, "contracts"))
    return import_result(job)


@router.get("/{public_id}", response=ContractOut)
def get_contract(request, public_id: UUID):
    contract, _can_edit = access_contract(request.user, public_id)
    return contract
