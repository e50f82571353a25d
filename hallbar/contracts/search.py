"""The header search's contracts: by reference, title, supplier name or the supplier's number,
among the contracts the user may list."""

from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse

from hallbar.contracts.access import can_list_contracts, contracts_visible_to
from hallbar.core.search import SearchHit
from hallbar.suppliers.search import identifier_condition


def search_contracts(user, query: str, limit: int) -> list[SearchHit]:
    if not can_list_contracts(user):
        return []
    contracts = (
        contracts_visible_to(user)
        .filter(
            Q(reference__icontains=query)
            | Q(title__icontains=query)
            | Q(supplier__name__icontains=query)
            | identifier_condition(query, prefix="supplier__")
        )
        .select_related("supplier", "lead_region__organisation")
        .distinct()
        .order_by("-start_date", "pk")[:limit]
    )
    return [
        SearchHit(
            title=f"{contract.reference} {contract.title}",
            url=reverse("contracts:contract-detail", args=[contract.public_id]),
            detail=" · ".join(
                part for part in (contract.supplier.name, contract.lead_region.name) if part
            ),
        )
        for contract in contracts
    ]


def more_contracts(user, query: str) -> str:
    # The list opens on the user's own region; the search covers them all.
    return f"{reverse('contracts:contract-list')}?{urlencode({'q': query, 'region': ''})}"
