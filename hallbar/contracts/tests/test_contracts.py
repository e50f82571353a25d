"""Contract pages, rules, access, harmonisation and exports."""

import csv
import io
import json
import re
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from hallbar.categories.models import Category
from hallbar.contracts.exports import ocds_package
from hallbar.contracts.models import Contract
from hallbar.contracts.ocds import validate_release_package
from hallbar.contracts.selectors import bought_by
from hallbar.contracts.services import save_contract
from hallbar.organisations.models import Region, Role
from hallbar.requirements.selectors import current_clause
from hallbar.suppliers.models import Supplier
from hallbar.suppliers.services import save_supplier

pytestmark = pytest.mark.django_db


@pytest.fixture
def supplier(cast):
    return make_medisupply(cast)


def make_medisupply(cast):
    """Medisupply Sverige AB, with an organisation number, the company of the cast's charlie."""
    charlie_company = cast.charlie.active_memberships[0].organisation
    supplier = save_supplier(
        supplier=None,
        acting_user=None,
        name="Medisupply Sverige AB",
        country="SE",
        org_number="556036-0793",
    )
    supplier.organisation = charlie_company
    supplier.save()
    return supplier


def make_contract(
    user,
    supplier,
    *,
    reference="C-1",
    lead="01",
    regions=("01",),
    category="general-consumables",
    **extra,
):
    values = {
        "reference": reference,
        "title": "Handskar",
        "lead_region": Region.objects.get(county_code=lead),
        "supplier": supplier,
        "category": Category.objects.get(slug=category),
        "annual_value_sek": 1000,
        "start_date": date(2025, 1, 1),
        "end_date": None,
        "status": "active",
        "clause": current_clause(),
        "clause_level": "basic",
        "needs_assessment": "",
        **extra,
    }
    return save_contract(
        contract=None,
        regions=list(Region.objects.filter(county_code__in=regions)),
        acting_user=user,
        **values,
    )


def test_needs_assessment_is_required_outside_prioritised_categories(library, cast, supplier):
    with pytest.raises(ValidationError) as error:
        make_contract(cast.alice, supplier, category="office-supplies")
    assert "needs_assessment" in error.value.message_dict
    contract = make_contract(
        cast.alice,
        supplier,
        category="office-supplies",
        needs_assessment="Låg risk: svensk tillverkning.",
    )
    assert contract.pk


def test_clause_and_level_go_together(library, cast, supplier):
    with pytest.raises(ValidationError) as error:
        make_contract(cast.alice, supplier, clause_level="")
    assert "clause_level" in error.value.message_dict
    with pytest.raises(ValidationError):
        make_contract(cast.alice, supplier, clause=None, clause_level="basic")


def test_the_form_enforces_the_needs_assessment(library, cast, client_for, supplier):
    client = client_for(cast.alice)
    data = {
        "reference": "F-1",
        "title": "Pennor",
        "lead_region": Region.objects.get(county_code="01").pk,
        "regions": [Region.objects.get(county_code="01").pk],
        "supplier_ref": "556036-0793",
        "category": Category.objects.get(slug="office-supplies").pk,
        "annual_value_sek": "100",
        "start_date": "2025-02-01",
        "status": "active",
        "clause_level": "",
    }
    response = client.post(reverse("contracts:contract-create"), data)
    assert response.status_code == 200
    assert "behövlighetsbedömning" in response.content.decode()
    assert not Contract.objects.exists()
    response = client.post(
        reverse("contracts:contract-create"), {**data, "needs_assessment": "Ingen risk."}
    )
    assert response.status_code == 302
    assert Contract.objects.get().reference == "F-1"


def test_buyers_edit_only_their_own_regions_contracts(library, cast, client_for, supplier):
    contract = make_contract(cast.alice, supplier)
    edit = reverse("contracts:contract-edit", args=[contract.public_id])
    assert client_for(cast.alice).get(edit).status_code == 200
    assert client_for(cast.bob).get(edit).status_code == 404
    assert (
        client_for(cast.bob)
        .post(reverse("contracts:contract-delete", args=[contract.public_id]))
        .status_code
        == 404
    )
    with pytest.raises(PermissionError):
        make_contract(cast.bob, supplier, reference="C-2", lead="01")
    assert client_for(cast.secretariat).get(edit).status_code == 200


@pytest.mark.parametrize("who", ["alice", "bob", "steering", "coordinator_a", "secretariat"])
def test_every_member_reads_every_contract(library, cast, client_for, supplier, who):
    contract = make_contract(cast.alice, supplier)
    client = client_for(getattr(cast, who))
    assert (
        client.get(reverse("contracts:contract-detail", args=[contract.public_id])).status_code
        == 200
    )
    # every region's contracts: the list's own-region filter cleared
    listing = client.get(reverse("contracts:contract-list"), {"region": ""}).content.decode()
    assert "C-1" in listing


