"""The import templates' example rows import cleanly on the day they are downloaded."""

import io
from datetime import date

import pytest
from django.urls import reverse

from hallbar.contracts.models import Contract
from hallbar.core.clock import moved_clock
from hallbar.core.imports import create_job, run_import_job
from hallbar.core.models import ImportJob
from hallbar.demo.national import load_demo_prioritisations
from hallbar.organisations.models import Region
from hallbar.suppliers.models import ProductionSite, Supplier

pytestmark = pytest.mark.django_db

DAYS = [date(2026, 12, 4), date(2027, 1, 1), date(2029, 6, 30), date(2031, 3, 15)]


def _import(content: bytes, filename: str, kind: str, region: str | None = None) -> ImportJob:
    job = create_job(
        kind=kind,
        uploaded=io.BytesIO(content),
        filename=filename,
        acting_user=None,
        region=Region.objects.get(county_code=region) if region else None,
    )
    return run_import_job(job)


def _download_and_import_contract_template(login, file_format: str, day: date) -> Contract:
    with moved_clock(day):
        client = login()  # in the moved clock: a session from the real today may have expired
        response = client.get(reverse("contracts:contract-template", args=[file_format]))
        assert response.status_code == 200
        job = _import(response.content, f"avtal-mall.{file_format}", ImportJob.Kind.CONTRACTS, "01")
    assert job.status == "done", job.issues
    assert not job.issues
    assert job.summary["created"] == 1
    return Contract.objects.get()


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
@pytest.mark.parametrize("day", DAYS)
def test_the_contract_template_imports_cleanly_on_the_day_it_is_downloaded(
    library, cast, client_for, file_format, day
):
    # Given only the reference data (the real 2023–2025 prioritisation) and the clause library,
    # when a buyer downloads the template on day and imports it unchanged the same day
    contract = _download_and_import_contract_template(
        lambda: client_for(cast.alice), file_format, day
    )
    # then the example contract is this year's, active on the day, under the clause in force
    assert contract.reference == f"RS-{day.year}-0042"
    assert contract.start_date == date(day.year, 1, 1) <= day <= contract.end_date
    assert contract.status == "active"
    assert contract.clause.version == 2024 and contract.clause_level == "advanced"
    # and it carries a needs assessment because its category is not prioritised that year.
    assert contract.needs_assessment


@pytest.mark.parametrize("day", DAYS)
def test_the_contract_template_has_no_needs_assessment_in_a_prioritised_year(
    library, cast, client_for, day
):
    # Given the demo's prioritisation periods up to day
    load_demo_prioritisations(day)
    # when the template is downloaded and imported on day
    contract = _download_and_import_contract_template(lambda: client_for(cast.alice), "csv", day)
    # then the example's category is prioritised and no needs assessment is needed.
    assert contract.start_date.year == day.year
    assert contract.needs_assessment == ""


def test_the_contract_template_imports_without_a_clause_library(cast, client_for):
    contract = _download_and_import_contract_template(
        lambda: client_for(cast.alice), "csv", date(2026, 12, 4)
    )
    assert contract.clause is None and contract.clause_level == ""


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_supplier_template_imports_cleanly(cast, client_for, file_format):
    # The supplier template has no dates: the same row imports on any day.
    with moved_clock(date(2031, 3, 15)):
        response = client_for(cast.secretariat).get(
            reverse("suppliers:supplier-template", args=[file_format])
        )
        assert response.status_code == 200
        job = _import(
            response.content, f"leverantorer-mall.{file_format}", ImportJob.Kind.SUPPLIERS
        )
    assert job.status == "done", job.issues
    assert not job.issues
    supplier = Supplier.objects.get(name="Medisupply Sverige AB")
    assert ProductionSite.objects.filter(supplier=supplier, country="MY").exists()
