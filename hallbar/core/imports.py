"""The import framework: store the upload, validate every row, then write all or nothing.

Each kind of import supplies an importer with two steps:
- `validate(job, table, progress)` returns the parsed valid rows and the issues of bad rows;
- `commit(job, rows)` writes the rows in one transaction and returns a summary.
`run_import_job` drives them, records progress on the job, and never writes a row unless every
row passed, or the user chose to import only the valid rows.

An importer may also offer `preview(job, rows)`: what a commit would replace (for spend, each
partition's current and new lines and total). The preview is stored on the job for dry runs and
real runs alike; the commit waits for a confirmation (status "awaiting confirmation") when the
job asks for review (the upload page always does), or when the preview says it must be
confirmed and the job's options do not confirm it. A confirmation names the preview's
fingerprint, so a preview that changed in between (another import) is shown again, not written.
"""

import contextlib
import logging
import resource
import signal
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from hallbar.core.models import ImportJob
from hallbar.core.tabular import TableError, TableIssue

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
#: An import whose worker has reported nothing for this long (setting HALLBAR_JOB_STALE_MINUTES)
#: is marked failed when its page is read or by `manage.py cleanup`: its worker died.
STALE_MINUTES = 15
#: What one import may take (settings HALLBAR_IMPORT_MEMORY_MB, HALLBAR_IMPORT_SECONDS; 0 for
#: no limit): memory on top of what the worker already holds, and wall time.
IMPORT_MEMORY_MB = 1024
IMPORT_SECONDS = 30 * 60
OVER_MEMORY = gettext_noop(
    "The import was stopped: the file needed more than %(megabytes)s MB of memory. Nothing was "
    "written. Split the file into smaller files."
)
OVER_TIME = gettext_noop(
    "The import was stopped: it took more than %(seconds)s seconds. Nothing was written. Split "
    "the file into smaller files."
)
IMPORT_STOPPED = gettext_noop(
    "The import stopped without finishing: nothing was heard from it for %(minutes)s minutes "
    "(the worker was stopped or ran out of memory). Nothing was written; try again."
)
MAX_STORED_ISSUES = 5000
PROGRESS_EVERY = 500


@dataclass
class Validated:
    rows: list[Any]
    issues: list[TableIssue]
    total: int


@dataclass
class Preview:
    """What a commit would change: shown before it is written and confirmed by fingerprint."""

    data: dict[str, Any]
    fingerprint: str
    needs_confirmation: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            **self.data,
            "fingerprint": self.fingerprint,
            "needs_confirmation": self.needs_confirmation,
        }


class Importer(Protocol):
    def validate(
        self, job: ImportJob, progress: Callable[[int, int | None], None]
    ) -> Validated: ...

    def commit(self, job: ImportJob, rows: list[Any]) -> dict[str, int]: ...


@dataclass(frozen=True)
class ImportKind:
    """What core needs to know of one kind of import; the app that owns the kind registers it.

    `importer` makes the importer; `list_url` is the URL name of the list the job page links back
    to, `form_url` that of the upload form (to fix a file and send it again);
    `preview_template` shows what a commit would replace, and `summary_template` adds to the
    summary of a finished import (both optional, given the job as `job`). `summary_context`
    (request, job) -> dict gives the summary template what the viewer may do next (links that
    depend on the viewer's rights, decided by the app's access rules).
    """

    importer: Callable[[], Importer]
    list_url: str
    preview_template: str = ""
    summary_template: str = ""
    form_url: str = ""
    summary_context: Callable[[Any, ImportJob], dict[str, Any]] | None = None


_KINDS: dict[str, ImportKind] = {}


def register_import_kind(kind: str, spec: ImportKind) -> None:
    """Register the importer and pages of one ImportJob kind (from the owning app's ready())."""
    if kind not in ImportJob.Kind.values:
        raise ValueError(f"Unknown import kind: {kind}")
    _KINDS[kind] = spec


def import_kind(kind: str) -> ImportKind:
    """Return what the owning app registered for kind."""
    try:
        return _KINDS[kind]
    except KeyError:
        raise LookupError(f"No app has registered the import kind {kind!r}") from None


def upload_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def store_upload(uploaded, *, filename: str) -> str:
    """Save an uploaded file under the data directory (never web-served); return its path."""
    suffix = Path(filename).suffix.lower()[:10]
    target = upload_dir() / f"{uuid.uuid4().hex}{suffix}"
    with target.open("wb") as out:
        if hasattr(uploaded, "chunks"):
            for chunk in uploaded.chunks():
                out.write(chunk)
        else:
            out.write(uploaded.read())
    return str(target)


