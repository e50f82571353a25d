"""Reads for suppliers."""

from django.db.models import Count, Q, QuerySet

from hallbar.suppliers.models import Supplier

SORTS = {"name": "name", "country": "country", "contracts": "contract_count"}


def filter_suppliers(queryset: QuerySet[Supplier], params) -> QuerySet[Supplier]:
    queryset = queryset.current().annotate(contract_count=Count("contracts", distinct=True))
    query = (params.get("q") or "").strip()
    if query:
        compact = query.replace("-", "").replace(" ", "").upper()
        queryset = queryset.filter(
            Q(name__icontains=query)
            | Q(names__name__icontains=query)
            | Q(org_number=compact)
            | Q(vat_number=compact)
            | Q(other_id__icontains=query)
        ).distinct()
    if country := params.get("country"):
        queryset = queryset.filter(country=country.upper())
    if params.get("review") == "open":
        queryset = queryset.filter(reviews__status="open").distinct()
    sort = params.get("sort") or "name"
    field = SORTS.get(sort.lstrip("-"), "name")
    return queryset.order_by(f"-{field}" if sort.startswith("-") else field, "pk")
