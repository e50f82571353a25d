"""The annual report's PDF, generated as a background job: the job page shows the steps, then
leads to the download. The file is kept under MEDIA_ROOT/reports (never served directly: the
download view checks who asks)."""

from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hallbar.core.cleanup import remove_partial_files
from hallbar.core.jobs import JobKind, JobResult
from hallbar.core.models import BackgroundJob
from hallbar.reporting.access import can_generate_annual_report
from hallbar.reporting.annual_report import STEPS, annual_report_pdf, check_language, check_year

ANNUAL_REPORT = "reporting.annual_report"
# A partial PDF younger than this may still be being written by a running job.
PARTIAL_MAX_AGE_SECONDS = 3600


def reports_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "reports"


def report_path(job: BackgroundJob) -> Path | None:
    """Return the PDF a finished job wrote, or None when there is none (any more)."""
    name = job.result.get("file", "") if job.status == BackgroundJob.Status.DONE else ""
    if not name or "/" in name or "\\" in name:
        return None
    path = reports_dir() / name
    return path if path.is_file() else None


def clean_partial_reports() -> list[str]:
    """Remove the partial PDFs of killed report jobs (by `manage.py cleanup`); return a line if
    any were removed. One younger than PARTIAL_MAX_AGE_SECONDS may be in writing and is kept."""
    folder = reports_dir()
    return remove_partial_files(
        folder.glob("*.part") if folder.is_dir() else [],
        older_than=PARTIAL_MAX_AGE_SECONDS,
        what="killed annual-report jobs",
    )


def report_page_url(year, language) -> str:
    return f"{reverse('reporting:annual-report')}?{urlencode({'year': year, 'language': language})}"


def _run(job: BackgroundJob, progress) -> dict:
    year = check_year(job.params["year"])
    language = check_language(job.params["language"])
    pdf = annual_report_pdf(year, language, progress)
    folder = reports_dir()
    folder.mkdir(parents=True, exist_ok=True)
    name = f"annual-report-{year}-{language}-{job.public_id}.pdf"
    partial = folder / f"{name}.part"
    partial.write_bytes(pdf)
    partial.replace(folder / name)
    return {"file": name, "year": year, "language": language, "bytes": len(pdf)}


def _describe(job: BackgroundJob) -> JobResult:
    return JobResult(
        text=_("The annual report %(year)s is ready as a PDF.") % {"year": job.result.get("year")},
        url=reverse("reporting:annual-report-download", kwargs={"public_id": job.public_id}),
        link_text=_("Download the PDF"),
    )


def _back(job: BackgroundJob) -> tuple[str, str]:
    return _("Back to the annual report"), report_page_url(
        job.params.get("year", ""), job.params.get("language", "sv")
    )


ANNUAL_REPORT_JOB = JobKind(
    title=gettext_lazy("The annual report as a PDF"),
    steps=STEPS,
    run=_run,
    may_view=lambda user, job: can_generate_annual_report(user),
    describe=_describe,
    back=_back,
)
