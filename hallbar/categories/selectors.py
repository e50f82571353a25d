"""Reads for categories and the CPV vocabulary."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from hallbar.categories.models import Category, CategoryPrioritisation, CpvCode


def prioritised_in(year: int) -> QuerySet[Category]:
    """Return the categories prioritised nationally in year."""
    return Category.objects.filter(
        Exists(
            CategoryPrioritisation.objects.filter(
                category=OuterRef("pk"), first_year__lte=year, last_year__gte=year
            )
        )
    )


def is_prioritised(category: Category, year: int) -> bool:
    return category.prioritisations.filter(first_year__lte=year, last_year__gte=year).exists()


def search_cpv(query: str, *, limit: int = 50) -> list[CpvCode]:
    """Return CPV codes whose code starts with, or whose Swedish or English label contains, query."""
    query = query.strip()
    if not query:
        return []
    digits = query.replace("-", "")
    if digits.isdigit():
        return list(CpvCode.objects.filter(code__startswith=digits[:8])[:limit])
    condition = Q()
    for word in query.split():
        condition &= Q(label_sv__icontains=word) | Q(label_en__icontains=word)
    return list(CpvCode.objects.filter(condition).order_by("level", "code")[:limit])
