"""Housekeeping after crashes and over time, run by `manage.py cleanup` (e.g. hourly by cron).

- Imports and background jobs whose worker died (nothing heard for the stale timeout) are
  marked failed, so their pages stop waiting and offer to try again.
- Uploaded import files older than HALLBAR_UPLOAD_RETENTION_DAYS (default 90) are deleted; their
  jobs keep the report (rows, issues, summary), only "try again" is no longer offered.
- Apps register their own cleanups (`register_cleanup`), e.g. the spend store removes the
  temporary folders of killed spend imports.
Each step logs and returns what it removed.
"""

import contextlib
import logging
import time
from collections.abc import Callable, Iterable
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from hallbar.core.imports import mark_import_if_stale, upload_dir
from hallbar.core.jobs import mark_if_stale
from hallbar.core.models import BackgroundJob, ImportJob

logger = logging.getLogger(__name__)

UPLOAD_RETENTION_DAYS = 90

_CLEANUPS: dict[str, Callable[[], list[str]]] = {}


def register_cleanup(name: str, cleanup: Callable[[], list[str]]) -> None:
    """Register an app's cleanup: it removes what it must and returns a line per thing removed."""
    _CLEANUPS[name] = cleanup


def remove_partial_files(paths: Iterable[Path], *, older_than: int, what: str) -> list[str]:
    """Remove the partial files among paths older than older_than seconds (a younger one may
    still be being written); log and return a line if any were removed. what names them."""
    cutoff = time.time() - older_than
    removed = 0
    for path in paths:
        with contextlib.suppress(FileNotFoundError):
            if path.is_file() and path.lstat().st_mtime < cutoff:
                path.unlink()
                removed += 1
    if removed:
        logger.warning("Removed %s partial file(s) of %s", removed, what)
    return [f"removed {removed} partial file(s) of {what}"] if removed else []


def retention_days() -> int:
    return int(getattr(settings, "HALLBAR_UPLOAD_RETENTION_DAYS", UPLOAD_RETENTION_DAYS))


def mark_stale_jobs() -> list[str]:
    lines = []
    for job in ImportJob.objects.filter(
        status__in=[
            ImportJob.Status.PENDING,
            ImportJob.Status.VALIDATING,
            ImportJob.Status.IMPORTING,
        ]
    ):
        if mark_import_if_stale(job):
            lines.append(f"import {job.public_id} ({job.filename}): marked failed, no heartbeat")
    for background in BackgroundJob.objects.filter(
        status__in=[BackgroundJob.Status.PENDING, BackgroundJob.Status.RUNNING]
    ):
        if mark_if_stale(background):
            lines.append(f"job {background.public_id} ({background.kind}): marked failed")
    return lines


def remove_old_uploads(now=None) -> list[str]:
    """Delete stored import files that no job newer than the retention period, or still running
    or waiting for confirmation, refers to; and files no job refers to at all."""
    cutoff = (now or timezone.now()) - timedelta(days=retention_days())
    keep: set[str] = set()
    old: set[str] = set()
    for path, status, created in ImportJob.objects.values_list(
        "stored_path", "status", "created_at"
    ):
        if created >= cutoff or status in (
            ImportJob.Status.PENDING,
            ImportJob.Status.VALIDATING,
            ImportJob.Status.IMPORTING,
            ImportJob.Status.AWAITING_CONFIRMATION,
        ):
            keep.add(path)
        else:
            old.add(path)
    lines = []
    removed = []
    root = upload_dir()
    cutoff_ts = cutoff.timestamp()
    for file in sorted(root.iterdir()) if root.is_dir() else []:
        if not file.is_file() or str(file) in keep:
            continue
        if str(file) in old or file.stat().st_mtime < cutoff_ts:
            file.unlink(missing_ok=True)
            removed.append(str(file))
            lines.append(f"upload {file.name}: removed (older than {retention_days()} days)")
    # The jobs keep their reports but no longer point to a file that is gone.
    ImportJob.objects.filter(stored_path__in=removed).update(stored_path="")
    return lines


def run_cleanup() -> list[str]:
    """Run every cleanup; return (and log) one line per thing done."""
    lines = mark_stale_jobs() + remove_old_uploads()
    for name, cleanup in _CLEANUPS.items():
        lines.extend(f"{name}: {line}" for line in cleanup())
    for line in lines:
        logger.info("cleanup: %s", line)
    return lines


__all__ = ["register_cleanup", "remove_partial_files", "run_cleanup"]
