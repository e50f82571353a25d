"""Contract imports write history like every other change: who, which import, what changed."""

import io
import json
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hallbar.contracts.exports import ocds_package
from hallbar.contracts.models import Contract
from hallbar.contracts.tests.factories import contract_csv, good_rows
from hallbar.core.history import history_for
from hallbar.core.imports import create_job, run_import_job
from hallbar.core.models import HistoryEntry, ImportJob
from hallbar.organisations.models import Region
from hallbar.suppliers.models import Supplier

pytestmark = pytest.mark.django_db


def run(content: bytes, *, user=None, filename="avtal.csv"):
    job = create_job(
        kind=ImportJob.Kind.CONTRACTS,
        uploaded=io.BytesIO(content),
        filename=filename,
        acting_user=user,
        region=Region.objects.get(county_code="01"),
    )
    job = run_import_job(job)
    assert job.status == "done", job.issues
    return job


def contract_entries():
    return HistoryEntry.objects.filter(content_type=ContentType.objects.get_for_model(Contract))


def test_an_import_records_who_and_which_import_for_every_new_contract_and_supplier(library, cast):
    job = run(contract_csv(good_rows(3)), user=cast.alice)
    named = {"job": job.pk, "file": "avtal.csv"}
    for contract in Contract.objects.all():
        (entry,) = history_for(contract)
        assert entry.action == "imported" and entry.actor == cast.alice
        assert entry.changes == {"import": named}
    (entry,) = history_for(Supplier.objects.get())
    assert entry.action == "imported" and entry.actor == cast.alice
    assert entry.changes["import"] == named


def test_a_reimport_that_changes_one_field_records_exactly_that_change(library, cast):
    run(contract_csv(good_rows(3)), user=cast.alice)
    before = set(contract_entries().values_list("pk", flat=True))
    rows = good_rows(3)
    rows[1]["annual_value_sek"] = "99"
    job = run(contract_csv(rows), user=cast.alice, filename="avtal-v2.csv")
    assert job.summary["updated"] == 1 and job.summary["unchanged"] == 2
    (entry,) = contract_entries().exclude(pk__in=before)
    assert entry.object_id == str(Contract.objects.get(reference="ST-2025-002").pk)
    assert entry.action == "updated" and entry.actor == cast.alice
    assert set(entry.changes) == {"annual_value_sek", "import"}
    old, new = entry.changes["annual_value_sek"]
    assert Decimal(old) == 1_250_000 and Decimal(new) == 99
    assert entry.changes["import"] == {"job": job.pk, "file": "avtal-v2.csv"}


def test_an_unchanged_reimport_records_nothing(library, cast):
    content = contract_csv(good_rows(3))
    run(content, user=cast.alice)
    count = HistoryEntry.objects.count()
    job = run(content, user=cast.alice)
    assert job.summary["unchanged"] == 3
    assert HistoryEntry.objects.count() == count


def test_a_change_of_buying_regions_is_an_update_with_the_regions_before_and_after(library, cast):
    run(contract_csv(good_rows(2)), user=cast.alice)
    before = set(contract_entries().values_list("pk", flat=True))
    rows = good_rows(2)
    rows[0]["buying_regions"] = "01"
    job = run(contract_csv(rows), user=cast.alice)
    assert job.summary["updated"] == 1 and job.summary["unchanged"] == 1
    (entry,) = contract_entries().exclude(pk__in=before)
    regions = dict(Region.objects.values_list("county_code", "pk"))
    assert entry.changes["regions"] == [sorted([regions["01"], regions["03"]]), [regions["01"]]]
    assert set(entry.changes) == {"regions", "import"}


def test_the_history_of_an_import_is_written_with_one_insert(library, cast):
    count = HistoryEntry.objects.count()
    with CaptureQueriesContext(connection) as queries:
        run(contract_csv(good_rows(5)), user=cast.alice)
    inserts = [q for q in queries if q["sql"].startswith('INSERT INTO "core_historyentry"')]
    assert len(inserts) == 1
    assert HistoryEntry.objects.count() == count + 6  # five contracts and their supplier


def test_the_contract_page_names_the_import_and_shows_the_change_in_words(
    library, cast, client_for
):
    run(contract_csv(good_rows(1)), user=cast.alice)
    rows = good_rows(1, annual_value_sek="1 300 000", status="expired")
    job = run(contract_csv(rows), user=cast.alice, filename="avtal-v2.csv")
    contract = Contract.objects.get()
    page = (
        client_for(cast.bob)
        .get(
            reverse("contracts:contract-detail", args=[contract.public_id]),
            HTTP_ACCEPT_LANGUAGE="en",
        )
        .content.decode()
    )
    assert f"in import no. {job.pk} of the file avtal-v2.csv" in page
    assert "of the file avtal.csv" in page  # the first import, which created it
    assert "Annual value (SEK): 1,250,000.00 → 1,300,000.00" in page
    assert "Status: active → expired" in page
    assert str(cast.alice) in page
    assert "expired</li>" not in page.replace("Status: active → expired", "")  # no raw codes


def test_an_ocds_import_records_history_too(library, cast):
    run(contract_csv(good_rows(2)), user=cast.alice)
    package = ocds_package(Contract.objects.all())
    Contract.objects.filter(reference="ST-2025-001").update(annual_value_sek=5)
    before = set(contract_entries().values_list("pk", flat=True))
    job = run(json.dumps(package).encode(), user=cast.alice, filename="avtal.json")
    contract = Contract.objects.get(reference="ST-2025-001")
    (entry,) = contract_entries().filter(object_id=str(contract.pk)).exclude(pk__in=before)
    assert entry.action == "updated" and entry.actor == cast.alice
    old, new = entry.changes["annual_value_sek"]
    assert Decimal(old) == 5 and Decimal(new) == 1_250_000
    assert entry.changes["import"] == {"job": job.pk, "file": "avtal.json"}
