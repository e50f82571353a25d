"""Shared driver for the import commands: run the job in the foreground with progress."""

import sys
from pathlib import Path

from django.core.management.base import CommandError

from hallbar.core.imports import create_job, run_import_job
from hallbar.core.models import ImportJob


def run_file_import(
    command, *, kind: str, path: str, region=None, dry_run: bool, valid_only: bool
) -> ImportJob:
    """Import path as the command's job; print progress to stderr and the report to stdout."""
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
    summary = ", ".join(f"{k} {v}" for k, v in job.summary.items())
    command.stdout.write(
        f"{job.get_status_display()}: {job.total_rows or 0} rows, {job.valid_rows} valid, "
        f"{job.error_count} errors" + (f"; {summary}" if summary else "")
    )
    if job.status in (ImportJob.Status.REJECTED, ImportJob.Status.FAILED):
        raise CommandError("Nothing was imported." if not job.dry_run else "The file has errors.")
    return job