def create_job(
    *,
    kind: str,
    uploaded,
    filename: str,
    acting_user,
    region=None,
    mode: str = ImportJob.Mode.ALL_OR_NOTHING,
    dry_run: bool = False,
    options: dict[str, Any] | None = None,
) -> ImportJob:
    return ImportJob.objects.create(
        kind=kind,
        filename=Path(filename).name[:255],
        stored_path=store_upload(uploaded, filename=filename),
        region=region,
        created_by=acting_user if getattr(acting_user, "pk", None) else None,
        mode=mode,
        dry_run=dry_run,
        options=options or {},
    )


def stale_minutes() -> int:
    return int(getattr(settings, "HALLBAR_JOB_STALE_MINUTES", STALE_MINUTES))


def mark_import_if_stale(job: ImportJob) -> bool:
    """Mark a waiting or running import failed when nothing was heard from it for too long.

    The worker reports progress at least every PROGRESS_EVERY rows (which moves updated_at); an
    import silent for stale_minutes() died with its worker. Return whether it was marked."""
    minutes = stale_minutes()
    if not job.is_running or job.updated_at > timezone.now() - timedelta(minutes=minutes):
        return False
    message = _(IMPORT_STOPPED) % {"minutes": minutes}
    marked = ImportJob.objects.filter(
        pk=job.pk, status=job.status, updated_at=job.updated_at
    ).update(
        status=ImportJob.Status.FAILED,
        issues=[{"row": None, "column": None, "message": message}],
        error_count=1,
        summary={"written": 0},
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )
    job.refresh_from_db()
    if marked:
        logger.warning("Import job %s (%s) marked failed: stale", job.pk, job.filename)
    return bool(marked)


def retry_import_job(job: ImportJob, *, acting_user) -> ImportJob | None:
    """Return a new job for the same stored file, or None when the file is no longer kept."""
    if job.status != ImportJob.Status.FAILED or not Path(job.stored_path).is_file():
        return None
    return ImportJob.objects.create(
        kind=job.kind,
        filename=job.filename,
        stored_path=job.stored_path,
        region=job.region,
        created_by=acting_user,
        mode=job.mode,
        dry_run=job.dry_run,
        options={k: v for k, v in job.options.items() if k not in ("confirm", "confirmed_by")},
    )


def confirm_import_job(job: ImportJob, *, fingerprint: str, acting_user) -> bool:
    """Confirm the preview the user saw and queue the job to write; False if it has changed."""
    if not job.awaits_confirmation or job.preview.get("fingerprint") != fingerprint:
        return False
    job.options = {**job.options, "confirm": fingerprint, "confirmed_by": acting_user.pk}
    job.status = ImportJob.Status.PENDING
    job.save(update_fields=["options", "status"])
    return True


def _confirmed(job: ImportJob, preview: Preview) -> bool:
    confirm = job.options.get("confirm")
    if confirm == preview.fingerprint:
        return True
    if job.options.get("review"):
        return False
    return not preview.needs_confirmation or confirm is True


def _issue_dict(issue: TableIssue) -> dict[str, Any]:
    return {"row": issue.row, "column": issue.column, "message": str(issue.message)}


class ImportTimeout(Exception):
    """The import ran longer than HALLBAR_IMPORT_SECONDS."""


def import_limits() -> tuple[int, int]:
    """Return (megabytes, seconds): the memory and time an import may take (0: unbounded)."""
    return (
        int(getattr(settings, "HALLBAR_IMPORT_MEMORY_MB", IMPORT_MEMORY_MB)),
        int(getattr(settings, "HALLBAR_IMPORT_SECONDS", IMPORT_SECONDS)),
    )


def _virtual_bytes() -> int | None:
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


@contextlib.contextmanager
def _bounded(megabytes: int, seconds: int) -> Iterator[None]:
    """Run the block with at most `megabytes` more address space and `seconds` of wall time.

    Memory: a soft RLIMIT_AS of the process's current size plus the allowance, so an allocation
    beyond it raises MemoryError (Linux; elsewhere unbounded). Time: a SIGALRM timer raising
    ImportTimeout (only in the main thread, where the db_worker and commands run tasks). Both
    are restored afterwards; the worker process goes on with the next task.
    """
    restore_memory = None
    current = _virtual_bytes() if megabytes else None
    if current is not None:
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        wanted = current + megabytes * 1024 * 1024
        if hard == resource.RLIM_INFINITY or wanted < hard:
            resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))
            restore_memory = (soft, hard)
    timed = bool(seconds) and threading.current_thread() is threading.main_thread()
    previous_handler = None
    if timed:

        def expire(signum, frame):
            raise ImportTimeout

        previous_handler = signal.signal(signal.SIGALRM, expire)
        signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        if timed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous_handler)
        if restore_memory is not None:
            resource.setrlimit(resource.RLIMIT_AS, restore_memory)


