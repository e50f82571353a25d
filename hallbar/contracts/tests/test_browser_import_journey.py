"""In a real browser, in Swedish and English, at desktop and phone width: a buyer downloads the
template, imports a file with two errors in one row, sees both, fixes them, imports again and
finds the contracts through the result's link.

Set HALLBAR_SHOTS to a directory to keep screenshots of the pages.
"""

from pathlib import Path

import pytest
from django.test import override_settings
from openpyxl import load_workbook
from playwright.sync_api import expect

from hallbar.contracts.imports import HEADERS
from hallbar.contracts.models import Contract
from hallbar.core.tests.browser import VIEWS, check_page, login
from hallbar.demo.national import load_fee_decisions
from hallbar.demo.testing import CAST_PASSWORD, make_cast, requirement_library
from hallbar.organisations.services import load_reference_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def world(transactional_db):
    load_reference_data()
    load_fee_decisions()
    requirement_library()
    return make_cast()


def _upload(page, path: Path) -> None:
    form = page.locator("form[enctype='multipart/form-data']")
    form.locator("input[type=file]").set_input_files(str(path))
    form.locator("select[name=region]").select_option(label="Region Stockholm")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("[data-testid=job-status]")


@override_settings(TASKS=IMMEDIATE)
@pytest.mark.parametrize(("language", "width"), VIEWS)
def test_a_buyer_imports_fixes_two_errors_in_one_row_and_finds_the_contracts(
    page, world, live_server, tmp_path, language, width
):
    index = 0 if language == "sv" else 1
    header = {code: names[index] for code, names in HEADERS.items()}
    page.set_viewport_size({"width": width, "height": 900})
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    login(page, "alice", CAST_PASSWORD)
    # Given Alice on the import page
    page.goto("/contracts/import/")
    assert page.locator("html").get_attribute("lang") == language
    assert check_page(page, "import", f"import-form-{language}", widths=None) == []
    # When she downloads the Excel template
    with page.expect_download() as download:
        page.get_by_test_id("template-xlsx").click()
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)
    book = load_workbook(template)
    sheet = book.worksheets[0]
    headers = [c.value for c in sheet[1]]
    # then its headers are in her language and it explains itself
    assert headers[0] == header["reference"]
    assert len(book.worksheets) == 3 and sheet.data_validations.dataValidation
    # When she fills in two contracts, the second with two errors
    example = [c.value for c in sheet[2]]
    column = {name: i for i, name in enumerate(headers)}
    first = list(example)
    first[column[header["reference"]]] = "J-1"
    second = list(example)
    second[column[header["reference"]]] = "J-2"
    second[column[header["annual_value_sek"]]] = "tusen"
    second[column[header["start_date"]]] = "2025-13-40"
    sheet.delete_rows(2)
    sheet.append(first)
    sheet.append(second)
    bad = tmp_path / "avtal.xlsx"
    book.save(bad)
    _upload(page, bad)
    # Then she sees both errors of row 3, each under the column's name in her file
    issues = page.get_by_test_id("issues").locator("tbody tr")
    cells = [issues.nth(i).inner_text().split("\t") for i in range(issues.count())]
    assert sorted(c[2] for c in cells if c[1] == "3") == sorted(
        [header["annual_value_sek"], header["start_date"]]
    )
    assert Contract.objects.count() == 0
    assert check_page(page, "import", f"import-errors-{language}", widths=None) == []
    # When she fixes the row and imports the file again from the report's link back
    second[column[header["annual_value_sek"]]] = 250000
    second[column[header["start_date"]]] = first[column[header["start_date"]]]
    book = load_workbook(bad)
    sheet = book.worksheets[0]
    sheet.delete_rows(3)
    sheet.append(second)
    good = tmp_path / "avtal-rattat.xlsx"
    book.save(good)
    page.get_by_test_id("back-to-form").click()
    _upload(page, good)
    # Then the result says what happened and links to the contracts
    assert page.get_by_test_id("import-result").is_visible()
    assert "2" in page.get_by_test_id("result-sentence").inner_text()
    assert check_page(page, "import", f"import-result-{language}", widths=None) == []
    page.get_by_test_id("imported-contracts").click()
    expect(page.get_by_test_id("import-filter")).to_be_visible()
    table = page.get_by_test_id("contracts")
    for reference in ("J-1", "J-2"):
        assert table.get_by_role("link", name=reference).is_visible()
    assert Contract.objects.count() == 2
    assert check_page(page, "import", f"import-contracts-{language}", widths=None) == []
