"""API: the supplier registry, with the same access rules as the pages."""

from uuid import UUID

from django.http import Http404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from hallbar.core.api_paging import BoundedPageNumberPagination
from hallbar.core.api_support import ErrorOut, FieldErrors, as_row, import_errors, run_api_import
from hallbar.core.models import ImportJob
from hallbar.suppliers.access import (
    access_supplier,
    can_edit_suppliers,
    can_list_suppliers,
    sees_registry_internals,
    sites_for,
    suppliers_visible_to,
)
from hallbar.suppliers.imports import COLUMNS, SupplierItemsImporter
from hallbar.suppliers.selectors import filter_suppliers

router = Router(tags=["suppliers"])


class SiteOut(Schema):
    name: str
    country: str
    city: str
    products: str
    tier: int
    osh_id: str


class SupplierOut(Schema):
    public_id: UUID
    name: str
    country: str
    org_number: str
    vat_number: str
    other_id: str


class SupplierDetailOut(SupplierOut):
    sites: list[SiteOut]
    names: list[str]


class SupplierFilters(Schema):
    q: str | None = None
    country: str | None = None
    sort: str | None = None


@router.get("/", response=list[SupplierOut])
@paginate(BoundedPageNumberPagination, page_size=50)
def list_suppliers(request, filters: Query[SupplierFilters]):
    user = request.user
    if not can_list_suppliers(user):
        raise Http404
    params = {k: v for k, v in filters.dict().items() if v}
    return filter_suppliers(suppliers_visible_to(user), params)


# --- writes: before the detail route, whose path would take "upsert" for an id ---------------

MAX_ITEMS = 500


class SiteIn(Schema):
    name: str = Field(..., min_length=1, max_length=300)
    country: str = Field(..., min_length=1, max_length=60)
    city: str = Field("", max_length=120)
    products: str = Field("", max_length=300)
    tier: int = Field(1, ge=1, le=99)
    osh_id: str = Field("", max_length=40)


class SupplierIn(Schema):
    """One supplier, matched in the registry by its identifier (organisation number, VAT number
    or other identifier), else by its name and country; optionally with one production site.

    The fields are the supplier import's columns, checked by the same rules.
    """

    name: str = Field(..., min_length=1, max_length=300)
    country: str = Field(..., min_length=1, max_length=60)
    org_number: str = Field("", max_length=20)
    vat_number: str = Field("", max_length=20)
    other_id: str = Field("", max_length=60)
    city: str = Field("", max_length=120)
    dd_contact_name: str = Field("", max_length=200)
    dd_contact_email: str = Field("", max_length=254)
    dd_contact_phone: str = Field("", max_length=40)
    site: SiteIn | None = None


class SupplierUpsertIn(Schema):
    dry_run: bool = Field(False, description="check every supplier, write nothing")
    suppliers: list[SupplierIn] = Field(..., min_length=1, max_length=MAX_ITEMS)


class SupplierResultOut(Schema):
    job: UUID
    status: str
    dry_run: bool
    summary: dict[str, int | str]


def _row(item: SupplierIn) -> dict[str, str]:
    values = item.dict()
    site = values.pop("site") or {}
    values |= {f"site_{key}": value for key, value in site.items()}
    return as_row(values, COLUMNS)


@router.post(
    "/upsert",
    response={200: SupplierResultOut, 404: ErrorOut, 422: ErrorOut},
    summary="Register or update suppliers by their identifier",
)
def upsert_suppliers(request, payload: SupplierUpsertIn):
    """Register suppliers, or fill in and change those already registered, with their sites.

    The same checks and writes as the supplier import, all or nothing: when any supplier is
    wrong, or is one the caller may not change, nothing is written and the answer (422) names
    each wrong field. Only those who may register suppliers on the pages may call it.
    """
    if not can_edit_suppliers(request.user):
        raise Http404
    job = run_api_import(
        kind=ImportJob.Kind.SUPPLIERS,
        importer=SupplierItemsImporter([_row(item) for item in payload.suppliers]),
        acting_user=request.user,
        dry_run=payload.dry_run,
    )
    if job.issues:
        raise FieldErrors(
            [
                {**error, "field": _field(error["field"])}
                for error in import_errors(job, "suppliers")
            ]
        )
    return {
        "job": job.public_id,
        "status": job.status,
        "dry_run": job.dry_run,
        "summary": job.summary or {},
    }


def _field(path: str) -> str:
    """Name a site's column as the request does: suppliers[0].site.tier, not site_tier."""
    head, dot, column = path.rpartition(".")
    if dot and column.startswith("site_"):
        return f"{head}.site.{column.removeprefix('site_')}"
    return path


@router.get("/{public_id}", response=SupplierDetailOut)
def get_supplier(request, public_id: UUID):
    supplier, _can_edit = access_supplier(request.user, public_id)
    return {
        **{f: getattr(supplier, f) for f in SupplierOut.model_fields},
        "sites": [
            {
                "name": site.shown_name,
                "country": site.country,
                "city": site.shown_city,
                "products": site.products,
                "tier": site.tier,
                "osh_id": site.shown_osh_id,
            }
            for site in sites_for(request.user, supplier, supplier.sites.all())
        ],
        "names": sorted({n.name for n in supplier.names.all()})
        if sees_registry_internals(request.user)
        else [],
    }
