"""Text longer than its column is refused before anything is written, on SQLite as on
PostgreSQL: by the imports, with the row and column named, and by every save of a model."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation

from hallbar.core.imports import create_job, run_import_job
from hallbar.core.limits import length_error
from hallbar.core.models import ImportJob
from hallbar.suppliers.models import ProductionSite, Supplier
from hallbar.suppliers.tests.test_suppliers import supplier_csv

pytestmark = pytest.mark.django_db

HUGE = "x" * 100_000


def _import(kind, content, **extra):
    job = create_job(
        kind=kind,
        uploaded=io.BytesIO(content),
        filename="fil.csv",
        acting_user=None,
        **extra,
    )
    return run_import_job(job)


def test_a_too_long_supplier_or_site_field_is_a_row_error(reference_data, cast):
    job = _import(
        ImportJob.Kind.SUPPLIERS,
        supplier_csv(
            [
                {"name": HUGE, "country": "SE"},
                {"name": "Kort AB", "country": "SE", "site_name": "S" * 301, "site_country": "SE"},
                {
                    "name": "Djup AB",
                    "country": "SE",
                    "site_name": "Fabrik",
                    "site_country": "CN",
                    "site_tier": "32768",
                },
            ]
        ),
    )
    assert job.status == "rejected"
    columns = {(i["row"], i["column"]) for i in job.issues}
    assert {(2, "name"), (3, "site_name"), (4, "site_tier")} <= columns
    assert not Supplier.objects.exists() and not ProductionSite.objects.exists()


def test_every_save_of_a_model_checks_its_lengths(reference_data):
    with pytest.raises(ValidationError) as caught, transaction.atomic():
        Supplier.objects.create(name=HUGE, country="SE")
    assert "name" in caught.value.message_dict
    assert not Supplier.objects.exists()
    supplier = Supplier.objects.create(name="Ryms AB", country="SE")
    supplier.city = "c" * 121
    with pytest.raises(ValidationError), transaction.atomic():
        supplier.save()
    supplier.refresh_from_db()
    assert supplier.city == ""


def test_length_error_names_the_length_and_the_limit():
    with translation.override("en"):
        assert length_error(Supplier, "name", "x" * 300) is None
        assert length_error(Supplier, "name", "x" * 301) == (
            "The value is 301 characters long; at most 300 are allowed."
        )
    assert length_error(Supplier, "no_such_field", HUGE) is None
