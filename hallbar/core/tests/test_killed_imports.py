"""A worker killed (SIGKILL) in the middle of an import, for every kind of import.

The import runs in a real `db_worker` child process on the test database (faults.KilledWorker),
stops at a chosen row while it writes (or checks) and is killed there. Then: no row of the
import is in the database, the earlier spend partition is intact, the temporary folder the kill
left is removed by `manage.py cleanup`, and once the job has been silent for the stale timeout
its page says the worker stopped and offers to retry.
"""

import io
import os
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from hallbar.contracts.models import Contract
from hallbar.contracts.tests.factories import contract_csv, contract_ocds, good_rows
from hallbar.contracts.tests.test_import_faults import contracts_file, suppliers_file
from hallbar.core.imports import IMPORT_STOPPED, create_job, retry_import_job, run_import_job
from hallbar.core.models import HistoryEntry, ImportJob
from hallbar.core.tasks import run_import
from hallbar.core.tests.faults import KilledWorker
from hallbar.demo.requirements import load_requirement_library
from hallbar.organisations.models import Region
from hallbar.risk.screening import store
from hallbar.risk.spend import spend_root
from hallbar.risk.tests.test_spend_and_runs import GLOVES, import_spend, lines
from hallbar.suppliers.models import Supplier, UnmatchedSpend

pytestmark = pytest.mark.django_db(transaction=True)

STALE_MINUTES = 15
#: Each written row adds a history entry (a supplier, a contract): stop at the fourth.
WRITING = "hallbar.core.history:HistoryBatch.add"


