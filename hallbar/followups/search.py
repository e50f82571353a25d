"""The header search's follow-up cases: by case number, supplier name or the supplier's number,
among the cases the user may list (a supplier contact: its own company's sent cases)."""

from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse

from hallbar.core.search import SearchHit
from hallbar.followups.access import (
    can_list_followups,
    follows_cases_in_portal,
    followups_visible_to,
)
from hallbar.suppliers.search import identifier_condition


def search_followups(user, query: str, limit: int) -> list[SearchHit]:
    if not can_list_followups(user):
        return []
    followups = (
        followups_visible_to(user)
        .filter(
            Q(reference__icontains=query)
            | Q(supplier__name__icontains=query)
            | identifier_condition(query, prefix="supplier__")
        )
        .select_related("supplier")
        .order_by("-reference", "pk")[:limit]
    )
    in_portal = follows_cases_in_portal(user)
    return [
        SearchHit(
            title=f"{followup.reference} {followup.supplier.name}",
            url=reverse(
                "portal:case" if in_portal else "followups:followup-detail",
                args=[followup.public_id],
            ),
            detail=f"{followup.get_followup_type_display()} · {followup.get_status_display()}",
        )
        for followup in followups
    ]


def more_followups(user, query: str) -> str | None:
    if follows_cases_in_portal(user):
        return reverse("portal:home")
    return f"{reverse('followups:followup-list')}?{urlencode({'q': query})}"