def test_supplier_contact_sees_only_its_own_company(library, cast, client_for, supplier):
    own = make_contract(cast.alice, supplier)
    other_supplier = save_supplier(
        supplier=None, acting_user=None, name="Globex Textiles Ltd", country="GB"
    )
    other = make_contract(cast.alice, other_supplier, reference="C-2")
    charlie = client_for(cast.charlie)
    assert (
        charlie.get(reverse("contracts:contract-detail", args=[own.public_id])).status_code == 200
    )
    assert (
        charlie.get(reverse("contracts:contract-detail", args=[other.public_id])).status_code == 404
    )
    listing = charlie.get(reverse("contracts:contract-list")).content.decode()
    assert "C-1" in listing and "C-2" not in listing
    assert (
        charlie.get(
            reverse("suppliers:supplier-detail", args=[other_supplier.public_id])
        ).status_code
        == 404
    )
    dave = client_for(cast.dave)
    assert dave.get(reverse("contracts:contract-detail", args=[own.public_id])).status_code == 404
    assert "C-1" not in dave.get(reverse("contracts:contract-list")).content.decode()


@pytest.mark.parametrize("who", ["auditor", "nobody"])
def test_auditors_and_strangers_see_no_contracts(library, cast, client_for, supplier, who):
    contract = make_contract(cast.alice, supplier)
    client = client_for(getattr(cast, who))
    assert client.get(reverse("contracts:contract-list")).status_code == 404
    assert (
        client.get(reverse("contracts:contract-detail", args=[contract.public_id])).status_code
        == 404
    )


def test_bought_by_keeps_each_contract_of_the_regions_once(library, cast, supplier):
    # Given a joint contract of Stockholm and Jämtland, one of each alone, and one of Skåne
    joint = make_contract(cast.alice, supplier, reference="J-2", regions=("01", "23"))
    stockholm = make_contract(cast.alice, supplier, reference="S-1")
    jamtland = make_contract(cast.bob, supplier, reference="J-3", lead="23", regions=("23",))
    make_contract(cast.secretariat, supplier, reference="M-1", lead="12", regions=("12",))
    ids = {code: Region.objects.get(county_code=code).pk for code in ("01", "23", "12", "25")}
    # When they are kept for Stockholm and Jämtland together, the joint contract comes once
    both = list(bought_by(Contract.objects.order_by("reference"), [ids["01"], ids["23"]]))
    assert both == [joint, jamtland, stockholm]
    # and for one region, that region's; for a region that buys nothing or none given, none
    assert set(bought_by(Contract.objects.all(), [ids["23"]])) == {joint, jamtland}
    assert not bought_by(Contract.objects.all(), [ids["25"]]).exists()
    assert not bought_by(Contract.objects.all(), []).exists()
    # and a count agrees with the rows, with no duplicate to remove
    assert bought_by(Contract.objects.all(), [ids["01"], ids["23"]]).count() == 3


def test_list_search_filter_sort_and_paging(library, cast, client_for, supplier):
    for i in range(60):
        make_contract(cast.alice, supplier, reference=f"R-{i:02d}", annual_value_sek=i)
    make_contract(cast.bob, supplier, reference="J-1", lead="23", regions=("23",))
    client = client_for(cast.steering)
    page = client.get(reverse("contracts:contract-list"), {"region": "23"}).content.decode()
    assert "J-1" in page and "R-00" not in page
    # a code no region has lists nothing, rather than every contract
    page = client.get(reverse("contracts:contract-list"), {"region": "99"})
    assert page.context["total"] == 0 and "J-1" not in page.content.decode()
    page = client.get(reverse("contracts:contract-list"), {"q": "R-59"}).content.decode()
    assert "R-59" in page and "R-58" not in page
    first = client.get(reverse("contracts:contract-list"), {"sort": "-value"}).content.decode()
    assert first.index("R-59") < first.index("R-58")
    second = client.get(
        reverse("contracts:contract-list"), {"sort": "-value", "page": 2}
    ).content.decode()
    assert "R-00" in second and "R-59" not in second


