"""Recovery after crashes: dead imports are marked failed and can be retried; old files go."""

import io
import os
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from hallbar.core.imports import create_job, upload_dir
from hallbar.core.models import ImportJob
from hallbar.organisations.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def data_dirs(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DATA_DIR = tmp_path / "data"
    return tmp_path


def job_for(user, *, status=ImportJob.Status.VALIDATING, minutes_ago=0, kind="contracts"):
    job = create_job(
        kind=kind,
        uploaded=io.BytesIO(b"reference\nA\n"),
        filename="avtal.csv",
        acting_user=user,
        region=Region.objects.get(county_code="01"),
    )
    at = timezone.now() - timedelta(minutes=minutes_ago)
    ImportJob.objects.filter(pk=job.pk).update(status=status, updated_at=at, created_at=at)
    job.refresh_from_db()
    return job


def test_an_import_whose_worker_died_fails_on_its_page_and_offers_to_retry(
    cast, client_for, settings, django_capture_on_commit_callbacks
):
    settings.HALLBAR_JOB_STALE_MINUTES = 15
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    client = client_for(cast.alice)
    fresh = job_for(cast.alice, minutes_ago=14)
    page = client.get(reverse("core:import-job", args=[fresh.public_id])).content.decode()
    assert "data-running" in page  # still polling: 14 minutes is not yet dead

    dead = job_for(cast.alice, minutes_ago=16)
    page = client.get(reverse("core:import-job", args=[dead.public_id])).content.decode()
    dead.refresh_from_db()
    assert dead.status == ImportJob.Status.FAILED
    # in the language of the page that noticed it (Swedish, alice's)
    assert "ingenting hördes från den på 15 minuter" in dead.issues[0]["message"]
    assert "data-running" not in page  # job.js stops polling
    assert 'data-testid="retry-import"' in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("core:import-job-retry", args=[dead.public_id]))
    retry = ImportJob.objects.exclude(pk__in=[fresh.pk, dead.pk]).get()
    assert response["Location"] == reverse("core:import-job", args=[retry.public_id])
    assert retry.stored_path == dead.stored_path and retry.status == ImportJob.Status.PENDING

    # Once the file is gone (retention), the page no longer offers to retry.
    os.unlink(dead.stored_path)
    page = client.get(reverse("core:import-job", args=[dead.public_id])).content.decode()
    assert 'data-testid="retry-import"' not in page
    response = client.post(reverse("core:import-job-retry", args=[dead.public_id]))
    assert ImportJob.objects.count() == 3


def test_cleanup_marks_dead_jobs_removes_expired_uploads_and_spend_temp_folders(
    cast, settings, capsys
):
    settings.HALLBAR_UPLOAD_RETENTION_DAYS = 90
    dead = job_for(cast.alice, minutes_ago=60)
    old = job_for(cast.alice, status=ImportJob.Status.REJECTED, minutes_ago=91 * 24 * 60)
    ImportJob.objects.filter(pk=old.pk).update(issues=[{"row": 2, "column": "x", "message": "m"}])
    recent = job_for(cast.alice, status=ImportJob.Status.DONE, minutes_ago=60)
    orphan = upload_dir() / "orphan.csv"
    orphan.write_text("x")
    long_ago = time.time() - 91 * 24 * 3600
    os.utime(orphan, (long_ago, long_ago))

    from hallbar.risk.spend import spend_root

    killed = spend_root() / ".tmp-killed"
    killed.mkdir()
    (killed / "part.parquet").write_bytes(b"half")
    os.utime(killed, (time.time() - 7200, time.time() - 7200))
    writing = spend_root() / ".tmp-writing"  # a write in progress is left alone
    writing.mkdir()

    call_command("cleanup")
    out = capsys.readouterr().out
    dead.refresh_from_db()
    old.refresh_from_db()
    assert dead.status == ImportJob.Status.FAILED and "import" in out
    assert not os.path.exists(old.stored_path) and not orphan.exists()
    assert old.issues == [{"row": 2, "column": "x", "message": "m"}]  # the report is kept
    assert os.path.exists(recent.stored_path) and os.path.exists(dead.stored_path)
    assert not killed.exists() and writing.exists()
    assert "removed 1 temporary folder" in out
    assert "4 item(s) cleaned up." in out
