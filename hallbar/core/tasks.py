"""Background tasks of the core: running imports and the apps' long actions."""

from django.utils import translation
from django_tasks import task

from hallbar.core.imports import run_import_job
from hallbar.core.jobs import run_background_job
from hallbar.core.models import BackgroundJob, ImportJob


@task()
def run_import(job_id: int, language: str) -> str:
    """Run an import job in the background, reporting in the uploader's language."""
    job = ImportJob.objects.get(pk=job_id)
    with translation.override(language):
        run_import_job(job)
    return job.status


@task()
def run_job(job_id: int, language: str) -> str:
    """Run a background job (a screening, a plan approval) in its creator's language."""
    job = BackgroundJob.objects.get(pk=job_id)
    with translation.override(language):
        run_background_job(job)
    return job.status
