"""Who may call the API's write operations: the matrix of the cast, with tokens.

Every member of the cast calls every write operation with a read-write token of their own. Those
who may do the same on the pages get past the gate (the answer is the operation's own: written,
or its values checked); everyone else gets 404, or, for a region's contracts or spend, the
region refused as a field. A read token of anyone gets 403, no token 401; nothing is written
by a refused call.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hallbar.contracts.models import Contract
from hallbar.core.models import BackgroundJob, ImportJob
from hallbar.suppliers.models import Supplier

pytestmark = pytest.mark.django_db

EVERYONE = (
    "secretariat",
    "steering",
    "coordinator_a",
    "contact_jamtland",
    "alice",
    "bob",
    "auditor",
    "charlie",
    "dave",
    "nobody",
)
JAMTLAND_WRITERS = ("secretariat", "contact_jamtland", "bob")
SUPPLIER_EDITORS = ("secretariat", "coordinator_a", "contact_jamtland", "alice", "bob")
# Who refuses the region (a member who writes for another region) rather than the operation.
OTHER_REGION = ("alice",)


def _contracts(_):
    return {
        "data": {
            "region": "23",
            "dry_run": True,
            "contracts": [
                {
                    "reference": "R-1",
                    "title": "T",
                    "supplier_name": "S AB",
                    "supplier_country": "SE",
                    "category": "no-such-category",
                    "annual_value_sek": 1,
                    "start_date": "2025-01-01",
                    "status": "active",
                }
            ],
        },
        "content_type": "application/json",
    }


def _suppliers(_):
    return {
        "data": {"dry_run": True, "suppliers": [{"name": "Acme AB", "country": "SE"}]},
        "content_type": "application/json",
    }


def _spend(_):
    text = b"invoice_date,supplier_name,category,amount_sek\n2025-03-01,X,general-consumables,1\n"
    return {
        "data": {
            "region": "23",
            "year": 2025,
            "dry_run": "true",
            "file": SimpleUploadedFile("spend.csv", text, content_type="text/csv"),
        }
    }


def _screening(_):
    return {"data": {"year": 2025}, "content_type": "application/json"}


OPERATIONS = {
    # name: (request, who gets past the gate, who has the region refused, the answer past it)
    "api:upsert_contracts": (_contracts, JAMTLAND_WRITERS, OTHER_REGION, 422),
    "api:upsert_suppliers": (_suppliers, SUPPLIER_EDITORS, (), 200),
    "api:upload_spend": (_spend, JAMTLAND_WRITERS, OTHER_REGION, 202),
    "api:start_screening": (_screening, ("secretariat",), (), 422),
}


def _fields(response) -> list[str]:
    return [error["field"] for error in response.json()["detail"]]


def _written() -> tuple[int, ...]:
    return (
        Contract.objects.count(),
        Supplier.objects.count(),
        ImportJob.objects.count(),
        BackgroundJob.objects.count(),
    )


@pytest.mark.parametrize("name", OPERATIONS)
def test_write_operations_are_gated_as_the_pages(name, cast, token_for, bearer, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "uploads"
    request, writers, region_refused, passed = OPERATIONS[name]
    url = reverse(name)
    wrong = []
    for who in EVERYONE:
        user = getattr(cast, who)
        before = _written()
        # A read token is refused before anything else
        response = bearer("post", url, token_for(user, "read"), **request(cast))
        if response.status_code != 403:
            wrong.append(f"{who} read token: {response.status_code}")
        response = bearer("post", url, token_for(user), **request(cast))
        if who in writers:
            expected = passed
        elif who in region_refused:
            expected = 422
        else:
            expected = 404
        if response.status_code != expected:
            wrong.append(f"{who}: {response.status_code}, expected {expected}")
        elif who in region_refused and _fields(response) != ["region"]:
            wrong.append(f"{who}: {response.json()}")
        if who not in writers and _written() != before:
            wrong.append(f"{who}: wrote")
    assert wrong == []


@pytest.mark.parametrize("name", OPERATIONS)
def test_write_operations_without_a_login_are_401(name, cast, client):
    request, *_ = OPERATIONS[name]
    assert client.post(reverse(name), **request(cast)).status_code == 401
