"""The header search's categories: by name in either language, code or CPV code."""

from django.db.models import Q
from django.urls import reverse

from hallbar.categories.access import can_view_categories
from hallbar.categories.models import Category
from hallbar.core.search import SearchHit


def search_categories(user, query: str, limit: int) -> list[SearchHit]:
    if not can_view_categories(user):
        return []
    condition = Q(name_sv__icontains=query) | Q(name_en__icontains=query)
    digits = query.replace(" ", "").replace("-", "")
    if digits.isdigit():
        condition |= Q(cpv_codes__code__startswith=digits)
    categories = Category.objects.filter(condition).distinct().order_by("name_sv", "pk")[:limit]
    return [
        SearchHit(
            title=category.name,
            url=reverse("categories:category-detail", args=[category.public_id]),
        )
        for category in categories
    ]
