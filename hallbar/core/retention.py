"""Retention rules: remove stored personal data once it is no longer needed (docs/personal-data.md).

`apply_retention()` (run daily by `manage.py apply_retention`) applies every rule and writes one
audit log entry (kind retention_applied) saying what it removed. core owns the rule for import
uploads (`HALLBAR_UPLOAD_RETENTION_DAYS`, default 90: the uploaded file is deleted, the job and its
report stay). Apps above core add rules with `register_retention_rule(name, rule)` in their
AppConfig.ready(): followups removes the evidence files and interview notes of cases closed more
than `HALLBAR_EVIDENCE_RETENTION_DAYS` ago. A rule takes the current time and returns how many
items it removed.

(The import-upload rule is named `import_uploads`; a branch adding another cleanup of uploads
should reuse `expire_import_uploads` rather than add a second one.)
"""

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from hallbar.core import audit
from hallbar.core.models import AuditEvent, ImportJob

logger = logging.getLogger(__name__)

RetentionRule = Callable[[datetime], int]

_rules: dict[str, RetentionRule] = {}

# Jobs being worked on keep their file whatever their age.
BUSY = {ImportJob.Status.VALIDATING, ImportJob.Status.IMPORTING}


def register_retention_rule(name: str, rule: RetentionRule) -> None:
    """Add a rule applied by `apply_retention` (called from an AppConfig.ready())."""
    _rules[name] = rule


def upload_retention() -> timedelta:
    return timedelta(days=settings.HALLBAR_UPLOAD_RETENTION_DAYS)


def evidence_retention() -> timedelta:
    return timedelta(days=settings.HALLBAR_EVIDENCE_RETENTION_DAYS)


def delete_file(path: str | Path) -> bool:
    """Delete a stored file if it is there; return whether one was deleted."""
    try:
        Path(path).unlink()
    except FileNotFoundError:
        return False
    return True


def expire_import_uploads(now: datetime) -> int:
    """Delete the uploaded files of import jobs older than the retention; keep jobs and reports.

    The one upload rule, shared with the hourly cleanup (`hallbar.core.cleanup`)."""
    from hallbar.core.cleanup import remove_old_uploads

    return len(remove_old_uploads(now))


def apply_retention(now: datetime | None = None) -> dict[str, int]:
    """Apply every retention rule; record what was removed in the audit log; return the counts."""
    now = now or timezone.now()
    removed = {"import_uploads": expire_import_uploads(now)}
    for name, rule in sorted(_rules.items()):
        removed[name] = rule(now)
    with transaction.atomic():
        audit.record(
            AuditEvent.Kind.RETENTION_APPLIED,
            object_type="retention",
            object_label="apply_retention",
            detail={"removed": removed, "at": now.isoformat()},
        )
    logger.info("retention applied", extra={"removed": removed})
    return removed
