"""API: the CPV vocabulary search behind the category picker."""

from django.http import Http404
from ninja import Router, Schema

from hallbar.categories.access import can_view_categories
from hallbar.categories.selectors import search_cpv

router = Router(tags=["categories"])


class CpvOut(Schema):
    code: str
    full_code: str
    level: int
    label_sv: str
    label_en: str


@router.get("/cpv", response=list[CpvOut])
def cpv_search(request, q: str, limit: int = 20):
    """Return CPV 2008 codes whose code starts with q or whose label contains every word of q."""
    if not can_view_categories(request.user):
        raise Http404
    return [
        {
            "code": c.code,
            "full_code": c.full_code,
            "level": c.level,
            "label_sv": c.label_sv,
            "label_en": c.label_en,
        }
        for c in search_cpv(q, limit=min(max(limit, 1), 100))
    ]