def test_harmonisation_counts_joint_contracts_for_every_region(library, cast, supplier, capsys):
    make_contract(
        cast.alice, supplier, reference="H-1", regions=("01", "03"), clause_level="advanced"
    )
    make_contract(cast.alice, supplier, reference="H-2", clause=None, clause_level="")
    make_contract(
        cast.alice, supplier, reference="H-3", category="office-supplies", needs_assessment="x"
    )
    call_command("harmonisation", "--format", "json", "--year", "2025")
    data = json.loads(capsys.readouterr().out)
    assert data["national"]["contracts_in_prioritised_categories"] == 2
    assert data["national"]["with_current_clause"] == 1
    assert data["national"]["avancerad"] == 1
    by_code = {r["region_code"]: r for r in data["regions"]}
    assert by_code["01"]["share"] == 0.5
    assert by_code["03"]["share"] == 1.0
    assert by_code["23"]["contracts_in_prioritised_categories"] == 0


def test_exports_escape_formulas_and_reimport(library, cast, client_for, supplier):
    make_contract(cast.alice, supplier, reference="E-1", title="=cmd|' /C calc'!A0")
    client = client_for(cast.alice)
    text = client.get(reverse("contracts:contract-list"), {"format": "csv"}).content.decode(
        "utf-8-sig"
    )
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))  # Swedish CSV, Swedish headers
    assert rows[0]["Avtalets namn"].startswith("'=")
    book = load_workbook(
        io.BytesIO(client.get(reverse("contracts:contract-list"), {"format": "xlsx"}).content)
    )
    cell = book.active["B2"]
    assert cell.data_type != "f" and str(cell.value).startswith("'=")


def test_ocds_export_validates_offline(library, cast, supplier):
    make_contract(cast.alice, supplier, reference="O-1", regions=("01", "03", "12"))
    make_contract(
        cast.alice, supplier, reference="O-2", status="expired", end_date=date(2025, 12, 31)
    )
    package = ocds_package(Contract.objects.all())
    assert len(package["releases"]) == 2
    assert validate_release_package(package) == []


def test_supplier_merge_and_undo(library, cast, client_for, supplier):
    duplicate = save_supplier(
        supplier=None, acting_user=None, name="Medisupply Sweden", country="SE"
    )
    contract = make_contract(cast.alice, duplicate, reference="M-1")
    client = client_for(cast.secretariat)
    url = reverse("suppliers:supplier-merge", args=[duplicate.public_id])
    client.post(url, {"into": "556036-0793"})  # asks for confirmation first
    assert Supplier.objects.get(pk=duplicate.pk).merged_into is None
    client.post(url, {"into": "556036-0793", "confirm": "yes"})
    contract.refresh_from_db()
    assert contract.supplier == supplier
    merge = supplier.merges_in.get()
    client.post(reverse("suppliers:merge-undo", args=[merge.public_id]))
    contract.refresh_from_db()
    assert contract.supplier == duplicate
    assert Supplier.objects.get(pk=duplicate.pk).merged_into is None


@pytest.mark.parametrize("who", ["alice", "steering", "charlie"])
def test_only_the_secretariat_merges(library, cast, client_for, supplier, who):
    duplicate = save_supplier(
        supplier=None, acting_user=None, name="Medisupply Sweden", country="SE"
    )
    client = client_for(getattr(cast, who))
    response = client.post(
        reverse("suppliers:supplier-merge", args=[duplicate.public_id]),
        {"into": "556036-0793", "confirm": "yes"},
    )
    assert response.status_code == 404
    assert client.get(reverse("suppliers:review-queue")).status_code == 404
    assert Supplier.objects.get(pk=duplicate.pk).merged_into is None


