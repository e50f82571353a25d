"""Who may see an import job (the person who started it, and the secretariat) and a background
job (the person who started it, and whom its kind allows)."""

from django.db.models import QuerySet
from django.http import Http404

from hallbar.core.models import BackgroundJob, ImportJob


def access_import_job(user, public_id) -> ImportJob:
    try:
        job = ImportJob.objects.select_related("region__organisation", "created_by").get(
            public_id=public_id
        )
    except (ImportJob.DoesNotExist, ValueError):
        raise Http404 from None
    if not user.is_authenticated or not (user.is_secretariat or job.created_by_id == user.pk):
        raise Http404
    return job


def import_jobs_visible_to(user) -> QuerySet[ImportJob]:
    """Return the import jobs user may open (the same rule as ``access_import_job``)."""
    if not user.is_authenticated:
        return ImportJob.objects.none()
    if user.is_secretariat:
        return ImportJob.objects.all()
    return ImportJob.objects.filter(created_by=user)


def access_background_job(user, public_id) -> BackgroundJob:
    """Return the job if user may see it (as its kind says); 404 if missing or not visible."""
    from hallbar.core.jobs import job_kind

    try:
        job = BackgroundJob.objects.select_related("created_by").get(public_id=public_id)
    except (BackgroundJob.DoesNotExist, ValueError):
        raise Http404 from None
    if not user.is_authenticated:
        raise Http404
    try:
        spec = job_kind(job.kind)
    except LookupError:
        raise Http404 from None
    if job.created_by_id != user.pk and not spec.may_view(user, job):
        raise Http404
    return job
