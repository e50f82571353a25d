"""The annual report (verksamhetsrapport): its page, the generation of its PDF as a background
job, and the PDF's download."""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hallbar.core import audit
from hallbar.core.jobs import start_job
from hallbar.core.models import BackgroundJob
from hallbar.organisations.http import AuthenticatedHttpRequest
from hallbar.reporting.access import (
    can_generate_annual_report,
    require_annual_report_generate,
    require_annual_report_read,
)
from hallbar.reporting.annual_report import (
    LANGUAGES,
    build_report,
    check_language,
    check_year,
    last_year,
    report_body,
    report_years,
)
from hallbar.reporting.jobs import ANNUAL_REPORT, report_page_url, report_path


def _default_language() -> str:
    language = (get_language() or "sv")[:2]
    return language if language in LANGUAGES else "sv"


def _latest_pdf(year: int, language: str) -> BackgroundJob | None:
    """Return the newest finished job whose PDF of this year and language is still kept."""
    for job in BackgroundJob.objects.filter(
        kind=ANNUAL_REPORT,
        status=BackgroundJob.Status.DONE,
        params__year=year,
        params__language=language,
    )[:5]:
        if report_path(job):
            return job
    return None


def annual_report(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The annual report of a year as a page, in Swedish or English, with its PDF to generate."""
    require_annual_report_read(request.user)
    year, language = last_year(), _default_language()
    if "year" in request.GET:
        try:
            year = check_year(request.GET["year"])
        except ValueError as error:
            messages.error(request, str(error))
    if "language" in request.GET:
        try:
            language = check_language(request.GET["language"])
        except ValueError as error:
            messages.error(request, str(error))
    report = build_report(year, language)
    return render(
        request,
        "reporting/annual_report.html",
        {
            "report": report,
            "body": report_body(report),
            "year": year,
            "language": language,
            "years": report_years(),
            "languages": [("sv", _("Swedish")), ("en", _("English"))],
            "can_generate": can_generate_annual_report(request.user),
            "latest": _latest_pdf(year, language),
        },
    )


@require_POST
def annual_report_generate(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Start the PDF's generation as a background job and send the user to its page."""
    require_annual_report_generate(request.user)
    try:
        year = check_year(request.POST.get("year", ""))
        language = check_language(request.POST.get("language", ""))
    except ValueError as error:
        messages.error(request, str(error))
        return redirect(report_page_url(last_year(), _default_language()))
    job = start_job(
        ANNUAL_REPORT,
        acting_user=request.user,
        params={"year": year, "language": language},
        subject=f"{year}-{language}",
    )
    return redirect("core:job", public_id=job.public_id)


def annual_report_download(request: AuthenticatedHttpRequest, public_id) -> FileResponse:
    """The PDF a finished job generated."""
    require_annual_report_read(request.user)
    try:
        job = BackgroundJob.objects.get(public_id=public_id, kind=ANNUAL_REPORT)
    except BackgroundJob.DoesNotExist:
        raise Http404 from None
    path = report_path(job)
    if path is None:
        raise Http404
    year, language = job.result["year"], job.result["language"]
    name = f"verksamhetsrapport-{year}.pdf" if language == "sv" else f"annual-report-{year}.pdf"
    audit.record(
        audit.Kind.DOWNLOAD,
        request=request,
        object_type="reporting.annual_report",
        object_id=str(job.public_id),
        object_label=name,
        detail={"file": name, "year": year, "language": language},
    )
    return FileResponse(
        path.open("rb"), as_attachment=True, filename=name, content_type="application/pdf"
    )
