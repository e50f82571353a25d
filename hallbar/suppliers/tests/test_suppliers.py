"""The supplier registry: imports, review queue, sites, access and the API."""

import csv
import io

import pytest
from django.urls import reverse

from hallbar.core.imports import create_job, run_import_job
from hallbar.core.models import ImportJob
from hallbar.suppliers.imports import COLUMNS
from hallbar.suppliers.models import MatchReview, ProductionSite, Supplier
from hallbar.suppliers.services import save_supplier

pytestmark = pytest.mark.django_db


def supplier_csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, restval="")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def run(content: bytes, mode="all"):
    job = create_job(
        kind=ImportJob.Kind.SUPPLIERS,
        uploaded=io.BytesIO(content),
        filename="lev.csv",
        acting_user=None,
        mode=mode,
    )
    return run_import_job(job)


def test_supplier_import_with_sites_is_idempotent(reference_data):
    rows = [
        {
            "name": "Medisupply Sverige AB",
            "country": "SE",
            "org_number": "556036-0793",
            "site_name": "Klang plant",
            "site_country": "MY",
            "site_tier": "2",
        },
        {
            "name": "Medisupply Sverige AB",
            "country": "SE",
            "org_number": "5560360793",
            "site_name": "Hat Yai plant",
            "site_country": "TH",
        },
        {"name": "Shenzhen Medical Co., Ltd", "country": "CN", "dd_contact_email": "dd@example.cn"},
    ]
    job = run(supplier_csv(rows))
    assert job.status == "done", job.issues
    assert Supplier.objects.count() == 2
    assert ProductionSite.objects.count() == 2
    again = run(supplier_csv(rows))
    assert again.summary["suppliers_created"] == 0 and again.summary["sites_created"] == 0
    assert Supplier.objects.count() == 2


def test_supplier_import_reports_bad_rows_and_writes_nothing(reference_data):
    rows = [
        {"name": "Good AB", "country": "SE", "org_number": "556036-0793"},
        {"name": "Bad AB", "country": "SE", "org_number": "123"},
        {"name": "@SUM(A1)", "country": "Narnia"},
        {
            "name": "Site AB",
            "country": "SE",
            "site_name": "X",
            "site_country": "SE",
            "site_tier": "0",
        },
    ]
    job = run(supplier_csv(rows))
    assert job.status == "rejected"
    columns = {(i["row"], i["column"]) for i in job.issues}
    assert {(3, "org_number"), (4, "name"), (4, "country"), (5, "site_tier")} <= columns
    assert not Supplier.objects.exists()


def test_review_queue_decisions(reference_data, cast, client_for):
    a = save_supplier(
        supplier=None, acting_user=None, name="Nordic Medical Supply AB", country="SE"
    )
    b = save_supplier(supplier=None, acting_user=None, name="Nordic Medica Suppliers", country="SE")
    review = MatchReview.objects.create(supplier=b, candidate=a, score=88, reason="similar name")
    client = client_for(cast.secretariat)
    assert (
        "Nordic Medica Suppliers" in client.get(reverse("suppliers:review-queue")).content.decode()
    )
    client.post(
        reverse("suppliers:review-decide", args=[review.public_id]), {"decision": "different"}
    )
    review.refresh_from_db()
    assert review.status == "distinct"
    assert Supplier.objects.current().count() == 2
    other = MatchReview.objects.create(supplier=a, candidate=b, score=88, reason="similar name")
    client.post(reverse("suppliers:review-decide", args=[other.public_id]), {"decision": "same"})
    a.refresh_from_db()
    assert a.merged_into == b


def test_sites_are_added_and_removed_with_confirmation(reference_data, cast, client_for):
    supplier = save_supplier(supplier=None, acting_user=None, name="Textil AB", country="SE")
    client = client_for(cast.alice)
    client.post(
        reverse("suppliers:site-create", args=[supplier.public_id]),
        {"name": "Tirupur mill", "country": "IN", "tier": 1},
    )
    # (a tier-2 site's removal page is for those who may read its name: test_supplier_access)
    site = ProductionSite.objects.get()
    assert site.country == "IN"
    url = reverse("suppliers:site-delete", args=[supplier.public_id, site.public_id])
    assert client.get(url).status_code == 200 and ProductionSite.objects.exists()
    client.post(url)
    assert not ProductionSite.objects.exists()
    response = client.post(
        reverse("suppliers:site-create", args=[supplier.public_id]),
        {"name": "X", "country": "XX", "tier": 1},
    )
    assert response.status_code == 200 and not ProductionSite.objects.exists()


