"""Approved demo risk analyses for the 16 prioritised categories.

Deterministic and idempotent: a category whose demo product already has an analysis is left
alone. The judgements below are illustrative (the secretariat's own are not public); the gloves
of general consumables use those of the worked example in docs/risk-method.md. Production
countries come from the category's active demo contracts when there are any (load the demo
contracts first), otherwise from the typical sourcing countries below, in equal shares.
"""

from django.db import transaction

from hallbar.categories.models import Category
from hallbar.categories.services import CATEGORY_CPV
from hallbar.risk.models import RiskAnalysis
from hallbar.risk.selectors import contract_countries
from hallbar.risk.services import (
    add_expert_adjustment,
    approve_analysis,
    create_analysis_draft,
    load_risk_reference,
)

DEMO_NOTE = "Demo: första godkända riskanalysen."


def _areas(hr, wr, env, be) -> dict[str, dict[str, int]]:
    """Return judgements from (inherent, scale, scope, irremediability) per area."""
    fields = ("inherent", "scale", "scope", "irremediability")
    return {
        area: dict(zip(fields, values, strict=True))
        for area, values in (("hr", hr), ("wr", wr), ("env", env), ("be", be))
    }


# slug: (product, judgements, explicit ILAB goods or None, fallback countries)
DEMO_ANALYSES = {
    "surgical-instruments": (
        "surgical instruments",
        _areas((3, 4, 3, 3), (5, 5, 4, 3), (3, 3, 3, 3), (3, 3, 2, 2)),
        None,
        ["PK", "DE", "MY"],
    ),
    "care-related-paper-and-plastic": (
        "paper and plastic products",
        _areas((2, 3, 2, 2), (3, 3, 3, 2), (4, 3, 4, 3), (2, 2, 2, 1)),
        None,
        ["CN", "SE", "FI", "MY"],
    ),
    "basic-medical-equipment": (
        "medical equipment",
        _areas((2, 3, 2, 2), (3, 4, 3, 3), (3, 3, 3, 2), (3, 3, 2, 2)),
        None,
        ["CN", "DE", "US", "TW"],
    ),
    "food-and-related-services": (
        "food",
        _areas((3, 4, 3, 3), (4, 4, 4, 3), (4, 4, 4, 3), (2, 2, 2, 2)),
        None,
        ["SE", "BR", "ES", "TH"],
    ),
    "cleaning-services": (
        "cleaning services",
        _areas((2, 3, 2, 2), (4, 4, 3, 2), (2, 2, 2, 2), (3, 3, 2, 2)),
        None,
        ["SE"],
    ),
    "nutrition": (
        "nutrition products",
        _areas((2, 3, 2, 2), (3, 3, 3, 2), (3, 3, 3, 3), (2, 2, 2, 1)),
        None,
        ["SE", "NL", "DE"],
    ),
    "it": (
        "computers",
        _areas((4, 4, 4, 4), (5, 5, 4, 4), (4, 4, 4, 4), (3, 3, 3, 2)),
        None,
        ["CN", "TW", "VN", "MY"],
    ),
    "medical-technology-imaging-and-function": (
        "imaging equipment",
        _areas((3, 3, 3, 3), (3, 4, 3, 3), (3, 3, 3, 3), (3, 3, 3, 2)),
        None,
        ["DE", "NL", "JP", "US"],
    ),
    "wound-care": (
        "wound dressings",
        _areas((2, 3, 3, 2), (4, 4, 4, 3), (3, 3, 3, 2), (2, 2, 2, 1)),
        ["Cotton"],
        ["CN", "IN", "SE"],
    ),
    "compression": (
        "compression stockings",
        _areas((2, 3, 2, 2), (4, 4, 3, 3), (3, 3, 3, 2), (2, 2, 2, 1)),
        ["Textiles", "Cotton"],
        ["CN", "DE", "IT"],
    ),
    "dental-care": (
        "dental products",
        _areas((2, 3, 2, 2), (3, 3, 3, 2), (3, 3, 3, 3), (2, 2, 2, 1)),
        None,
        ["CH", "DE", "CN"],
    ),
    "pharmaceuticals": (
        "active pharmaceutical ingredients",
        _areas((3, 4, 4, 3), (3, 4, 3, 3), (5, 5, 4, 4), (3, 4, 3, 2)),
        None,
        ["IN", "CN", "DE", "CH"],
    ),
    "general-consumables": (
        "examination gloves",
        _areas((3, 4, 3, 2), (4, 5, 4, 3), (3, 3, 3, 3), (2, 3, 2, 1)),
        None,
        ["MY", "TH", "CN", "VN"],
    ),
    "incontinence-and-stoma": (
        "incontinence products",
        _areas((2, 3, 2, 2), (3, 3, 3, 2), (4, 3, 3, 3), (2, 2, 2, 1)),
        None,
        ["SE", "CN", "DK"],
    ),
    "medical-technology": (
        "medical devices",
        _areas((3, 3, 3, 3), (3, 4, 3, 3), (3, 3, 3, 3), (3, 3, 3, 2)),
        None,
        ["CN", "DE", "US"],
    ),
    "laundry-and-textiles": (
        "textiles",
        _areas((4, 4, 4, 4), (5, 5, 5, 4), (4, 4, 4, 3), (3, 3, 2, 2)),
        None,
        ["CN", "IN", "PK", "BD", "TR"],
    ),
}
assert set(DEMO_ANALYSES) == set(CATEGORY_CPV)

# One illustrative expert adjustment, so that the demo shows how they read.
DEMO_ADJUSTMENTS = {
    "pharmaceuticals": (
        "env",
        "4.6",
        "Demo: utsläpp från tillverkning av aktiva substanser (t.ex. antibiotikarester i "
        "avloppsvatten) är väl dokumenterade i delar av leverantörskedjan; landindikatorerna "
        "fångar inte detta.",
    ),
}


@transaction.atomic
def load_demo_analyses() -> list[RiskAnalysis]:
    """Create and approve the demo analysis of every prioritised category; return them."""
    load_risk_reference()
    created = []
    categories = {c.slug: c for c in Category.objects.filter(slug__in=DEMO_ANALYSES)}
    for slug in sorted(categories):
        category = categories[slug]
        product, judgements, goods, fallback = DEMO_ANALYSES[slug]
        if RiskAnalysis.objects.filter(category=category, product=product).exists():
            continue
        from_contracts = contract_countries(category)
        countries = None
        if all(not row["country"] for row in from_contracts):
            countries = [(code, 1) for code in fallback]
        analysis = create_analysis_draft(
            category=category,
            product=product,
            judgements=judgements,
            countries=countries,
            ilab_goods=goods,
            acting_user=None,
        )
        if slug in DEMO_ADJUSTMENTS:
            area, likelihood, rationale = DEMO_ADJUSTMENTS[slug]
            add_expert_adjustment(
                analysis, area=area, likelihood=likelihood, rationale=rationale, acting_user=None
            )
        created.append(approve_analysis(analysis, note=DEMO_NOTE, acting_user=None))
    return created