def test_supplier_form_validates_identifiers(library, cast, client_for):
    client = client_for(cast.alice)
    response = client.post(
        reverse("suppliers:supplier-create"),
        {"name": "X AB", "country": "SE", "org_number": "556036-0794"},
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    response = client.post(
        reverse("suppliers:supplier-create"),
        {"name": "X AB", "country": "SE", "org_number": "556036-0793"},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("suppliers:supplier-create"),
        {"name": "Y AB", "country": "SE", "org_number": "5560360793"},
    )
    assert response.status_code == 200  # duplicate org number
    assert Supplier.objects.count() == 1
    assert client_for(cast.charlie).get(reverse("suppliers:supplier-create")).status_code == 404


def test_role_helper_regions(cast):
    assert cast.alice.region_ids(Role.BUYER)


def test_the_demo_contracts_export_to_ocds_without_a_single_validation_error(library, cast):
    from hallbar.demo.contracts import CONTRACTS, load_demo_contracts

    created = load_demo_contracts()
    assert created["contracts"] == CONTRACTS
    assert Contract.regions.through.objects.values("contract").distinct().count() == CONTRACTS
    package = ocds_package(Contract.objects.all())
    assert len(package["releases"]) == CONTRACTS
    assert validate_release_package(package) == []
    assert load_demo_contracts() == {"suppliers": 0, "contracts": 0}  # idempotent


def test_list_opens_on_the_users_own_region_and_remembers_the_cleared_filter(
    library, cast, client_for, supplier
):
    # Given a contract in Stockholm and one in Jämtland
    make_contract(cast.alice, supplier, reference="S-1")
    make_contract(cast.bob, supplier, reference="J-1", lead="23", regions=("23",))
    alice = client_for(cast.alice)
    # When a Stockholm buyer opens the list, it is filtered to Stockholm, in the URL
    response = alice.get(reverse("contracts:contract-list"), {"q": "-1"})
    assert response.status_code == 302
    assert "region=01" in response.url and "q=-1" in response.url
    page = alice.get(response.url).content.decode()
    assert "S-1" in page and "J-1" not in page
    # When she chooses every region, the cleared filter stays cleared
    page = alice.get(reverse("contracts:contract-list"), {"region": ""}).content.decode()
    assert "S-1" in page and "J-1" in page
    # The secretariat, with no region of its own, opens on every region
    assert client_for(cast.secretariat).get(reverse("contracts:contract-list")).status_code == 200


def test_clearing_the_filters_of_an_empty_list_shows_every_region(
    library, cast, client_for, supplier
):
    # Given a contract in Jämtland only, and a Stockholm buyer whose search finds nothing
    make_contract(cast.bob, supplier, reference="J-1", lead="23", regions=("23",))
    alice = client_for(cast.alice)
    page = alice.get(reverse("contracts:contract-list"), {"region": "01", "q": "J-1"})
    html = page.content.decode()
    assert ">J-1<" not in html and 'data-testid="clear-filters"' in html
    # When she clears the filters, the link chooses every region, not her own again
    link = re.search(r'href="([^"]*)" data-testid="clear-filters"', html)
    assert link is not None
    response = alice.get(link.group(1).replace("&amp;", "&"))
    assert response.status_code == 200
    assert ">J-1<" in response.content.decode()


def test_the_page_jump_form_goes_to_the_page_and_keeps_the_filters(
    library, cast, client_for, supplier, monkeypatch
):
    from hallbar.contracts import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    # Given five Stockholm contracts matching a search and one that does not: three pages
    for number in range(1, 6):
        make_contract(cast.alice, supplier, reference=f"P-{number}")
    make_contract(cast.alice, supplier, reference="X-1")
    client = client_for(cast.alice)
    query = {"region": "01", "q": "P-", "sort": "reference"}
    html = client.get(reverse("contracts:contract-list"), query).content.decode()
    form = re.search(r'<form method="get" class="pagination__jump">(.*?)</form>', html, re.S)
    assert form is not None
    fields = re.findall(r'<input type="(hidden|number)" (?:id="page-jump" )?name="(\w+)"', form[1])
    # the form keeps every filter as a hidden field, and the page is its own field up to 3
    assert sorted(fields) == [
        ("hidden", "q"),
        ("hidden", "region"),
        ("hidden", "sort"),
        ("number", "page"),
    ]
    assert 'id="page-jump" name="page" min="1" max="3"' in form[1]
    hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', form[1]))
    assert hidden == query
    # When the buyer jumps to page 3, it shows the last matching contract, still filtered
    page = client.get(reverse("contracts:contract-list"), {**hidden, "page": "3"})
    text = page.content.decode()
    assert "P-5" in text and "P-1" not in text and "X-1" not in text
    assert '<span aria-current="page"><span class="visually-hidden">' in text


def test_sort_headers_reverse_and_mark_the_sorted_column(library, cast, client_for, supplier):
    make_contract(cast.alice, supplier)
    client = client_for(cast.secretariat)
    page = client.get(reverse("contracts:contract-list"), {"sort": "reference"}).content.decode()
    # the sorted column says so, and its link reverses the order
    assert 'aria-sort="ascending"' in page and "sort=-reference" in page
    assert page.count("aria-sort=") == 1
    page = client.get(reverse("contracts:contract-list"), {"sort": "-reference"}).content.decode()
    assert 'aria-sort="descending"' in page
    assert 'href="?sort=reference"' in page


def test_detail_page_links_back_to_the_list_with_its_filters(library, cast, client_for, supplier):
    contract = make_contract(cast.alice, supplier)
    client = client_for(cast.secretariat)
    client.get(reverse("contracts:contract-list"), {"region": "01", "sort": "title"})
    page = client.get(reverse("contracts:contract-detail", args=[contract.public_id]))
    assert "/contracts/?region=01&amp;sort=title" in page.content.decode()
    # a download is not remembered as the list the user was on
    client.get(reverse("contracts:contract-list"), {"format": "csv"})
    page = client.get(reverse("contracts:contract-detail", args=[contract.public_id]))
    assert "/contracts/?region=01&amp;sort=title" in page.content.decode()