def test_supplier_contact_sees_only_its_own_company(reference_data, cast, client_for):
    own = save_supplier(supplier=None, acting_user=None, name="Medisupply Sverige AB", country="SE")
    own.organisation = cast.charlie.active_memberships[0].organisation
    own.save()
    other = save_supplier(supplier=None, acting_user=None, name="Globex Textiles Ltd", country="GB")
    client = client_for(cast.charlie)
    listing = client.get(reverse("suppliers:supplier-list")).content.decode()
    assert "Medisupply" in listing and "Globex" not in listing
    assert (
        client.get(reverse("suppliers:supplier-detail", args=[other.public_id])).status_code == 404
    )
    assert client.get(reverse("suppliers:supplier-edit", args=[own.public_id])).status_code == 404
    api = client.get("/api/suppliers/").json()
    assert [s["name"] for s in api["items"]] == ["Medisupply Sverige AB"]
    assert client.get(f"/api/suppliers/{other.public_id}").status_code == 404
    assert client_for(cast.auditor).get(reverse("suppliers:supplier-list")).status_code == 404


def test_supplier_list_search_by_org_number_and_alias(reference_data, cast, client_for):
    save_supplier(
        supplier=None,
        acting_user=None,
        name="Medisupply Sverige AB",
        country="SE",
        org_number="556036-0793",
    )
    save_supplier(supplier=None, acting_user=None, name="Other AB", country="SE")
    page = (
        client_for(cast.bob)
        .get(reverse("suppliers:supplier-list"), {"q": "556036-0793"})
        .content.decode()
    )
    assert "Medisupply" in page and "Other AB" not in page


def test_cpv_picker_and_api(reference_data, cast, client_for):
    from hallbar.categories.models import Category

    category = Category.objects.get(slug="general-consumables")
    client = client_for(cast.secretariat)
    page = client.get(
        reverse("categories:category-detail", args=[category.public_id]), {"cpv": "engångshandskar"}
    ).content.decode()
    assert "18424300-0" in page
    client.post(
        reverse("categories:category-cpv-add", args=[category.public_id]), {"code": "33141420"}
    )
    assert category.cpv_codes.filter(code="33141420").exists()
    client.post(
        reverse("categories:category-cpv-remove", args=[category.public_id]), {"code": "33141420"}
    )
    assert not category.cpv_codes.filter(code="33141420").exists()
    data = client.get("/api/categories/cpv", {"q": "surgical gloves"}).json()
    assert any(row["code"] == "33141420" for row in data)
    buyer = client_for(cast.alice)
    assert (
        buyer.post(
            reverse("categories:category-cpv-add", args=[category.public_id]), {"code": "33141420"}
        ).status_code
        == 404
    )
    assert not category.cpv_codes.filter(code="33141420").exists()


def test_supplier_list_counts_contracts_per_page_not_over_all(reference_data, cast, client_for):
    """The contract counts come from a subquery per listed supplier: neither the page's query
    nor the paginator's count joins or groups the contracts (bench/load, scale 10)."""
    from datetime import date
    from decimal import Decimal

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from hallbar.categories.models import Category
    from hallbar.contracts.models import Contract
    from hallbar.organisations.models import Region

    region = Region.objects.get(county_code="01")
    category = Category.objects.order_by("pk").first()
    busy = save_supplier(supplier=None, acting_user=None, name="Aaa Busy AB", country="SE")
    save_supplier(supplier=None, acting_user=None, name="Bbb Idle AB", country="SE")
    for number in range(3):
        Contract.objects.create(
            reference=f"S-{number}",
            title="Handskar",
            lead_region=region,
            supplier=busy,
            category=category,
            annual_value_sek=Decimal("1000"),
            start_date=date(2024, 1, 1),
            status="active",
        )
    client = client_for(cast.secretariat)
    client.get(reverse("suppliers:supplier-list"))  # the session and caches settle
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("suppliers:supplier-list"))
    page = response.context["page"]
    assert {s.name: s.contract_count for s in page.object_list} == {
        "Aaa Busy AB": 3,
        "Bbb Idle AB": 0,
    }
    supplier_queries = [q["sql"] for q in queries if 'FROM "suppliers_supplier"' in q["sql"]]
    assert len(supplier_queries) == 2  # the paginator's count and the page
    count, listed = supplier_queries
    assert "COUNT(*)" in count and "contracts_contract" not in count
    assert "GROUP BY" not in listed.split('FROM "contracts_contract"')[0]
    assert 'LEFT OUTER JOIN "contracts_contract"' not in listed
    # Sorting by the count still works (the subquery is ordered on).
    by_count = client.get(reverse("suppliers:supplier-list"), {"sort": "-contracts"})
    assert [s.name for s in by_count.context["page"].object_list][0] == "Aaa Busy AB"
