"""Contract imports: validate first, report every bad row, write all or nothing, no duplicates."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from hallbar.contracts.models import Contract
from hallbar.contracts.tests.factories import GOOD_ROW, contract_csv, good_rows
from hallbar.core.imports import create_job, run_import_job
from hallbar.core.models import ImportJob
from hallbar.organisations.models import Region
from hallbar.suppliers.models import MatchReview, Supplier, SupplierName

pytestmark = pytest.mark.django_db


def run(content: bytes, filename="contracts.csv", region="01", mode="all", dry_run=False):
    job = create_job(
        kind=ImportJob.Kind.CONTRACTS,
        uploaded=io.BytesIO(content),
        filename=filename,
        acting_user=None,
        region=Region.objects.get(county_code=region),
        mode=mode,
        dry_run=dry_run,
    )
    return run_import_job(job)


def test_good_file_creates_contracts_suppliers_and_joint_regions(library):
    job = run(contract_csv(good_rows(3)))
    assert job.status == "done", job.issues
    assert job.summary["created"] == 3
    contract = Contract.objects.get(reference="ST-2025-001")
    assert contract.lead_region.county_code == "01"
    assert sorted(r.county_code for r in contract.regions.all()) == ["01", "03"]
    assert contract.annual_value_sek == 1_250_000
    assert contract.clause.version == 2024 and contract.clause_level == "advanced"
    assert contract.production_countries == ["MY", "TH"]
    assert contract.cpv_id == "18424300"
    assert Supplier.objects.get().org_number == "5560360793"


def test_importing_the_same_file_twice_creates_no_duplicates(library):
    content = contract_csv(good_rows(5))
    run(content)
    second = run(content)
    assert second.summary == {
        **second.summary,
        "created": 0,
        "updated": 0,
        "unchanged": 5,
        "suppliers_created": 0,
    }
    assert Contract.objects.count() == 5
    assert Supplier.objects.count() == 1


def test_a_changed_row_updates_the_contract(library):
    run(contract_csv(good_rows(2)))
    job = run(contract_csv([{"reference": "ST-2025-001", "annual_value_sek": "99"}]))
    assert job.summary["updated"] == 1
    assert Contract.objects.get(reference="ST-2025-001").annual_value_sek == 99


def test_every_bad_row_is_reported_and_nothing_is_written(library):
    rows = [
        {"reference": "OK-1"},
        {"reference": "BAD-1", "annual_value_sek": "abc"},
        {"reference": "BAD-2", "supplier_org_number": "556036-0794"},
        {"reference": "BAD-3", "category": "office-supplies", "needs_assessment": ""},
        {"reference": "BAD-4", "start_date": "31/12/2025", "status": "signed"},
        {"reference": "BAD-5", "title": '=HYPERLINK("http://evil")'},
        {"reference": "OK-1"},
    ]
    job = run(contract_csv(rows))
    assert job.status == "rejected"
    assert Contract.objects.count() == 0 and Supplier.objects.count() == 0
    by_row = {(i["row"], i["column"]) for i in job.issues}
    assert (3, "annual_value_sek") in by_row
    assert (4, "supplier_org_number") in by_row
    assert (5, "needs_assessment") in by_row
    assert (6, "start_date") in by_row and (6, "status") in by_row
    assert (7, "title") in by_row
    assert (8, "reference") in by_row  # duplicate reference within the file
    assert job.valid_rows == 1


@pytest.mark.parametrize("value", ["12,345", "1.005"])
def test_an_annual_value_with_three_decimals_is_a_row_error_naming_it(library, value):
    with translation.override("en"):
        job = run(contract_csv([{"reference": "DEC-1", "annual_value_sek": value}]))
    assert job.status == "rejected"
    ((column, message),) = [(i["column"], i["message"]) for i in job.issues]
    assert column == "annual_value_sek" and value in message and "two decimals" in message
    assert not Contract.objects.exists()


def test_valid_only_mode_imports_the_good_rows(library):
    rows = [
        {"reference": "OK-1"},
        {"reference": "BAD-1", "annual_value_sek": "-5"},
        {"reference": "OK-2"},
    ]
    job = run(contract_csv(rows), mode="valid_only")
    assert job.status == "done"
    assert set(Contract.objects.values_list("reference", flat=True)) == {"OK-1", "OK-2"}
    assert job.error_count == 1


def test_dry_run_writes_nothing(library):
    job = run(contract_csv(good_rows(2)), dry_run=True)
    assert job.status == "done" and job.valid_rows == 2
    assert not Contract.objects.exists()


def test_missing_required_column_is_one_clear_error(library):
    columns = [c for c in GOOD_ROW if c != "annual_value_sek"]
    job = run(contract_csv(good_rows(2), columns=columns))
    assert job.status == "rejected"
    assert any(i["column"] == "annual_value_sek" for i in job.issues)


def test_semicolon_cp1252_file_from_swedish_excel(library):
    content = contract_csv([{"title": "Städtjänster Åre", "reference": "X1"}], delimiter=";")
    job = run(content.decode("utf-8").encode("cp1252"))
    assert job.status == "done", job.issues
    assert Contract.objects.get().title == "Städtjänster Åre"


@pytest.mark.parametrize(
    "content, filename",
    [
        (b"\x00\x01\x02garbage" * 10, "contracts.csv"),
        (b"PK\x03\x04broken zip", "contracts.xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "contracts.xlsx"),
        (b"", "contracts.csv"),
        (b"{not json", "contracts.json"),
    ],
)
def test_hostile_files_get_a_clear_error_and_write_nothing(library, content, filename):
    job = run(content, filename=filename)
    assert job.status == "rejected"
    assert job.issues and all(i["message"] for i in job.issues)
    assert not Contract.objects.exists()


def test_xlsx_import(library, tmp_path):
    from hallbar.contracts.imports import COLUMNS

    book = Workbook()
    sheet = book.active
    sheet.append(COLUMNS)
    sheet.append([{**GOOD_ROW, "annual_value_sek": 500000}[c] for c in COLUMNS])
    buffer = io.BytesIO()
    book.save(buffer)
    job = run(buffer.getvalue(), filename="avtal.xlsx")
    assert job.status == "done", job.issues
    assert Contract.objects.get().annual_value_sek == 500000


def test_same_supplier_spelled_differently_is_one_supplier(library):
    run(contract_csv([{"reference": "A1", "supplier_name": "Medisupply Sverige AB"}]))
    run(
        contract_csv(
            [
                {
                    "reference": "J1",
                    "supplier_name": "MEDISUPPLY SVERIGE AKTIEBOLAG",
                    "supplier_org_number": "",
                }
            ]
        ),
        region="23",
    )
    assert Supplier.objects.count() == 1
    assert SupplierName.objects.filter(
        region__county_code="23", name="MEDISUPPLY SVERIGE AKTIEBOLAG"
    ).exists()


def test_uncertain_match_goes_to_review(library):
    run(
        contract_csv(
            [
                {
                    "reference": "A1",
                    "supplier_name": "Nordic Medical Supply AB",
                    "supplier_org_number": "",
                }
            ]
        )
    )
    run(
        contract_csv(
            [
                {
                    "reference": "A2",
                    "supplier_name": "Nordic Medica Suppliers",
                    "supplier_org_number": "",
                }
            ]
        )
    )
    assert Supplier.objects.count() == 2
    assert MatchReview.objects.filter(status="open").count() == 1


def test_command_reports_errors_and_exits_nonzero(library, tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_bytes(contract_csv([{"annual_value_sek": "x"}]))
    with pytest.raises(CommandError):
        call_command("import_contracts", str(path), "--region", "01")
    out = capsys.readouterr().out
    assert "bad.csv, row 2, column annual_value_sek" in out
    assert not Contract.objects.exists()
    good = tmp_path / "good.csv"
    good.write_bytes(contract_csv(good_rows(2)))
    call_command("import_contracts", str(good), "--region", "01", "--dry-run")
    assert not Contract.objects.exists()
    call_command("import_contracts", str(good), "--region", "01")
    assert Contract.objects.count() == 2


def test_web_import_runs_the_job_and_shows_the_report(
    library, cast, client_for, tasks_immediate, django_capture_on_commit_callbacks
):
    client = client_for(cast.alice)
    upload = io.BytesIO(contract_csv([{"annual_value_sek": "x"}]))
    upload.name = "avtal.csv"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("contracts:contract-import"),
            {"file": upload, "region": Region.objects.get(county_code="01").pk},
        )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "annual_value_sek" in page
    assert not Contract.objects.exists()


def test_buyer_cannot_import_for_another_region(library, cast, client_for, tasks_immediate):
    client = client_for(cast.alice)
    upload = io.BytesIO(contract_csv(good_rows(1)))
    upload.name = "avtal.csv"
    response = client.post(
        reverse("contracts:contract-import"),
        {"file": upload, "region": Region.objects.get(county_code="23").pk},
    )
    assert response.status_code == 200  # the form refuses the region
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize("who", ["charlie", "auditor", "nobody"])
def test_outsiders_cannot_import(library, cast, client_for, who):
    assert (
        client_for(getattr(cast, who)).get(reverse("contracts:contract-import")).status_code == 404
    )


def test_import_report_is_private_to_its_author(library, cast, client_for, tasks_immediate):
    job = run(contract_csv([{"annual_value_sek": "x"}]))
    job.created_by = cast.alice
    job.save()
    url = reverse("core:import-job", args=[job.public_id])
    assert client_for(cast.alice).get(url).status_code == 200
    assert client_for(cast.bob).get(url).status_code == 404
    assert client_for(cast.secretariat).get(url).status_code == 200


def test_a_100_000_character_contract_title_is_a_row_error_and_nothing_is_written(library):
    with translation.override("en"):
        job = run(
            contract_csv(
                [
                    {"reference": "LONG-1", "title": "x" * 100_000},
                    {"reference": "LONG-2", "supplier_name": "L" * 301},
                    {"reference": "R" * 101},
                ]
            ),
        )
    assert job.status == "rejected"
    issues = {(i["row"], i["column"]): i["message"] for i in job.issues}
    assert "100000 characters" in issues[(2, "title")] and "300" in issues[(2, "title")]
    assert "301 characters" in issues[(3, "supplier_name")]
    assert (4, "reference") in issues
    assert not Contract.objects.exists() and not Supplier.objects.exists()


def test_an_ocds_file_of_millions_of_numbers_is_refused_and_writes_nothing(library):
    data = b'{"releases": [' + b",".join([b"1"] * 5_000_000) + b"]}"
    with translation.override("en"):
        job = run(data, filename="siffror.json")
    assert job.status == "rejected"
    assert "more than 20000 entries" in job.issues[0]["message"]
    assert not Contract.objects.exists() and not Supplier.objects.exists()
