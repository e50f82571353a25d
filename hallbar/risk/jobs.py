"""The screening run as a background job: the worker runs it, the job page shows its steps."""

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hallbar.core.jobs import JobKind, JobResult
from hallbar.core.models import BackgroundJob
from hallbar.risk.access import can_see_screening
from hallbar.risk.runs import run_screening

SCREENING = "risk.screening"


def _run(job: BackgroundJob, progress) -> dict:
    year = int(job.params["year"])
    try:
        run = run_screening(year=year, acting_user=job.created_by, progress=progress)
    except ValueError as error:
        raise ValidationError(str(error)) from None
    return {"run": str(run.public_id), "year": year, "rows": run.totals.get("rows", 0)}


def _describe(job: BackgroundJob) -> JobResult:
    return JobResult(
        text=_("The screening of %(year)s is done: %(rows)s result rows.")
        % {
            "year": job.result.get("year", ""),
            "rows": number_format(job.result.get("rows", 0), force_grouping=True),
        },
        url=reverse("risk:screening-detail", kwargs={"public_id": job.result["run"]}),
        link_text=_("Open the screening"),
    )


SCREENING_JOB = JobKind(
    title=gettext_lazy("Risk screening"),
    steps=(
        gettext_lazy("reading the suppliers' production countries"),
        gettext_lazy("building the risk table of the categories and countries"),
        gettext_lazy("joining the spend with the risks"),
        gettext_lazy("storing the results"),
    ),
    run=_run,
    may_view=lambda user, job: can_see_screening(user),
    describe=_describe,
    back=lambda job: (_("Back to the screenings"), reverse("risk:screening-list")),
)
