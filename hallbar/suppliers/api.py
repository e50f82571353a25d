"""API: the supplier registry, with the same access rules as the pages."""

from uuid import UUID

from django.http import Http404
from ninja import Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from hallbar.suppliers.access import (
    access_supplier,
    can_list_suppliers,
    sees_registry_internals,
    sites_for,
    suppliers_visible_to,
)
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
@paginate(PageNumberPagination, page_size=50)
def list_suppliers(request, filters: Query[SupplierFilters]):
    user = request.user
    if not can_list_suppliers(user):
        raise Http404
    params = {k: v for k, v in filters.dict().items() if v}
    return filter_suppliers(suppliers_visible_to(user), params)


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
