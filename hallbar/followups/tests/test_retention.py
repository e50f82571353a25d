"""The retention rules: evidence files and interview notes of long-closed cases, old uploads."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from hallbar.core.imports import upload_dir
from hallbar.core.models import AuditEvent, ImportJob
from hallbar.followups.models import Audit, Document, FollowUp
from hallbar.followups.tests.conftest import open_case
from hallbar.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def _closed(world, days_ago: int) -> FollowUp:
    case = open_case(world)
    FollowUp.objects.filter(pk=case.pk).update(
        status="closed", closed_at=timezone.now() - timedelta(days=days_ago)
    )
    return case


def _document(case, name: str, purpose=Document.Purpose.EVIDENCE) -> tuple[Document, Path]:
    from django.conf import settings

    stored = f"documents/{name}"
    path = Path(settings.DATA_DIR) / stored
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"%PDF-1.4 evidence")
    document = Document.objects.create(
        followup=case,
        purpose=purpose,
        filename=name,
        stored_path=stored,
        content_type="application/pdf",
        size=17,
        sha256="0" * 64,
    )
    return document, path


def _audit(case, firm, notes: str) -> Audit:
    return Audit.objects.create(followup=case, kind="factory", firm=firm, interviews=notes)


def _job(tmp_path, name: str, days_ago: int) -> tuple[ImportJob, Path]:
    path = upload_dir() / name
    path.write_text("a;b\n")
    job = ImportJob.objects.create(
        kind="suppliers", filename=name, stored_path=str(path), status="done"
    )
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(days=days_ago))
    return job, path


def test_the_daily_command_removes_only_what_is_past_its_retention(world, settings, tmp_path):
    settings.HALLBAR_EVIDENCE_RETENTION_DAYS = 3650
    settings.HALLBAR_UPLOAD_RETENTION_DAYS = 90
    firm = Organisation.objects.create(kind="audit_firm", name="Granskarna AB")
    old_case = _closed(world, 3651)
    recent_case = _closed(world, 3649)
    open_one = open_case(world)
    old_evidence, old_file = _document(old_case, "old.pdf")
    kept_report, kept_report_file = _document(old_case, "report.pdf", Document.Purpose.AUDIT_REPORT)
    recent_evidence, recent_file = _document(recent_case, "recent.pdf")
    open_evidence, open_file = _document(open_one, "open.pdf")
    old_audit = _audit(old_case, firm, "Worker Anna said the overtime is unpaid.")
    recent_audit = _audit(recent_case, firm, "Kept notes.")
    old_job, old_upload = _job(tmp_path, "old.csv", 91)
    new_job, new_upload = _job(tmp_path, "new.csv", 89)

    call_command("apply_retention")

    assert not old_file.exists()
    assert not Document.objects.filter(pk=old_evidence.pk).exists()
    for document, path in [
        (recent_evidence, recent_file),
        (open_evidence, open_file),
        (kept_report, kept_report_file),
    ]:
        assert path.exists()
        assert Document.objects.filter(pk=document.pk).exists()
    old_audit.refresh_from_db()
    assert "Anna" not in old_audit.interviews
    assert old_audit.interviews.startswith("[")
    recent_audit.refresh_from_db()
    assert recent_audit.interviews == "Kept notes."
    old_job.refresh_from_db()
    new_job.refresh_from_db()
    assert not old_upload.exists() and old_job.stored_path == ""
    assert old_job.status == "done"  # the job and its report stay
    assert new_upload.exists() and new_job.stored_path == str(new_upload)

    event = AuditEvent.objects.filter(kind="retention_applied").latest("sequence")
    assert event.detail["removed"] == {
        "evidence_files": 1,
        "import_uploads": 1,
        "interview_notes": 1,
    }
    # A second run finds nothing more and leaves the marker as it was.
    marker = old_audit.interviews
    call_command("apply_retention")
    event = AuditEvent.objects.filter(kind="retention_applied").latest("sequence")
    assert set(event.detail["removed"].values()) == {0}
    old_audit.refresh_from_db()
    assert old_audit.interviews == marker
