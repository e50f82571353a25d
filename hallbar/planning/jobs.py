"""Approving a plan as a background job: hundreds of cases are opened, the page shows progress."""

from datetime import date

from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hallbar.core.jobs import JobKind, JobResult
from hallbar.core.models import BackgroundJob
from hallbar.planning import services
from hallbar.planning.access import can_view_plans
from hallbar.planning.models import FollowUpPlan

APPROVAL = "planning.approval"


def _run(job: BackgroundJob, progress) -> dict:
    params = job.params
    plan = FollowUpPlan.objects.get(public_id=params["plan"])
    if job.created_by is None:
        raise ValueError(f"Approval job {job.pk} names no one who approves.")
    day = params.get("decision_date") or ""
    plan = services.approve_plan(
        plan,
        acting_user=job.created_by,
        note=params.get("note", ""),
        decision_text=params.get("decision_text", ""),
        decision_date=date.fromisoformat(day) if day else None,
        decision_reference=params.get("decision_reference", ""),
        progress=progress,
    )
    return {"plan": str(plan.public_id), "year": plan.year, "cases": plan.items.count()}


def _describe(job: BackgroundJob) -> JobResult:
    return JobResult(
        text=_("The plan for %(year)s is approved: %(cases)s follow-up cases are opened.")
        % {
            "year": job.result.get("year", ""),
            "cases": number_format(job.result.get("cases", 0), force_grouping=True),
        },
        url=reverse("planning:plan-detail", kwargs={"public_id": job.result["plan"]}),
        link_text=_("Open the plan"),
    )


def _back(job: BackgroundJob) -> tuple[str, str]:
    return _("Back to the plan"), reverse(
        "planning:plan-detail", kwargs={"public_id": job.params["plan"]}
    )


APPROVAL_JOB = JobKind(
    title=gettext_lazy("Approval of the follow-up plan"),
    steps=(
        gettext_lazy("checking the plan and its budget"),
        gettext_lazy("opening the follow-up cases and recording the approval"),
    ),
    run=_run,
    may_view=lambda user, job: can_view_plans(user),
    describe=_describe,
    back=_back,
)
