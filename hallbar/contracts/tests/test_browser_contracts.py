"""In a real browser: a buyer imports a bad contract file, then a good one; axe on every new page."""

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from hallbar.contracts.models import Contract
from hallbar.contracts.tests.factories import contract_csv, good_rows
from hallbar.core.tests.browser import axe_check, login
from hallbar.demo.national import load_fee_decisions
from hallbar.demo.testing import CAST_PASSWORD, make_cast, requirement_library
from hallbar.organisations.services import load_reference_data
from hallbar.suppliers.models import Supplier

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def world(transactional_db):
    load_reference_data()
    load_fee_decisions()
    requirement_library()
    return make_cast()


def _import(page, path, region_label="Region Stockholm"):
    page.goto("/contracts/import/")
    page.get_by_label("Fil", exact=True).set_input_files(str(path))
    page.get_by_label("Ledande region").select_option(label=region_label)
    page.get_by_role("button", name="Kontrollera och importera").click()


@override_settings(TASKS=IMMEDIATE)
def test_bad_file_is_reported_row_by_row_and_changes_nothing_then_good_file_imports(
    page, world, tmp_path
):
    bad = tmp_path / "avtal-med-fel.csv"
    bad.write_bytes(
        contract_csv(
            [
                {"reference": "B-1"},
                {"reference": "B-2", "annual_value_sek": "tusen"},
                {"reference": "B-3", "start_date": "2025-13-40"},
            ]
        )
    )
    good = tmp_path / "avtal.csv"
    good.write_bytes(contract_csv(good_rows(3)))
    login(page, "alice", CAST_PASSWORD)
    # When Alice imports a file with errors
    _import(page, bad)
    # Then she sees every bad row with file, row, column and reason, in Swedish
    assert page.get_by_test_id("job-status").inner_text() == "inte importerad: filen har fel"
    issues = page.get_by_test_id("issues")
    rows = issues.locator("tbody tr")
    assert rows.count() == 2
    assert rows.nth(0).inner_text().split("\t")[:3] == [
        "avtal-med-fel.csv",
        "3",
        "annual_value_sek",
    ]
    assert rows.nth(1).inner_text().split("\t")[:3] == ["avtal-med-fel.csv", "4", "start_date"]
    assert axe_check(page) == []
    # And nothing was written
    assert Contract.objects.count() == 0 and Supplier.objects.count() == 0
    # When she imports a good file, she finds the contracts in the list
    _import(page, good)
    assert page.get_by_test_id("job-status").inner_text() == "importerad"
    page.get_by_role("link", name="Gå till listan").click()
    table = page.get_by_test_id("contracts")
    for reference in ["ST-2025-001", "ST-2025-002", "ST-2025-003"]:
        expect(table.get_by_role("link", name=reference)).to_be_visible()
    assert Contract.objects.count() == 3


NEW_PAGES = [
    "/contracts/",
    "/contracts/new/",
    "/contracts/import/",
    "/contracts/harmonisation/",
    "/suppliers/",
    "/suppliers/new/",
    "/suppliers/import/",
    "/suppliers/reviews/",
    "/categories/",
]


@pytest.mark.presentation
@override_settings(TASKS=IMMEDIATE)
def test_axe_on_contract_supplier_and_category_pages(page, world, tmp_path):
    good = tmp_path / "avtal.csv"
    good.write_bytes(contract_csv(good_rows(2)))
    login(page, "karin", CAST_PASSWORD)
    _import(page, good)
    problems = []
    for path in NEW_PAGES:
        response = page.goto(path)
        assert response.status == 200, path
        problems += axe_check(page)
    contract = Contract.objects.first()
    for path in [
        f"/contracts/{contract.public_id}/",
        f"/contracts/{contract.public_id}/edit/",
        f"/contracts/{contract.public_id}/delete/",
        f"/suppliers/{contract.supplier.public_id}/",
        f"/suppliers/{contract.supplier.public_id}/edit/",
        f"/suppliers/{contract.supplier.public_id}/merge/",
        f"/suppliers/{contract.supplier.public_id}/sites/new/",
        f"/categories/{contract.category.public_id}/?cpv=handskar",
    ]:
        assert page.goto(path).status == 200, path
        problems += axe_check(page)
    assert problems == []
