"""Supplier imports write history: each created or changed supplier and created site, naming the
import; the supplier page shows it without naming confidential sub-suppliers."""

import io

import pytest
from django.urls import reverse

from hallbar.core.history import history_for
from hallbar.core.imports import create_job, run_import_job
from hallbar.core.models import HistoryEntry, ImportJob
from hallbar.suppliers.models import ProductionSite, Supplier
from hallbar.suppliers.tests.test_suppliers import supplier_csv

pytestmark = pytest.mark.django_db

MEDI = {"name": "Medisupply Sverige AB", "country": "SE", "org_number": "556036-0793"}
SHENZHEN = {"name": "Shenzhen Medical Co., Ltd", "country": "CN", "city": "Shenzhen"}
TIER_2 = {"site_name": "Klang Secret Gloves", "site_country": "MY", "site_tier": "2"}


def run(rows, *, user, filename="lev.csv"):
    job = create_job(
        kind=ImportJob.Kind.SUPPLIERS,
        uploaded=io.BytesIO(supplier_csv(rows)),
        filename=filename,
        acting_user=user,
    )
    job = run_import_job(job)
    assert job.status == "done", job.issues
    return job


def test_an_import_records_every_new_supplier_and_site_with_the_import(reference_data, cast):
    job = run([{**MEDI, "city": "Göteborg", **TIER_2}, SHENZHEN], user=cast.alice)
    named = {"job": job.pk, "file": "lev.csv"}
    medi = Supplier.objects.get(name=MEDI["name"])
    (entry,) = history_for(medi)
    assert entry.action == "imported" and entry.actor == cast.alice
    assert entry.changes == {
        "import": named,
        "sites_added": [{"name": "Klang Secret Gloves", "country": "MY", "tier": 2}],
    }
    (entry,) = history_for(Supplier.objects.get(name=SHENZHEN["name"]))
    assert entry.action == "imported" and entry.changes == {"import": named}
    (entry,) = history_for(ProductionSite.objects.get())
    assert entry.action == "imported" and entry.actor == cast.alice
    assert entry.changes == {"import": named}


def test_a_reimport_records_exactly_the_changed_field_of_the_changed_supplier(reference_data, cast):
    run([MEDI, SHENZHEN], user=cast.alice)
    count = HistoryEntry.objects.count()
    again = run([MEDI, SHENZHEN], user=cast.alice)
    assert HistoryEntry.objects.count() == count  # nothing changed, nothing recorded
    job = run([MEDI, {**SHENZHEN, "city": "Guangzhou"}], user=cast.bob, filename="lev-2.csv")
    assert again.summary["suppliers_updated"] == 0 and job.summary["suppliers_updated"] == 1
    (entry,) = HistoryEntry.objects.order_by("pk")[count:]
    assert entry.object_id == str(Supplier.objects.get(name=SHENZHEN["name"]).pk)
    assert entry.action == "updated" and entry.actor == cast.bob
    assert entry.changes == {
        "city": ["Shenzhen", "Guangzhou"],
        "import": {"job": job.pk, "file": "lev-2.csv"},
    }


def test_a_site_added_to_a_known_supplier_is_an_update_of_the_supplier(reference_data, cast):
    run([MEDI], user=cast.alice)
    job = run([{**MEDI, "site_name": "Borås plant", "site_country": "SE"}], user=cast.alice)
    medi = Supplier.objects.get()
    latest = history_for(medi).first()
    assert latest.action == "updated"
    assert latest.changes == {
        "sites_added": [{"name": "Borås plant", "country": "SE", "tier": 1}],
        "import": {"job": job.pk, "file": "lev.csv"},
    }


def test_the_supplier_page_names_the_import_and_hides_sub_supplier_names(
    reference_data, cast, client_for
):
    run([{**MEDI, **TIER_2}], user=cast.alice)
    job = run([{**MEDI, "city": "Borås"}], user=cast.alice, filename="lev-2.csv")
    url = reverse("suppliers:supplier-detail", args=[Supplier.objects.get().public_id])
    page = client_for(cast.bob).get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"in import no. {job.pk} of the file lev-2.csv" in page
    assert "City: – → Borås" in page
    assert "Production sites added: Sub-supplier (confidential) (Malaysia)" in page
    assert "Klang Secret Gloves" not in page
    page = client_for(cast.secretariat).get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Production sites added: Klang Secret Gloves (Malaysia)" in page


def test_importing_the_same_file_again_adds_no_name_rows(reference_data, cast):
    """Names recorded without a region are unique too (NULL regions escaped the constraint)."""
    from hallbar.suppliers.models import SupplierName

    rows = [MEDI, SHENZHEN, {**SHENZHEN, "site_name": "Fabrik 1", "site_country": "CN"}]
    run(rows, user=cast.secretariat)
    names = sorted(SupplierName.objects.values_list("supplier__name", "name", "region"))
    run(rows, user=cast.secretariat, filename="lev-igen.csv")
    run(rows, user=cast.secretariat, filename="lev-tredje.csv")
    assert sorted(SupplierName.objects.values_list("supplier__name", "name", "region")) == names
    assert len(names) == len(set(names))
