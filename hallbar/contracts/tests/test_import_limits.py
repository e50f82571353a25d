"""Imports run within a memory and a time limit; one over a limit fails and says which."""

import io
import time

import pytest
from django.utils import translation

from hallbar.contracts.imports import ContractImporter
from hallbar.contracts.models import Contract
from hallbar.contracts.tests.factories import contract_csv, good_rows
from hallbar.core.imports import create_job, run_import_job
from hallbar.core.models import ImportJob
from hallbar.organisations.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def job(library, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path

    return create_job(
        kind=ImportJob.Kind.CONTRACTS,
        uploaded=io.BytesIO(contract_csv(good_rows(3))),
        filename="avtal.csv",
        acting_user=None,
        region=Region.objects.get(county_code="01"),
    )


def test_an_import_that_needs_too_much_memory_fails_and_says_so(job, settings, monkeypatch):
    settings.HALLBAR_IMPORT_MEMORY_MB = 200
    validate = ContractImporter.validate

    def greedy(self, job, progress):
        hoard = bytearray(1024 * 1024 * 1024)  # 1 GB: over the limit
        return hoard and validate(self, job, progress)

    monkeypatch.setattr(ContractImporter, "validate", greedy)
    with translation.override("en"):
        job = run_import_job(job)
    assert job.status == ImportJob.Status.FAILED
    assert "needed more than 200 MB of memory" in job.issues[0]["message"]
    assert not Contract.objects.exists()
    bytearray(512 * 1024 * 1024)  # the limit is lifted afterwards


def test_an_import_that_takes_too_long_fails_and_says_so(job, settings, monkeypatch):
    settings.HALLBAR_IMPORT_SECONDS = 1
    commit = ContractImporter.commit

    slept = []

    def slow(self, job, rows):
        written = commit(self, job, rows)  # rows are written, then rolled back
        time.sleep(3)
        slept.append(True)
        return written

    monkeypatch.setattr(ContractImporter, "commit", slow)
    with translation.override("en"):
        job = run_import_job(job)
    # The limit stopped the job in its sleep (not a wall-clock bound: a loaded machine took 4.5 s)
    assert slept == []
    assert job.status == ImportJob.Status.FAILED
    assert "took more than 1 seconds" in job.issues[0]["message"]
    assert not Contract.objects.exists()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED


def test_within_the_limits_the_import_runs(job, settings):
    settings.HALLBAR_IMPORT_MEMORY_MB = 300
    settings.HALLBAR_IMPORT_SECONDS = 30
    assert run_import_job(job).status == ImportJob.Status.DONE
    assert Contract.objects.count() == 3
