"""The header search's suppliers: by name (also the names the regions' invoices use), or by
organisation, VAT or other number in any format, among the suppliers the user may list."""

from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse

from hallbar.core.search import SearchHit
from hallbar.suppliers.access import can_list_suppliers, suppliers_visible_to
from hallbar.suppliers.matching.identifiers import InvalidIdentifier, normalise_org_number


def identifier_condition(query: str, prefix: str = "") -> Q:
    """Return the condition "has this organisation/VAT/other number", whatever its format.

    A whole Swedish number in any form (556677-8899, 16556677-8899, SE556677889901) is
    normalised; shorter digit runs match part of the number.
    """
    compact = "".join(ch for ch in query if ch.isalnum()).upper()
    if not compact:
        return Q(pk__in=[])
    condition = Q(**{f"{prefix}vat_number": compact}) | Q(
        **{f"{prefix}other_id__iexact": query.strip()}
    )
    try:
        number = normalise_org_number(query)
    except InvalidIdentifier:
        number = ""
    if number:
        condition |= Q(**{f"{prefix}org_number": number})
    elif compact.isdigit() and len(compact) >= 4:
        condition |= Q(**{f"{prefix}org_number__contains": compact})
    return condition


def search_suppliers(user, query: str, limit: int) -> list[SearchHit]:
    if not can_list_suppliers(user):
        return []
    suppliers = (
        suppliers_visible_to(user)
        .current()
        .filter(
            Q(name__icontains=query) | Q(names__name__icontains=query) | identifier_condition(query)
        )
        .distinct()
        .order_by("name", "pk")[:limit]
    )
    return [
        SearchHit(
            title=supplier.name,
            url=reverse("suppliers:supplier-detail", args=[supplier.public_id]),
            detail=" · ".join(
                part for part in (supplier.identifier, supplier.country_name) if part
            ),
        )
        for supplier in suppliers
    ]


def more_suppliers(user, query: str) -> str:
    return f"{reverse('suppliers:supplier-list')}?{urlencode({'q': query})}"
