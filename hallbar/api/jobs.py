"""API: the state of an import or a background job the caller started (or may see)."""

from datetime import datetime
from typing import Any
from uuid import UUID

from ninja import Router, Schema

from hallbar.core.access import access_background_job, access_import_job

router = Router(tags=["jobs"])


class IssueOut(Schema):
    row: int | None
    column: str | None
    message: str


class ImportJobOut(Schema):
    job: UUID
    kind: str
    status: str
    dry_run: bool
    region: str | None
    total_rows: int | None
    valid_rows: int
    error_count: int
    issues: list[IssueOut]
    summary: dict[str, Any]
    finished_at: datetime | None


class BackgroundJobOut(Schema):
    job: UUID
    kind: str
    status: str
    step: int
    total_steps: int
    result: dict[str, Any]
    error: str
    finished_at: datetime | None


@router.get("/imports/{public_id}", response=ImportJobOut)
def get_import(request, public_id: UUID):
    """Return an import's state, its row errors (at most the first 5 000) and what it wrote."""
    job = access_import_job(request.user, public_id)
    return {
        "job": job.public_id,
        "kind": job.kind,
        "status": job.status,
        "dry_run": job.dry_run,
        "region": job.region.county_code if job.region else None,
        "total_rows": job.total_rows,
        "valid_rows": job.valid_rows,
        "error_count": job.error_count,
        "issues": [
            {"row": i.get("row"), "column": i.get("column"), "message": str(i.get("message"))}
            for i in job.issues
        ],
        "summary": job.summary or {},
        "finished_at": job.finished_at,
    }


@router.get("/jobs/{public_id}", response=BackgroundJobOut)
def get_job(request, public_id: UUID):
    """Return a background job's state (a screening run, for example) and its result."""
    job = access_background_job(request.user, public_id)
    return {
        "job": job.public_id,
        "kind": job.kind,
        "status": job.status,
        "step": job.step,
        "total_steps": job.total_steps,
        "result": job.result or {},
        "error": job.error,
        "finished_at": job.finished_at,
    }