@pytest.fixture(autouse=True)
def data_dirs(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    settings.MEDIA_ROOT = settings.DATA_DIR / "uploads"
    settings.HALLBAR_JOB_STALE_MINUTES = STALE_MINUTES
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.DATA_DIR.mkdir()


@pytest.fixture
def worker(tmp_path):
    started = []

    def make(stop_at: str, n: int, **options) -> KilledWorker:
        started.append(KilledWorker(tmp_path, stop_at, n, **options))
        return started[-1]

    yield make
    for child in started:  # a test that failed before its kill
        if child.process is not None and child.process.poll() is None:
            child.process.kill()
            child.process.wait()


def queue(kind: str, content: bytes, filename: str, user, **options) -> ImportJob:
    job = create_job(
        kind=kind,
        uploaded=io.BytesIO(content),
        filename=filename,
        acting_user=user,
        region=Region.objects.get(county_code="01"),
        **options,
    )
    run_import.enqueue(job.pk, "en")
    return job


def kill_at(worker, job: ImportJob, stop_at: str, n: int, **options) -> tuple[dict, ImportJob]:
    child = worker(stop_at, n, **options)
    child.start()
    reached = child.wait_until_stopped()
    child.kill()
    job.refresh_from_db()
    return reached, job


def recovered(client, job: ImportJob) -> None:
    """The job stays running until it has been silent for the stale timeout; then its page
    fails it, says the worker stopped, and offers to retry the stored file."""
    page = client.get(reverse("core:import-job", args=[job.public_id])).content.decode()
    job.refresh_from_db()
    assert job.is_running and "data-running" in page
    silent = timezone.now() - timedelta(minutes=STALE_MINUTES + 1)
    ImportJob.objects.filter(pk=job.pk).update(updated_at=silent)
    page = client.get(reverse("core:import-job", args=[job.public_id])).content.decode()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    with translation.override("sv"):  # in the language of the page that noticed it (alice's)
        assert job.issues[0]["message"] == translation.gettext(IMPORT_STOPPED) % {
            "minutes": STALE_MINUTES
        }
    assert 'data-testid="retry-import"' in page and "data-running" not in page


def no_temp_folders() -> bool:
    return not [p for p in spend_root().iterdir() if p.name.startswith(store.TEMP_PREFIX)]


CONTRACT_FILES = {
    "csv": lambda: contracts_file("csv"),
    "xlsx": lambda: contracts_file("xlsx"),
    "ocds": lambda: (contract_ocds(6), "avtal.json"),
}


@pytest.mark.parametrize("kind", ["csv", "xlsx", "ocds", "suppliers"])
def test_an_import_killed_while_writing_leaves_nothing_and_fails_after_the_timeout(
    cast, client_for, worker, kind
):
    load_requirement_library()
    history_before = HistoryEntry.objects.count()
    if kind == "suppliers":
        job = queue(ImportJob.Kind.SUPPLIERS, *suppliers_file(), cast.alice)
    else:
        job = queue(ImportJob.Kind.CONTRACTS, *CONTRACT_FILES[kind](), cast.alice)

    reached, job = kill_at(worker, job, WRITING, 4)

    written = reached["suppliers"] if kind == "suppliers" else reached["contracts"]
    assert written >= 1  # killed with rows written, not yet committed
    assert job.status == ImportJob.Status.IMPORTING
    assert not Contract.objects.exists() and not Supplier.objects.exists()
    assert HistoryEntry.objects.count() == history_before
    recovered(client_for(cast.alice), job)


def test_an_import_killed_while_checking_fails_after_the_timeout(cast, client_for, worker):
    load_requirement_library()
    job = queue(ImportJob.Kind.CONTRACTS, contract_csv(good_rows(6)), "avtal.csv", cast.alice)

    reached, job = kill_at(worker, job, "hallbar.contracts.imports:RowChecker.check", 4)

    assert reached["contracts"] == 0
    assert job.status == ImportJob.Status.VALIDATING and job.processed_rows == 0
    assert not Contract.objects.exists()
    recovered(client_for(cast.alice), job)


def spend_file(amount: int, name: str) -> bytes:
    """Six lines of suppliers the registry does not know (each is unmatched spend)."""
    return lines(
        [
            {
                **GLOVES,
                "supplier_org_number": "",
                "supplier_name": f"{name} {i}",
                "amount_sek": amount,
            }
            for i in range(6)
        ]
    )


def test_a_spend_import_killed_while_writing_its_partition_leaves_the_earlier_one(
    cast, client_for, worker
):
    assert import_spend(spend_file(100, "Tidigare")).status == ImportJob.Status.DONE
    partition = store.partition_path(spend_root(), "01", 2025)
    before = partition.read_bytes()
    unmatched = sorted(UnmatchedSpend.objects.values_list("name", "spend_sek"))
    job = queue(
        ImportJob.Kind.SPEND,
        spend_file(200, "Ny"),
        "fakturor.csv",
        cast.alice,
        options={"year": 2025},
    )

    # Row groups of two lines: stopped after the first two lines are in the temporary file.
    reached, job = kill_at(
        worker,
        job,
        "pyarrow.parquet:ParquetWriter.write_table",
        2,
        set_first="hallbar.risk.screening.store:ROW_GROUP_SIZE=2",
    )

    (temp,) = reached["spend_temp"]
    assert job.status == ImportJob.Status.IMPORTING
    assert partition.read_bytes() == before
    assert store.versions(spend_root(), "01", 2025)[0].absent  # nothing replaced
    assert sorted(UnmatchedSpend.objects.values_list("name", "spend_sek")) == unmatched
    recovered(client_for(cast.alice), job)

    left = spend_root() / temp
    assert left.is_dir()
    an_hour_ago = time.time() - 3601
    os.utime(left, (an_hour_ago, an_hour_ago))
    call_command("cleanup")
    assert no_temp_folders()
    assert partition.read_bytes() == before

    retry = retry_import_job(job, acting_user=cast.alice)  # what the retry button does
    assert run_import_job(retry).status == ImportJob.Status.DONE
    assert store.partition_totals(partition).amount_sek == 6 * 200
    assert {name for name, _ in UnmatchedSpend.objects.values_list("name", "spend_sek")} == {
        f"Ny {i}" for i in range(6)
    }
