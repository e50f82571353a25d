"""An import's summary is shown in words, formatted for the language: never its keys."""

import pytest
from django.urls import reverse
from django.utils import translation

from hallbar.contracts.tests.conftest import library  # noqa: F401 - fixture
from hallbar.contracts.tests.factories import contract_csv, good_rows
from hallbar.contracts.tests.test_import import run as run_contracts
from hallbar.core.import_summary import SUMMARY_LABELS, format_value, unlabelled_keys
from hallbar.risk.tests.test_spend_and_runs import GLOVES, import_spend, lines
from hallbar.suppliers.tests.test_suppliers import run as run_suppliers
from hallbar.suppliers.tests.test_suppliers import supplier_csv

pytestmark = pytest.mark.django_db


def _jobs():
    contracts = run_contracts(contract_csv(good_rows(3)))
    suppliers = run_suppliers(
        supplier_csv(
            [{"name": "Textil AB", "country": "SE", "site_name": "Mill", "site_country": "IN"}]
        )
    )
    spend = import_spend(
        lines([GLOVES, {**GLOVES, "supplier_org_number": "", "supplier_name": "X AB"}])
    )
    return [contracts, suppliers, spend]


def test_every_summary_key_of_every_importer_has_a_label(
    library,  # noqa: F811
    cast,
    client_for,
    settings,
    tmp_path,
):
    settings.DATA_DIR = tmp_path
    jobs = _jobs()
    assert [job.status for job in jobs] == ["done"] * 3, [job.issues for job in jobs]
    for job in jobs:
        assert unlabelled_keys(job.summary) == set(), job.kind
        job.created_by = cast.secretariat
        job.save(update_fields=["created_by"])
        page = client_for(cast.secretariat).get(reverse("core:import-job", args=[job.public_id]))
        text = page.content.decode()
        for key in job.summary:
            assert f"{key}:" not in text and f">{key}<" not in text, key


def test_values_are_formatted_for_the_language():
    with translation.override("sv"):
        assert format_value("13450.00", "kronor") == "13\u202f450,00 kr"
        assert format_value("12.5", "percent") == "12,5 %"
        assert format_value(12345, "count") == "12\u202f345"
    with translation.override("en"):
        assert format_value("13450.00", "kronor") == "13,450.00 kr"
    assert format_value("2025,2026", "text") == "2025, 2026"
    assert all(str(label) for label, _kind in SUMMARY_LABELS.values())
