"""A contract import a buyer finishes alone: headers in either language, a template with
instructions and drop-downs, every error of a row at once, a result in words with its links."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from hallbar.contracts.imports import COLUMNS, HEADERS
from hallbar.contracts.models import Contract
from hallbar.contracts.tests.factories import GOOD_ROW, contract_csv, good_rows
from hallbar.core.imports import create_job, run_import_job
from hallbar.core.models import ImportJob
from hallbar.organisations.models import Region

pytestmark = pytest.mark.django_db


def _run(content: bytes, *, user=None, filename="avtal.csv") -> ImportJob:
    job = create_job(
        kind=ImportJob.Kind.CONTRACTS,
        uploaded=io.BytesIO(content),
        filename=filename,
        acting_user=user,
        region=Region.objects.get(county_code="01"),
    )
    return run_import_job(job)


def _localised(rows: list[dict], language: str, delimiter: str = ";") -> bytes:
    index = 0 if language == "sv" else 1
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow([HEADERS[c][index] for c in COLUMNS])
    for row in rows:
        values = {**GOOD_ROW, **row}
        writer.writerow([values[c] for c in COLUMNS])
    return out.getvalue().encode("utf-8-sig")


@pytest.mark.parametrize("language", ["sv", "en"])
def test_headers_in_either_language_import(library, language):
    # Given a file whose headers are Swedish or English (whatever the reader's language)
    with translation.override("en" if language == "sv" else "sv"):
        job = _run(_localised(good_rows(2), language))
    # Then it imports like a file with the column codes.
    assert job.status == "done", job.issues
    assert job.summary["created"] == 2


def test_every_error_of_a_row_is_reported_and_named_as_the_file_names_the_column(library):
    # Given a Swedish-headed file whose second row has three errors
    content = _localised(
        [
            {"reference": "A-1"},
            {
                "reference": "A-2",
                "annual_value_sek": "tusen",
                "start_date": "2025-13-40",
                "clause_level": "guld",
            },
        ],
        "sv",
    )
    job = _run(content)
    # Then all three are listed for row 3, each under the column's header in the file.
    assert job.status == "rejected"
    columns = sorted(i["column"] for i in job.issues if i["row"] == 3)
    assert columns == ["Klausulnivå", "Startdatum", "Årligt värde (kr)"]


def test_contract_rules_are_checked_even_when_another_field_is_wrong(library):
    # Given a row with a bad value and a clause level without a clause version
    content = contract_csv(
        [
            {
                "reference": "R-1",
                "annual_value_sek": "abc",
                "clause_version": "",
                "needs_assessment": "",
            }
        ]
    )
    job = _run(content)
    # Then both the value and the rule are reported at once.
    assert [i["column"] for i in job.issues] == ["annual_value_sek", "clause_version"]


def test_a_missing_column_is_named_in_the_files_language(library):
    columns = [HEADERS[c][1] for c in COLUMNS if c != "start_date"]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    writer.writerow([GOOD_ROW[c] for c in COLUMNS if c != "start_date"])
    job = _run(out.getvalue().encode())
    assert job.status == "rejected"
    assert [i["column"] for i in job.issues] == ["Start date"]


@pytest.mark.parametrize(
    ("language", "reference", "status", "level"),
    [("sv", "Referens", "aktiv", "avancerad"), ("en", "Reference", "active", "advanced")],
)
def test_xlsx_template_has_headers_instructions_and_drop_downs(
    library, cast, client_for, language, reference, status, level
):
    client = client_for(cast.alice)
    with translation.override(language):
        response = client.get(
            reverse("contracts:contract-template", args=["xlsx"]), HTTP_ACCEPT_LANGUAGE=language
        )
    book = load_workbook(io.BytesIO(response.content))
    data, guide, lists = book.worksheets
    # The data sheet: headers in the user's language, frozen, filterable, one example row
    headers = [c.value for c in data[1]]
    assert headers[0] == reference
    assert data.freeze_panes == "A2"
    assert data.auto_filter.ref.startswith("A1:")
    row = dict(zip(headers, [c.value for c in data[2]], strict=True))
    assert status in row.values() and level in row.values()
    # The instructions sheet names every column, whether it is required, and allowed values
    text = "\n".join(
        " ".join(str(v) for v in r if v is not None) for r in guide.iter_rows(values_only=True)
    )
    for header in headers:
        assert header in text
    # Drop-downs for the coded columns read their values from the hidden lists sheet
    assert lists.sheet_state == "hidden"
    validated = {}
    for validation in data.data_validations.dataValidation:
        column = str(validation.sqref).split(":")[0].rstrip("0123456789")
        validated[headers[ord(column) - ord("A")]] = validation.formula1
    by_code = {c: HEADERS[c][0 if language == "sv" else 1] for c in COLUMNS}
    for code in ("category", "status", "clause_level", "clause_version", "supplier_country"):
        assert by_code[code] in validated, code
        assert lists.title in validated[by_code[code]]
    listed = {
        lists.cell(row=1, column=i).value: [
            c.value for c in lists.iter_cols(min_col=i, max_col=i, min_row=2).__next__() if c.value
        ]
        for i in range(1, lists.max_column + 1)
    }
    assert status in listed[by_code["status"]]
    assert row[by_code["category"]] in listed[by_code["category"]]
    # and the example row imports.
    job = _run(response.content, filename="mall.xlsx")
    assert job.status == "done", job.issues


def test_csv_template_in_swedish_uses_semicolons_and_swedish_headers(library, cast, client_for):
    client = client_for(cast.alice)
    with translation.override("sv"):
        response = client.get(reverse("contracts:contract-template", args=["csv"]))
    assert response.content.startswith(b"\xef\xbb\xbf")
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0].split(";")[:2] == ["Referens", "Avtalets namn"]


def test_result_says_what_happened_and_links_to_the_imported_contracts(library, cast, client_for):
    # Given Alice imports three contracts, then the same file with one changed
    _run(contract_csv(good_rows(3)), user=cast.alice)
    changed = good_rows(3)
    changed[0]["title"] = "Nytt namn"
    job = _run(contract_csv(changed + good_rows(4)[3:]), user=cast.alice)
    client = client_for(cast.alice)
    with translation.override("en"):
        page = client.get(
            reverse("core:import-job", args=[job.public_id]), HTTP_ACCEPT_LANGUAGE="en"
        )
    html = page.content.decode()
    # Then the result says in words what happened
    assert "1 contract created, 1 updated, 2 unchanged." in html
    # and links to the two contracts the import created or updated, and back to the form.
    link = f"{reverse('contracts:contract-list')}?import={job.public_id}"
    assert link in html
    assert reverse("contracts:contract-import") in html
    listed = client.get(link, HTTP_ACCEPT_LANGUAGE="en")
    references = {c.reference for c in listed.context["page"].object_list}
    assert references == {"ST-2025-001", "ST-2025-004"}
    assert job.filename in listed.content.decode()


def test_review_queue_link_only_for_those_who_may_open_it(library, cast, client_for):
    # Given an import that leaves a supplier to review
    job = _run(contract_csv(good_rows(1)), user=cast.alice)
    job.summary = {**job.summary, "suppliers_to_review": 2}
    job.save(update_fields=["summary"])
    queue = reverse("suppliers:review-queue")
    url = reverse("core:import-job", args=[job.public_id])
    # Then the buyer is told who handles it, and the secretariat gets the link.
    buyer_page = client_for(cast.alice).get(url).content.decode()
    assert queue not in buyer_page
    assert 'data-testid="import-result"' in buyer_page
    secretariat_page = client_for(cast.secretariat).get(url).content.decode()
    assert queue in secretariat_page


def test_another_users_import_filters_to_nothing(library, cast, client_for):
    job = _run(contract_csv(good_rows(2)), user=cast.alice)
    other = cast.bob  # a buyer of another region
    response = client_for(other).get(reverse("contracts:contract-list"), {"import": job.public_id})
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == []
    assert Contract.objects.count() == 2
    response = client_for(other).get(reverse("contracts:contract-list"), {"import": "nonsense"})
    assert list(response.context["page"].object_list) == []


def test_categories_page_shows_each_categorys_code(reference_data, cast, client_for):
    page = client_for(cast.alice).get(reverse("categories:category-list"))
    assert "<code>general-consumables</code>" in page.content.decode()
