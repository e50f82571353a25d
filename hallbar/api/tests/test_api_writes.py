"""The write API: contracts and suppliers through the imports' checks, spend, screenings.

Each write is allowed to exactly those who may do the same on the pages; wrong values are
answered with 422 and the field each is in; nothing is written unless every item is right.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hallbar.contracts.models import Contract
from hallbar.core.models import BackgroundJob, HistoryEntry, ImportJob
from hallbar.demo.testing import requirement_library
from hallbar.suppliers.models import Supplier

pytestmark = pytest.mark.django_db

CONTRACTS = reverse("api:upsert_contracts")
SUPPLIERS = reverse("api:upsert_suppliers")
SPEND = reverse("api:upload_spend")
SCREENINGS = reverse("api:start_screening")


@pytest.fixture
def library(reference_data):
    requirement_library()


def contract(**changes) -> dict:
    return {
        "reference": "ST-2025-001",
        "title": "Undersökningshandskar",
        "supplier_name": "Medisupply Sverige AB",
        "supplier_country": "SE",
        "supplier_org_number": "556036-0793",
        "category": "general-consumables",
        "annual_value_sek": "1250000.50",
        "start_date": "2025-01-01",
        "end_date": "2028-12-31",
        "status": "active",
        "buying_regions": ["03"],
        "cpv_code": "18424300-0",
        "clause_version": 2024,
        "clause_level": "advanced",
        "production_countries": ["MY", "TH"],
        **changes,
    }


def post(bearer, url, secret, body):
    return bearer("post", url, secret, data=body, content_type="application/json")


def test_contracts_are_created_then_updated_by_the_regions_reference(
    cast, library, token_for, bearer, client_for
):
    secret = token_for(cast.alice)  # a Stockholm buyer
    # When two contracts are sent for Stockholm
    body = {"region": "01", "contracts": [contract(), contract(reference="ST-2025-002")]}
    response = post(bearer, CONTRACTS, secret, body)
    # Then both are created, led by Stockholm, with the values sent
    assert response.status_code == 200, response.json()
    result = response.json()
    assert result["status"] == "done" and result["summary"]["created"] == 2
    first = Contract.objects.get(reference="ST-2025-001")
    assert first.lead_region.county_code == "01"
    assert str(first.annual_value_sek) == "1250000.50"
    assert sorted(r.county_code for r in first.regions.all()) == ["01", "03"]
    assert first.created_by == cast.alice
    # When the same reference comes again with another value, it is updated, not duplicated
    body = {"region": "01", "contracts": [contract(annual_value_sek=99)]}
    response = post(bearer, CONTRACTS, secret, body)
    assert response.json()["summary"] == {**response.json()["summary"], "created": 0, "updated": 1}
    assert Contract.objects.filter(reference="ST-2025-001").count() == 1
    first.refresh_from_db()
    assert first.annual_value_sek == 99
    # and its history names the person and the API import that changed it
    entry = HistoryEntry.objects.get(
        object_id=str(first.pk), action="updated", content_type__model="contract"
    )
    assert entry.actor == cast.alice
    job = ImportJob.objects.get(public_id=response.json()["job"])
    assert job.filename == "API" and job.created_by == cast.alice
    # and the import's page shows it like a file's import
    page = client_for(cast.alice).get(reverse("core:import-job", args=[job.public_id]))
    assert page.status_code == 200


def test_a_dry_run_checks_and_writes_nothing(cast, library, token_for, bearer):
    body = {"region": "01", "dry_run": True, "contracts": [contract()]}
    response = post(bearer, CONTRACTS, token_for(cast.alice), body)
    assert response.status_code == 200 and response.json()["dry_run"] is True
    assert not Contract.objects.exists()


def test_wrong_contracts_name_their_fields_and_nothing_is_written(cast, library, token_for, bearer):
    body = {
        "region": "01",
        "contracts": [
            contract(reference="OK-1"),
            contract(reference="BAD-1", category="no-such-category"),
            contract(reference="BAD-2", supplier_org_number="556036-0794", status="active"),
            contract(reference="OK-1"),
        ],
    }
    response = post(bearer, CONTRACTS, token_for(cast.alice), body)
    assert response.status_code == 422
    fields = [error["field"] for error in response.json()["detail"]]
    assert fields == [
        "contracts[1].category",
        "contracts[2].supplier_org_number",
        "contracts[3].reference",
    ]
    assert all(error["message"] for error in response.json()["detail"])
    assert not Contract.objects.exists()


def test_schema_errors_name_their_fields(cast, token_for, bearer):
    body = {"region": "01", "contracts": [contract(annual_value_sek=-5, status="signed")]}
    response = post(bearer, CONTRACTS, token_for(cast.alice), body)
    assert response.status_code == 422
    fields = {error["field"] for error in response.json()["detail"]}
    assert fields == {"contracts[0].annual_value_sek", "contracts[0].status"}


def test_a_region_cannot_write_another_regions_contracts(cast, library, token_for, bearer):
    # Bob buys for Jämtland (23); Stockholm (01) is not his
    response = post(
        bearer, CONTRACTS, token_for(cast.bob), {"region": "01", "contracts": [contract()]}
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["detail"]] == ["region"]
    assert not Contract.objects.exists()
    # The same call for his own region is written
    response = post(
        bearer, CONTRACTS, token_for(cast.bob), {"region": "23", "contracts": [contract()]}
    )
    assert response.status_code == 200
    assert Contract.objects.get().lead_region.county_code == "23"


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("secretariat", True),
        ("contact_jamtland", True),
        ("bob", True),
        ("alice", False),  # Stockholm's buyer
        ("steering", False),
        ("coordinator_a", False),
        ("auditor", False),
        ("charlie", False),
        ("nobody", False),
    ],
)
def test_who_may_upsert_jamtlands_contracts(who, allowed, cast, library, token_for, bearer):
    response = post(
        bearer,
        CONTRACTS,
        token_for(getattr(cast, who)),
        {"region": "23", "contracts": [contract()]},
    )
    # Stockholm's buyer may import contracts, but not Jämtland's: the region is refused
    refused = 422 if who == "alice" else 404
    assert response.status_code == (200 if allowed else refused)
    assert Contract.objects.exists() == allowed


def test_suppliers_are_registered_then_matched_by_identifier(cast, token_for, bearer):
    secret = token_for(cast.secretariat)
    item = {
        "name": "Medisupply Sverige AB",
        "country": "SE",
        "org_number": "556036-0793",
        "city": "Göteborg",
        "site": {"name": "Glove Factory", "country": "MY", "tier": 2},
    }
    response = post(bearer, SUPPLIERS, secret, {"suppliers": [item]})
    assert response.status_code == 200, response.json()
    assert response.json()["summary"]["suppliers_created"] == 1
    supplier = Supplier.objects.get()
    assert supplier.city == "Göteborg" and supplier.sites.get().tier == 2
    # The same identifier under another spelling of the name finds the same supplier
    again = {
        "name": "MEDISUPPLY SVERIGE",
        "country": "SE",
        "org_number": "5560360793",
        "city": "Borås",
    }
    response = post(bearer, SUPPLIERS, secret, {"suppliers": [again]})
    assert response.json()["summary"]["suppliers_created"] == 0
    assert Supplier.objects.count() == 1
    supplier.refresh_from_db()
    assert supplier.city == "Borås"


def test_wrong_suppliers_name_their_fields(cast, token_for, bearer):
    items = [
        {"name": "A AB", "country": "Atlantis"},
        {"name": "B AB", "country": "SE", "org_number": "556036-0794"},
        {"name": "C AB", "country": "SE", "site": {"name": "Plant", "country": "XX"}},
    ]
    response = post(bearer, SUPPLIERS, token_for(cast.secretariat), {"suppliers": items})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["detail"]] == [
        "suppliers[0].country",
        "suppliers[1].org_number",
        "suppliers[2].site.country",
    ]
    assert not Supplier.objects.exists()


def test_only_supplier_editors_may_upsert_suppliers(cast, token_for, bearer):
    body = {"suppliers": [{"name": "Acme AB", "country": "SE"}]}
    for who in ("auditor", "charlie", "steering", "nobody"):
        response = post(bearer, SUPPLIERS, token_for(getattr(cast, who)), body)
        assert response.status_code == 404, who
    assert not Supplier.objects.exists()
    assert post(bearer, SUPPLIERS, token_for(cast.bob), body).status_code == 200


def spend_file(lines: list[str]) -> SimpleUploadedFile:
    text = "invoice_date,supplier_name,category,amount_sek\n" + "\n".join(lines) + "\n"
    return SimpleUploadedFile("spend.csv", text.encode(), content_type="text/csv")


def test_a_spend_file_is_imported_in_a_job_for_the_stated_region_and_year(
    cast, token_for, bearer, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.DATA_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "uploads"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    secret = token_for(cast.alice)
    data = {
        "region": "01",
        "year": 2025,
        "file": spend_file(
            [
                "2025-03-01,Medisupply Sverige AB,general-consumables,1000",
                "2025-04-01,X,general-consumables,50",
            ]
        ),
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = bearer("post", SPEND, secret, data=data)
    assert response.status_code == 202, response.json()
    job = ImportJob.objects.get(public_id=response.json()["job"])
    assert job.region.county_code == "01" and job.options["year"] == 2025
    # The job ran (immediately here): the lines are stored; its state is readable through the API
    state = bearer("get", reverse("api:get_import", args=[job.public_id]), secret).json()
    assert state["status"] == "done" and state["summary"]["lines"] == 2


def test_spend_for_a_region_not_ones_own_or_a_line_of_another_year(
    cast, token_for, bearer, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    secret = token_for(cast.alice)
    data = {
        "region": "23",
        "year": 2025,
        "file": spend_file(["2025-03-01,X,general-consumables,1"]),
    }
    response = bearer("post", SPEND, secret, data=data)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["detail"]] == ["region"]
    data = {"region": "01", "year": 1, "file": spend_file(["2025-03-01,X,general-consumables,1"])}
    response = bearer("post", SPEND, secret, data=data)
    assert [e["field"] for e in response.json()["detail"]] == ["year"]
    assert not ImportJob.objects.exists()
    # Who may not upload spend at all gets 404
    for who in ("auditor", "charlie", "steering"):
        data["file"] = spend_file(["2025-03-01,X,general-consumables,1"])
        assert bearer("post", SPEND, token_for(getattr(cast, who)), data=data).status_code == 404


def test_only_the_secretariat_starts_a_screening_and_only_of_a_year_with_spend(
    cast, token_for, bearer, settings, tmp_path, monkeypatch
):
    settings.DATA_DIR = tmp_path
    for who in ("alice", "contact_jamtland", "auditor", "charlie"):
        response = post(bearer, SCREENINGS, token_for(getattr(cast, who)), {"year": 2025})
        assert response.status_code == 404, who
    secret = token_for(cast.secretariat)
    response = post(bearer, SCREENINGS, secret, {"year": 2025})
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "year"

    class Partition:
        year = 2025

    monkeypatch.setattr("hallbar.risk.api.stored_partitions", lambda: [Partition()])
    response = post(bearer, SCREENINGS, secret, {"year": 2025})
    assert response.status_code == 202
    job = BackgroundJob.objects.get(public_id=response.json()["job"])
    assert job.kind == "risk.screening" and job.params == {"year": 2025}
    assert job.created_by == cast.secretariat
    # A second call while it waits returns the same job
    assert post(bearer, SCREENINGS, secret, {"year": 2025}).json()["job"] == str(job.public_id)
    state = bearer("get", reverse("api:get_job", args=[job.public_id]), secret).json()
    assert state["status"] == "pending"


@pytest.mark.parametrize(
    "query",
    [
        "page=922337203685477581",
        "page=-1",
        "page=0",
        "page=abc",
        "page_size=922337203685477581",
        "page_size=0",
        "page=1.5",
    ],
)
@pytest.mark.parametrize(
    "name", ["api:list_contracts", "api:list_suppliers", "api:list_followups", "api:list_criteria"]
)
def test_odd_page_numbers_are_a_clean_422_on_every_paged_list(name, query, cast, client_for):
    response = client_for(cast.secretariat).get(f"{reverse(name)}?{query}")
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["field"] == query.split("=")[0]


def test_the_last_allowed_page_is_an_empty_page(cast, client_for):
    response = client_for(cast.secretariat).get(f"{reverse('api:list_contracts')}?page=1000000")
    assert response.status_code == 200 and response.json()["items"] == []


def test_unstorable_text_is_refused_with_its_field(cast, client_for, token_for, bearer):
    client = client_for(cast.secretariat)
    response = client.get(reverse("api:list_contracts") + "?q=a%00b")
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "q"
    body = {"suppliers": [{"name": "A\u0000B", "country": "SE"}]}
    response = post(bearer, SUPPLIERS, token_for(cast.secretariat), body)
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "suppliers[0].name"


def test_the_swagger_ui_is_served_from_local_files(client):
    page = client.get(reverse("api:openapi-view"))
    assert page.status_code == 200
    assert b"cdn." not in page.content and b"unpkg" not in page.content


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (
            b'--x\r\nContent-Disposition: form-data; name="region"\r\n\r\n01',
            "multipart/form-data; boundary=x",
        ),
        (b"garbage", "multipart/form-data"),
        (b"{not json", "application/json"),
    ],
)
def test_an_unreadable_body_is_a_4xx(body, content_type, cast, token_for, bearer):
    response = bearer("post", SPEND, token_for(cast.alice), data=body, content_type=content_type)
    assert 400 <= response.status_code < 500
    response = bearer(
        "post", CONTRACTS, token_for(cast.alice), data=body, content_type=content_type
    )
    assert 400 <= response.status_code < 500
