"""Who may change a supplier of the shared registry, and who reads its sub-suppliers' names:
the rules in suppliers/access.py, the same for pages and the API."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from hallbar.categories.models import Category
from hallbar.contracts.models import Contract
from hallbar.core.history import history_for
from hallbar.core.imports import create_job, run_import_job
from hallbar.core.models import ImportJob
from hallbar.organisations.models import Region
from hallbar.suppliers.access import can_edit_supplier, sees_sub_supplier_names
from hallbar.suppliers.models import ProductionSite, Supplier
from hallbar.suppliers.services import delete_site, save_site, save_supplier
from hallbar.suppliers.tests.test_suppliers import supplier_csv

pytestmark = pytest.mark.django_db

SUB_SUPPLIER = "SUBSUPPLIER-c41d Hat Yai Latex"


def _supplier_with_sites() -> Supplier:
    supplier = save_supplier(supplier=None, acting_user=None, name="Handske AB", country="SE")
    ProductionSite.objects.create(
        supplier=supplier, name="Klang Glove Factory", country="MY", tier=1, city="Klang"
    )
    ProductionSite.objects.create(
        supplier=supplier,
        name=SUB_SUPPLIER,
        country="TH",
        tier=2,
        city="CITY-9e2f",
        osh_id="OSH-77aa",
        products="latex",
    )
    return supplier


def _contract(supplier, region_code: str, status="active") -> Contract:
    region = Region.objects.get(county_code=region_code)
    category = Category.objects.first()
    assert category is not None
    contract = Contract.objects.create(
        reference=f"K-{region_code}-{status}",
        title="Handskar",
        lead_region=region,
        supplier=supplier,
        category=category,
        annual_value_sek=Decimal("100000"),
        start_date=date(2024, 1, 1),
        status=status,
    )
    contract.regions.set([region])
    return contract


def test_only_the_secretariat_and_buying_regions_change_a_supplier(cast, client_for):
    # Given a supplier with an active contract in Stockholm only (alice buys for Stockholm,
    # bob for Jämtland)
    supplier = _supplier_with_sites()
    _contract(supplier, "01")
    _contract(supplier, "23", status="expired")
    assert can_edit_supplier(cast.secretariat, supplier)
    assert can_edit_supplier(cast.alice, supplier)
    assert not can_edit_supplier(cast.bob, supplier)
    assert not can_edit_supplier(cast.contact_jamtland, supplier)
    assert not can_edit_supplier(cast.steering, supplier)
    assert not can_edit_supplier(cast.charlie, supplier)
    # When bob posts (even an empty form) to delete a site or edit the supplier
    site = supplier.sites.get(tier=1)
    client = client_for(cast.bob)
    delete = reverse("suppliers:site-delete", args=[supplier.public_id, site.public_id])
    assert client.post(delete).status_code == 404
    assert (
        client.post(reverse("suppliers:supplier-edit", args=[supplier.public_id])).status_code
        == 404
    )
    assert (
        client.post(
            reverse("suppliers:site-create", args=[supplier.public_id]),
            {"name": "X", "country": "IN", "tier": 1},
        ).status_code
        == 404
    )
    # Then nothing changed
    assert supplier.sites.count() == 2
    # and his supplier page offers no edit links
    page = client.get(reverse("suppliers:supplier-detail", args=[supplier.public_id])).content
    assert reverse("suppliers:supplier-edit", args=[supplier.public_id]).encode() not in page
    # alice may, and the change is in the supplier's history with who made it
    client = client_for(cast.alice)
    assert client.post(delete).status_code == 302
    assert supplier.sites.count() == 1
    entry = history_for(supplier).first()
    assert entry.actor == cast.alice


def test_the_services_hold_every_caller_to_the_suppliers_rule(cast):
    # Given a supplier with an active contract in Stockholm only
    supplier = _supplier_with_sites()
    _contract(supplier, "01")
    site = supplier.sites.get(tier=1)
    # When bob (Jämtland, who may register suppliers but not change this one) calls the services
    # directly, as a command, the API or a future page would
    with pytest.raises(PermissionError):
        save_supplier(supplier=supplier, acting_user=cast.bob, name="Renamed AB", country="SE")
    with pytest.raises(PermissionError):
        save_site(supplier=supplier, site=None, acting_user=cast.bob, name="X", country="IN")
    with pytest.raises(PermissionError):
        save_site(supplier=supplier, site=site, acting_user=cast.bob, name="Y", country="MY")
    with pytest.raises(PermissionError):
        delete_site(site=site, acting_user=cast.bob)
    # Then nothing changed
    supplier.refresh_from_db()
    assert supplier.name == "Handske AB" and supplier.sites.count() == 2
    # and a site is changed only through its own supplier
    other = save_supplier(supplier=None, acting_user=cast.bob, name="Annan AB", country="SE")
    with pytest.raises(PermissionError):
        save_site(supplier=other, site=site, acting_user=cast.bob, name="Z", country="MY")
    # alice (Stockholm) may
    save_site(supplier=supplier, site=site, acting_user=cast.alice, name="Klang 2", country="MY")
    delete_site(site=site, acting_user=cast.alice)
    assert supplier.sites.count() == 1
    assert (
        save_supplier(
            supplier=supplier, acting_user=cast.alice, name="Handske Nord AB", country="SE"
        ).name
        == "Handske Nord AB"
    )


def test_a_supplier_without_active_contracts_is_open_to_region_staff(cast):
    supplier = _supplier_with_sites()
    assert can_edit_supplier(cast.bob, supplier)  # being registered before its first contract
    _contract(supplier, "01")
    assert not can_edit_supplier(cast.bob, supplier)


def test_sub_supplier_names_reach_neither_pages_nor_the_api_of_other_readers(cast, client_for):
    supplier = _supplier_with_sites()
    _contract(supplier, "01")
    detail = reverse("suppliers:supplier-detail", args=[supplier.public_id])
    api = f"/api/suppliers/{supplier.public_id}"
    for user in (cast.alice, cast.bob, cast.steering, cast.contact_jamtland):
        assert not sees_sub_supplier_names(user, supplier)
        client = client_for(user)
        served = client.get(detail).content.decode() + client.get(api).content.decode()
        assert "SUBSUPPLIER-c41d" not in served
        assert "CITY-9e2f" not in served and "OSH-77aa" not in served
        assert "Klang Glove Factory" in served  # tier 1 is not confidential
        sites = client.get(api).json()["sites"]
        assert {s["tier"] for s in sites} == {1, 2}  # country and products stay visible
        assert [s["products"] for s in sites if s["tier"] == 2] == ["latex"]
        client.logout()
    client = client_for(cast.secretariat)
    assert SUB_SUPPLIER in client.get(api).content.decode()
    assert SUB_SUPPLIER in client.get(detail).content.decode()


def test_a_sub_supplier_cannot_be_opened_for_removal_by_who_may_not_read_its_name(cast, client_for):
    # Given a supplier without active contracts (open to every region's staff) with a tier-2 site
    supplier = _supplier_with_sites()
    sub = supplier.sites.get(tier=2)
    url = reverse("suppliers:site-delete", args=[supplier.public_id, sub.public_id])
    assert can_edit_supplier(cast.bob, supplier)
    assert not sees_sub_supplier_names(cast.bob, supplier)
    # When bob, who may change the supplier but not read the sub-supplier's name, opens its
    # removal page or posts to it
    client = client_for(cast.bob)
    page = client.get(url)
    # Then it is not found (the page would name it), and nothing is removed
    assert page.status_code == 404
    assert b"SUBSUPPLIER-c41d" not in page.content
    assert client.post(url).status_code == 404
    assert supplier.sites.count() == 2
    # the secretariat reads the name on the page and may remove the site
    client = client_for(cast.secretariat)
    assert SUB_SUPPLIER in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert supplier.sites.count() == 1


def _import(rows, user) -> ImportJob:
    job = create_job(
        kind=ImportJob.Kind.SUPPLIERS,
        uploaded=io.BytesIO(supplier_csv(rows)),
        filename="lev.csv",
        acting_user=user,
    )
    return run_import_job(job)


def test_an_import_changes_only_suppliers_the_importer_may_change(cast):
    # Given a supplier with an active contract in Stockholm only
    supplier = save_supplier(
        supplier=None,
        acting_user=cast.secretariat,
        name="Medisupply Sverige AB",
        country="SE",
        org_number="556036-0793",
    )
    _contract(supplier, "01")
    row = {"name": supplier.name, "country": "SE", "org_number": "556036-0793"}
    changed = {**row, "city": "Borås", "site_name": "Nordic Gloves", "site_country": "MY"}
    # When a Jämtland buyer imports a file that would change it, the row is refused, naming why
    job = _import([changed], cast.bob)
    assert job.status == "rejected"
    (issue,) = job.issues
    assert issue["row"] == 2 and issue["column"] == "name"
    assert "Medisupply Sverige AB" in issue["message"]
    supplier.refresh_from_db()
    assert supplier.city != "Borås" and not supplier.sites.exists()  # nothing written
    # A row that only names it, with nothing new, is fine
    assert _import([row], cast.bob).status == "done"
    # The buying region may change it
    assert _import([changed], cast.alice).status == "done"
    supplier.refresh_from_db()
    assert supplier.city == "Borås" and supplier.sites.count() == 1
