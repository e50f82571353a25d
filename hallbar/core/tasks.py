"""Background tasks of the core: running imports."""

from django.utils import translation
from django_tasks import task

from hallbar.core.imports import run_import_job
from hallbar.core.models import ImportJob


@task()
def run_import(job_id: int, language: str) -> str:
    """Run an import job in the background, reporting in the uploader's language."""
    job = ImportJob.objects.get(pk=job_id)
    with translation.override(language):
        run_import_job(job)
    return job.status
