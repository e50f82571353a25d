"""Long actions run by the task worker, with progress a page can show.

An app registers a kind of job (`register_job_kind`): its title, its steps in words, how to run
it, who may see it and what its result says. A view starts a job with `start_job`, which
enqueues `hallbar.core.tasks.run_job` once the job row is committed, and sends the user to the
job's page (`core:job`), which reloads itself while the job runs (a meta refresh: no JavaScript).

The runner reports each step it starts through `progress(step)`; the step is written with an
UPDATE of its own, so it must be called outside the runner's transaction to be seen before the
end (inside it, it is simply committed with the rest). A job that has reported nothing for
`stale_after()` (the worker was killed, or never picked it up) is marked failed when its page is
next read, so the page never polls forever.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _

from hallbar.core.models import BackgroundJob

logger = logging.getLogger(__name__)

STALE_AFTER_SECONDS = 15 * 60
JOB_STOPPED = gettext_noop(
    "The job stopped without finishing: nothing was heard from it for %(minutes)s minutes. "
    "Nothing was changed; start it again."
)
JOB_CRASHED = gettext_noop("An unexpected error stopped the job. Nothing was changed.")

Progress = Callable[[int], None]


@dataclass(frozen=True)
class JobResult:
    """What a finished job's page says, and where it leads."""

    text: str
    url: str
    link_text: str


@dataclass(frozen=True)
class JobKind:
    """What core needs to know of one kind of job; the app that owns the kind registers it.

    `run(job, progress)` does the work (as the job's creator, in their language) and returns
    what to keep as the job's result (JSON); it raises ValidationError for a refusal people
    can act on. `steps` names each step in words (lazy text, shown in the reader's language).
    `may_view(user, job)` says who may see the job page; `describe(job)` says what a finished
    job did; `back(job)` is (link text, URL) of the page the job was started from.
    """

    title: Any
    steps: tuple[Any, ...]
    run: Callable[[BackgroundJob, Progress], dict]
    may_view: Callable[[Any, BackgroundJob], bool]
    describe: Callable[[BackgroundJob], JobResult]
    back: Callable[[BackgroundJob], tuple[str, str]]


_KINDS: dict[str, JobKind] = {}


def register_job_kind(kind: str, spec: JobKind) -> None:
    """Register one kind of background job (from the owning app's ready())."""
    _KINDS[kind] = spec


def job_kind(kind: str) -> JobKind:
    try:
        return _KINDS[kind]
    except KeyError:
        raise LookupError(f"No app has registered the job kind {kind!r}") from None


def stale_after() -> timedelta:
    return timedelta(seconds=getattr(settings, "HALLBAR_JOB_STALE_SECONDS", STALE_AFTER_SECONDS))


def running_job(kind: str, subject: str) -> BackgroundJob | None:
    """Return the job of this kind and subject that is still waiting or running, if any."""
    for job in BackgroundJob.objects.filter(
        kind=kind, subject=subject, status__in=[BackgroundJob.Status.PENDING, "running"]
    ):
        if not mark_if_stale(job):
            return job
    return None


def start_job(
    kind: str, *, acting_user, params: dict | None = None, subject: str = ""
) -> BackgroundJob:
    """Create the job and enqueue it once committed; return the running one if there is one
    already for this kind and subject (a second click starts nothing)."""
    job_kind(kind)
    if subject and (existing := running_job(kind, subject)):
        return existing
    spec = job_kind(kind)
    job = BackgroundJob.objects.create(
        kind=kind,
        subject=subject,
        params=params or {},
        total_steps=len(spec.steps),
        created_by=acting_user if getattr(acting_user, "pk", None) else None,
    )
    language = get_language() or settings.LANGUAGE_CODE

    def enqueue() -> None:
        from hallbar.core.tasks import run_job

        run_job.enqueue(job.pk, language)

    transaction.on_commit(enqueue)
    return job


def _report(job: BackgroundJob, **fields) -> None:
    fields["updated_at"] = timezone.now()
    BackgroundJob.objects.filter(pk=job.pk).update(**fields)
    for name, value in fields.items():
        setattr(job, name, value)


def run_background_job(job: BackgroundJob) -> BackgroundJob:
    """Run the job's kind, recording each step, the result or the error. Return the job."""
    if job.status != BackgroundJob.Status.PENDING:
        return job  # already run (a task delivered twice) or marked stale
    spec = job_kind(job.kind)
    _report(job, status=BackgroundJob.Status.RUNNING, step=1, started_at=timezone.now())

    def progress(step: int) -> None:
        _report(job, step=min(max(step, 1), job.total_steps))

    try:
        result = spec.run(job, progress)
    except ValidationError as error:
        _report(
            job,
            status=BackgroundJob.Status.FAILED,
            error=" ".join(str(m) for m in error.messages),
            finished_at=timezone.now(),
        )
    except Exception:
        logger.exception("Background job %s (%s) failed", job.pk, job.kind)
        _report(
            job,
            status=BackgroundJob.Status.FAILED,
            error=_(JOB_CRASHED),
            finished_at=timezone.now(),
        )
    else:
        _report(
            job,
            status=BackgroundJob.Status.DONE,
            step=job.total_steps,
            result=result or {},
            finished_at=timezone.now(),
        )
    return job


def mark_if_stale(job: BackgroundJob) -> bool:
    """Mark a waiting or running job failed when nothing has been heard from it for too long.

    Return whether it was marked."""
    if not job.is_running or job.updated_at > timezone.now() - stale_after():
        return False
    minutes = max(1, round(stale_after().total_seconds() / 60))
    marked = BackgroundJob.objects.filter(
        pk=job.pk, status=job.status, updated_at=job.updated_at
    ).update(
        status=BackgroundJob.Status.FAILED,
        error=_(JOB_STOPPED) % {"minutes": minutes},
        finished_at=timezone.now(),
    )
    job.refresh_from_db()
    return bool(marked)
