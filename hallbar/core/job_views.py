"""The page of a background job: its progress while it runs, then its result or its error."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from hallbar.core.access import access_background_job
from hallbar.core.jobs import job_kind, mark_if_stale


def job_detail(request: HttpRequest, public_id) -> HttpResponse:
    job = access_background_job(request.user, public_id)
    mark_if_stale(job)
    spec = job_kind(job.kind)
    back_text, back_url = spec.back(job)
    return render(
        request,
        "core/background_job.html",
        {
            "job": job,
            "title": spec.title,
            "step_label": spec.steps[job.step - 1] if 0 < job.step <= len(spec.steps) else "",
            "steps": spec.steps,
            "outcome": spec.describe(job) if job.status == job.Status.DONE else None,
            "back_text": back_text,
            "back_url": back_url,
        },
    )
