"""Pages of an import job: progress while it runs, the row-by-row report, and the next step."""

import os

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hallbar.core.access import access_import_job
from hallbar.core.exports import table_response
from hallbar.core.imports import (
    confirm_import_job,
    import_kind,
    mark_import_if_stale,
    retry_import_job,
)
from hallbar.core.models import ImportJob
from hallbar.core.tasks import run_import


def start_job(job: ImportJob) -> None:
    """Enqueue the job for the worker once the job row is committed."""
    language = get_language() or "sv"
    transaction.on_commit(lambda: run_import.enqueue(job.pk, language))


def job_detail(request: HttpRequest, public_id) -> HttpResponse:
    job = access_import_job(request.user, public_id)
    mark_import_if_stale(job)
    kind = import_kind(job.kind)
    if request.GET.get("format") == "csv":
        return table_response(
            [_("File"), _("Row"), _("Column"), _("Reason")],
            ([job.filename, i["row"] or "", i["column"] or "", i["message"]] for i in job.issues),
            file_format="csv",
            name=f"import-report-{job.public_id}",
        )
    page = Paginator(job.issues, 200).get_page(request.GET.get("page"))
    extra = kind.summary_context(request, job) if kind.summary_context else {}
    return render(
        request,
        "core/import_job.html",
        {
            **extra,
            "job": job,
            "issues": page,
            "list_url": reverse(kind.list_url),
            "form_url": reverse(kind.form_url) if kind.form_url else "",
            "can_retry": job.status == ImportJob.Status.FAILED and os.path.isfile(job.stored_path),
            "preview_template": kind.preview_template if job.preview else "",
            "summary_template": kind.summary_template,
        },
    )


@require_POST
def job_confirm(request: HttpRequest, public_id) -> HttpResponse:
    """Write the checked file after the user has seen (and, if it shrinks data, ticked) the preview."""
    job = access_import_job(request.user, public_id)
    if job.preview.get("needs_confirmation") and not request.POST.get("confirm_shrink"):
        messages.error(request, _("Tick the box to confirm that the data may shrink this much."))
        return redirect("core:import-job", public_id=job.public_id)
    if confirm_import_job(
        job, fingerprint=request.POST.get("fingerprint", ""), acting_user=request.user
    ):
        start_job(job)
    else:
        messages.error(
            request,
            _(
                "The data to be replaced have changed since the check, or the import is no longer waiting. Check the file again."
            ),
        )
    return redirect("core:import-job", public_id=job.public_id)


@require_POST
def job_import_valid_rows(request: HttpRequest, public_id) -> HttpResponse:
    """Run the same file again, importing the valid rows and skipping the bad ones."""
    user = request.user
    if not user.is_authenticated:  # as access_import_job would
        raise Http404
    job = access_import_job(user, public_id)
    if job.status != ImportJob.Status.REJECTED or not job.valid_rows:
        return redirect("core:import-job", public_id=job.public_id)
    retry = ImportJob.objects.create(
        kind=job.kind,
        filename=job.filename,
        stored_path=job.stored_path,
        region=job.region,
        created_by=user,
        mode=ImportJob.Mode.VALID_ONLY,
        options={k: v for k, v in job.options.items() if k != "confirm"},
    )
    start_job(retry)
    return redirect("core:import-job", public_id=retry.public_id)


@require_POST
def job_retry(request: HttpRequest, public_id) -> HttpResponse:
    """Run a failed import again with the same stored file (a worker died, a database hiccup)."""
    user = request.user
    if not user.is_authenticated:  # as access_import_job would
        raise Http404
    job = access_import_job(user, public_id)
    retry = retry_import_job(job, acting_user=user)
    if retry is None:
        messages.error(request, _("The file is no longer kept; upload it again."))
        return redirect("core:import-job", public_id=job.public_id)
    start_job(retry)
    return redirect("core:import-job", public_id=retry.public_id)
