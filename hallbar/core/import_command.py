"""Shared driver for the import commands: run the job in the foreground with progress."""

import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from hallbar.core.imports import create_job, run_import_job
from hallbar.core.models import ImportJob


def run_file_import(
    command,
    *,
    kind: str,
    path: str,
    region=None,
    dry_run: bool,
    valid_only: bool,
    options: dict[str, Any] | None = None,
    describe_preview: Callable[[ImportJob], Iterable[str]] | None = None,
) -> ImportJob:
    """Import path as the command's job; print progress to stderr and the report to stdout.

    ``describe_preview`` turns the job's preview (what the commit replaces) into lines to print;
    a job that waits for confirmation has written nothing and ends the command with an error.
    """
    file = Path(path)
    if not file.is_file():
        raise CommandError(f"{path}: no such file")
    with file.open("rb") as handle:
        job = create_job(
            kind=kind,
            uploaded=handle,
            filename=file.name,
            acting_user=None,
            region=region,
            mode=ImportJob.Mode.VALID_ONLY if valid_only else ImportJob.Mode.ALL_OR_NOTHING,
            dry_run=dry_run,
            options=options,
        )
    last = [-1]

    def progress(done: int, total: int | None) -> None:
        percent = int(100 * done / total) if total else 0
        if percent // 10 != last[0] // 10 or done == total:
            last[0] = percent
            sys.stderr.write(f"\rchecked {done:,} of {total or '?':,} rows ({percent} %)")
            sys.stderr.flush()

    job = run_import_job(job, progress=progress)
    sys.stderr.write("\n")
    for issue in job.issues:
        command.stdout.write(
            f"{job.filename}, row {issue['row'] or '–'}, column {issue['column'] or '–'}: "
            f"{issue['message']}"
        )
    if job.error_count > len(job.issues):
        command.stdout.write(f"… and {job.error_count - len(job.issues)} more errors")
    if job.preview and describe_preview is not None:
        for line in describe_preview(job):
            command.stdout.write(line)
    summary = ", ".join(f"{k} {v}" for k, v in job.summary.items())
    command.stdout.write(
        f"{job.get_status_display()}: {job.total_rows or 0} rows, {job.valid_rows} valid, "
        f"{job.error_count} errors" + (f"; {summary}" if summary else "")
    )
    if job.status in (ImportJob.Status.REJECTED, ImportJob.Status.FAILED):
        raise CommandError("Nothing was imported." if not job.dry_run else "The file has errors.")
    if job.awaits_confirmation:
        raise CommandError("Nothing was imported: the replacement needs confirmation (see above).")
    return job