def run_import_job(
    job: ImportJob,
    *,
    progress: Callable[[int, int | None], None] | None = None,
    importer: Importer | None = None,
) -> ImportJob:
    """Validate the job's file and, when allowed, commit it, within the memory and time limits
    (`import_limits`). Return the finished job; one over a limit is failed and says which.

    `importer` replaces the kind's registered one: the API passes one that validates the rows of
    its request body with the same checks and commits them the same way.
    """
    megabytes, seconds = import_limits()
    try:
        with _bounded(megabytes, seconds):
            return _run_import_job(job, progress=progress, importer=importer)
    except (MemoryError, ImportTimeout) as error:
        if isinstance(error, MemoryError):
            message = _(OVER_MEMORY) % {"megabytes": megabytes}
        else:
            message = _(OVER_TIME) % {"seconds": seconds}
        logger.warning("Import job %s (%s) stopped: %s", job.pk, job.filename, message)
        job.status = ImportJob.Status.FAILED
        job.summary = {"written": 0}
        job.error_count = 1
        job.issues = [{"row": None, "column": None, "message": message}]
        job.finished_at = timezone.now()
        job.save()
        return job


def _run_import_job(
    job: ImportJob,
    *,
    progress: Callable[[int, int | None], None] | None = None,
    importer: Importer | None = None,
) -> ImportJob:
    if importer is None:
        importer = import_kind(job.kind).importer()
    job.status = ImportJob.Status.VALIDATING
    job.started_at = timezone.now()
    job.save(update_fields=["status", "started_at"])

    def report(done: int, total: int | None) -> None:
        if progress:
            progress(done, total)
        if done % PROGRESS_EVERY == 0 or done == total:
            # Also the heartbeat: updated_at says the worker is alive (see mark_import_if_stale).
            ImportJob.objects.filter(pk=job.pk).update(
                processed_rows=done, total_rows=total, updated_at=timezone.now()
            )

    try:
        validated = importer.validate(job, report)
    except TableError as error:
        validated = Validated(rows=[], issues=list(error.issues), total=0)
    except (MemoryError, ImportTimeout):
        raise
    except Exception as error:
        # A bug or a lost database connection while checking: nothing was written yet.
        logger.exception("Import job %s (%s) failed while checking", job.pk, job.filename)
        job.status = ImportJob.Status.FAILED
        job.summary = {"written": 0}
        job.error_count = 1
        job.issues = [
            {
                "row": None,
                "column": None,
                "message": _("The import failed and nothing was written: %(error)s")
                % {"error": error},
            }
        ]
        job.finished_at = timezone.now()
        job.save()
        return job
    job.total_rows = validated.total
    job.processed_rows = validated.total
    job.valid_rows = len(validated.rows)
    job.error_count = len(validated.issues)
    job.issues = [_issue_dict(i) for i in validated.issues[:MAX_STORED_ISSUES]]
    blocked = bool(validated.issues) and (
        job.mode == ImportJob.Mode.ALL_OR_NOTHING or not validated.rows
    )
    preview = None
    if validated.rows and hasattr(importer, "preview"):
        preview = importer.preview(job, validated.rows)
    job.preview = preview.as_json() if preview else {}
    if blocked or job.dry_run:
        job.status = ImportJob.Status.REJECTED if validated.issues else ImportJob.Status.DONE
        job.summary = {"written": 0}
    elif preview is not None and not _confirmed(job, preview):
        job.status = ImportJob.Status.AWAITING_CONFIRMATION
        job.summary = {"written": 0}
    else:
        job.status = ImportJob.Status.IMPORTING
        job.save(update_fields=["status", "total_rows", "processed_rows", "valid_rows"])
        try:
            with transaction.atomic():
                job.summary = importer.commit(job, validated.rows)
        except Exception as error:
            job.status = ImportJob.Status.FAILED
            job.summary = {"written": 0}
            job.issues = [
                {
                    "row": None,
                    "column": None,
                    "message": _("The import failed and nothing was written: %(error)s")
                    % {"error": error},
                }
            ]
            job.finished_at = timezone.now()
            job.save()
            raise
        job.status = ImportJob.Status.DONE
    job.finished_at = timezone.now()
    job.save()
    return job
