"""Query-count budgets on the list pages: the count must not grow with the number of rows.

Each test renders a page with a few rows, counts the queries, adds many more rows and renders it
again under ``django_assert_max_num_queries`` with the first count: an N+1 fails. The first count
is also held to a fixed budget, so that a page does not quietly grow a query per request.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hallbar.categories.models import Category, CategoryPrioritisation, CpvCode
from hallbar.contracts.models import Contract
from hallbar.organisations.models import AreaCategory, ProcurementArea, Region
from hallbar.requirements.models import (
    ContractClause,
    Criterion,
    CriterionLevel,
    CriterionType,
    Status,
    SustainabilityArea,
)
from hallbar.risk.models import RiskAnalysis, ScreeningRow, ScreeningRun
from hallbar.suppliers.models import ProductionSite, Supplier

pytestmark = pytest.mark.django_db

FEW = 5
MANY = 50
# The most queries each page may make (session, user and memberships included). Raise one only
# for a new feature of the page, never for a query per row.
BUDGETS = {
    "contracts": 7,
    "suppliers": 5,
    "regions": 11,
    "contributions": 9,  # +2: the regions' decided amounts and the invoiced choices
    "categories": 7,
    "criteria": 7,
    "risk": 7,
    "screening": 11,
}


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def assert_flat(client, url: str, budget: int, grow, django_assert_max_num_queries) -> None:
    """Render url, grow its rows, and render it again with no more queries than the first time."""
    client.get(url)  # the first request warms the session and the caches
    few = _count(client, url)
    assert few <= budget, f"{url} makes {few} queries, over its budget of {budget}"
    grow()
    with django_assert_max_num_queries(few):
        response = client.get(url)
    assert response.status_code == 200


# --- makers -----------------------------------------------------------------------------------


def _categories(count: int, start: int = 0) -> list[Category]:
    categories = Category.objects.bulk_create(
        Category(slug=f"budget-{i}", name_sv=f"Kategori {i}", name_en=f"Category {i}")
        for i in range(start, start + count)
    )
    return list(Category.objects.filter(slug__in=[c.slug for c in categories]).order_by("slug"))


def _suppliers(count: int, start: int = 0) -> list[Supplier]:
    suppliers = Supplier.objects.bulk_create(
        Supplier(name=f"Budget {i} AB", country="SE", other_id=f"B-{i}")
        for i in range(start, start + count)
    )
    made = list(Supplier.objects.filter(name__in=[s.name for s in suppliers]).order_by("name"))
    ProductionSite.objects.bulk_create(
        ProductionSite(supplier=s, name=f"Plant {s.pk}", country="MY") for s in made
    )
    return made


def _contracts(count: int, start: int = 0) -> None:
    """Create count contracts, each with its own supplier, and spread over regions and categories."""
    regions = list(Region.objects.order_by("county_code"))
    categories = list(Category.objects.order_by("slug")) or _categories(3)
    clause = ContractClause.objects.order_by("-version").first()
    suppliers = _suppliers(count, start)
    made = Contract.objects.bulk_create(
        Contract(
            reference=f"BUDGET-{i}",
            title=f"Avtal {i}",
            lead_region=regions[i % len(regions)],
            supplier=suppliers[i - start],
            category=categories[i % len(categories)],
            annual_value_sek=Decimal(1000 + i),
            start_date=date(2024, 1, 1) + timedelta(days=i),
            status=Contract.Status.ACTIVE,
            clause=clause,
            clause_level="basic" if clause else "",
            production_countries=["MY"],
        )
        for i in range(start, start + count)
    )
    saved = Contract.objects.filter(reference__in=[c.reference for c in made])
    links = Contract.regions.through
    links.objects.bulk_create(
        links(contract_id=contract.pk, region_id=region.pk)
        for contract in saved
        for region in regions[:2]
    )


# --- the pages --------------------------------------------------------------------------------


def test_contract_list(cast, client_for, django_assert_max_num_queries):
    # Given a few contracts, then a full page of them
    _contracts(FEW)
    assert_flat(
        client_for(cast.alice),
        reverse("contracts:contract-list") + "?region=",
        BUDGETS["contracts"],
        lambda: _contracts(MANY, start=FEW),
        django_assert_max_num_queries,
    )


def test_contract_list_of_a_supplier_contact(cast, client_for, django_assert_max_num_queries):
    # Given the supplier contact's company with a few contracts, then many
    mine = Supplier.objects.create(
        name="Medisupply Sverige AB",
        country="SE",
        other_id="M-1",
        organisation=cast.charlie.memberships.get().organisation,
    )

    def own(count, start):
        _contracts(count, start)
        Contract.objects.filter(reference__startswith="BUDGET-").update(supplier=mine)

    own(FEW, 0)
    assert_flat(
        client_for(cast.charlie),
        reverse("contracts:contract-list"),
        BUDGETS["contracts"],
        lambda: own(MANY, FEW),
        django_assert_max_num_queries,
    )


def test_supplier_list(cast, client_for, django_assert_max_num_queries):
    # Given a few suppliers with a contract each, then a full page of them
    _contracts(FEW)
    assert_flat(
        client_for(cast.alice),
        reverse("suppliers:supplier-list"),
        BUDGETS["suppliers"],
        lambda: _contracts(MANY, start=FEW),
        django_assert_max_num_queries,
    )


def _few_regions_then_all(client, url, budget, django_assert_max_num_queries) -> None:
    """The 21 regions are fixed: count with 5 of them (rolled back), then with all 21."""
    client.get(url)
    with transaction.atomic():
        keep = list(Region.objects.order_by("county_code").values_list("pk", flat=True)[:FEW])
        Region.objects.exclude(pk__in=keep).delete()
        few = _count(client, url)
        transaction.set_rollback(True)
    assert Region.objects.count() == 21
    assert few <= budget, f"{url} makes {few} queries, over its budget of {budget}"
    with django_assert_max_num_queries(few):
        client.get(url)


def test_region_list(cast, client_for, django_assert_max_num_queries):
    _few_regions_then_all(
        client_for(cast.steering),
        reverse("organisations:region-list"),
        BUDGETS["regions"],
        django_assert_max_num_queries,
    )


def test_contributions(fee_decisions, cast, client_for, django_assert_max_num_queries):
    _few_regions_then_all(
        client_for(cast.steering),
        reverse("funding:contribution-list") + "?year=2024",
        BUDGETS["contributions"],
        django_assert_max_num_queries,
    )


def _categories_with_details(count: int, start: int) -> None:
    categories = _categories(count, start)
    codes = list(CpvCode.objects.order_by("code")[:3])
    area = ProcurementArea.objects.order_by("code").first()
    for category in categories:
        category.cpv_codes.add(*codes)
    CategoryPrioritisation.objects.bulk_create(
        CategoryPrioritisation(category=c, first_year=2024, last_year=2026) for c in categories
    )
    AreaCategory.objects.bulk_create(
        AreaCategory(area=area, category=c, valid_from=date(2020, 1, 1)) for c in categories
    )


def test_category_list(cast, client_for, django_assert_max_num_queries):
    # Given the reference categories and a few more with CPV codes, owners and periods; then many
    _categories_with_details(FEW, 0)
    _contracts(FEW)
    assert_flat(
        client_for(cast.alice),
        reverse("categories:category-list"),
        BUDGETS["categories"],
        lambda: _categories_with_details(MANY, FEW),
        django_assert_max_num_queries,
    )


def _criteria(count: int, start: int) -> None:
    categories = list(Category.objects.order_by("slug")[:3])
    levels, types, areas = CriterionLevel.values, CriterionType.values, SustainabilityArea.values
    now = timezone.now()
    made = Criterion.objects.bulk_create(
        Criterion(
            identifier=f"BU-{i:03d}",
            version=1,
            status=Status.PUBLISHED,
            published_at=now,
            change_note="Budget.",
            level=levels[i % len(levels)],
            criterion_type=types[i % len(types)],
            area=areas[i % len(areas)],
            title=f"Kriterium {i}",
            requirement_text="Leverantören ska …",
        )
        for i in range(start, start + count)
    )
    links = Criterion.categories.through
    links.objects.bulk_create(
        links(criterion_id=criterion.pk, category_id=category.pk)
        for criterion in Criterion.objects.filter(identifier__in=[c.identifier for c in made])
        for category in categories
    )


def test_criterion_list(cast, client_for, django_assert_max_num_queries):
    # Given a few criteria linked to categories; then more than a page of them
    _criteria(FEW, 0)
    assert_flat(
        client_for(cast.alice),
        reverse("requirements:criterion-list"),
        BUDGETS["criteria"],
        lambda: _criteria(MANY, FEW),
        django_assert_max_num_queries,
    )


def _analyses(count: int, start: int) -> None:
    """Give count new categories an approved analysis and a draft of its next version."""
    categories = _categories(count, start=1000 + start)
    results = {
        "areas": {
            area: {"risk": 12.0, "class": "medium", "likelihood": 3, "severity": 4}
            for area in ("hr", "wr", "env", "be")
        }
    }
    common = {
        "judgements": {},
        "countries": [{"country": "MY", "weight": 1}],
        "results": results,
    }
    RiskAnalysis.objects.bulk_create(
        [
            RiskAnalysis(
                category=c,
                version=1,
                status=RiskAnalysis.Status.APPROVED,
                approved_at=timezone.now(),
                change_note="Budget.",
                **common,
            )
            for c in categories
        ]
        + [
            RiskAnalysis(category=c, version=2, status=RiskAnalysis.Status.DRAFT, **common)
            for c in categories
        ]
    )


def test_risk_index(cast, client_for, django_assert_max_num_queries):
    # Given a few categories with analyses (approved, and a draft of the next version); then many
    _analyses(FEW, 0)
    assert_flat(
        client_for(cast.steering),
        reverse("risk:index"),
        BUDGETS["risk"],
        lambda: _analyses(MANY, FEW),
        django_assert_max_num_queries,
    )


def _screening_rows(run: ScreeningRun, count: int, start: int) -> None:
    categories = list(Category.objects.order_by("slug").values_list("slug", flat=True))
    ScreeningRow.objects.bulk_create(
        ScreeningRow(
            run=run,
            region_code="SE",
            category_key=categories[i % len(categories)],
            supplier_key=str(i),
            supplier_label=f"Leverantör {i}",
            country="MY",
            spend_sek=Decimal(10_000 + i),
            hr=10.0,
            wr=12.0,
            env=5.0,
            be=3.0,
            exposure=float(100_000 + i),
            priority="medium",
        )
        for i in range(start, start + count)
    )


def test_screening_detail(cast, client_for, django_assert_max_num_queries):
    # Given a screening run with a few rows; then a full page over many categories
    run = ScreeningRun.objects.create(
        year=2024,
        status="done",
        started_by=cast.secretariat,
        totals={"lines": 10, "spend_sek": 1000, "suppliers": []},
    )
    _screening_rows(run, FEW, 0)
    assert_flat(
        client_for(cast.steering),
        reverse("risk:screening-detail", args=[run.public_id]),
        BUDGETS["screening"],
        lambda: _screening_rows(run, MANY, FEW),
        django_assert_max_num_queries,
    )
