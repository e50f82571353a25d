"""Every download of evidence and audit reports is in the audit log, or does not happen."""

from datetime import date
from unittest import mock

import pytest
from django.urls import reverse

from hallbar.core import audit
from hallbar.core.models import AuditEvent
from hallbar.demo.national import AUDIT_FIRM
from hallbar.followups import services
from hallbar.followups.models import Document
from hallbar.followups.tests.conftest import open_case, pdf, to_assessed
from hallbar.organisations.models import Organisation


def _audit_report(world) -> Document:
    followup = to_assessed(world, open_case(world), verdict="deviation")
    services.order_audit(
        followup,
        kind="office",
        firm=Organisation.objects.get(name=AUDIT_FIRM),
        auditor=world.cast.auditor,
        acting_user=world.cast.alice,
    )
    office = followup.audits.get(kind="office")
    services.save_audit(
        office,
        acting_user=world.cast.auditor,
        documents_reviewed="Policy",
        interviews="",
        report="Office report",
        performed_date=date(2025, 2, 1),
        report_file=pdf("office-report-42.pdf"),
        finish=True,
    )
    return Document.objects.get(audit=office)


def test_an_auditors_download_names_the_document(world, client):
    document = _audit_report(world)
    client.force_login(world.cast.auditor)
    url = reverse("followups:document-download", args=[document.public_id])
    response = client.get(url, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 200
    event = AuditEvent.objects.filter(kind=audit.Kind.DOWNLOAD).order_by("-sequence").first()
    assert event is not None
    assert event.actor == world.cast.auditor
    assert event.object_type == "followups.document"
    assert event.object_id == str(document.public_id)
    assert event.object_label == "office-report-42.pdf"
    assert event.client_address == "203.0.113.9"
    assert event.detail["purpose"] == Document.Purpose.AUDIT_REPORT
    assert event.detail["sha256"] == document.sha256


def test_a_refused_download_is_not_recorded_as_one(world, client):
    document = _audit_report(world)
    before = AuditEvent.objects.filter(kind=audit.Kind.DOWNLOAD).count()
    client.force_login(world.cast.bob)  # another region: 404
    url = reverse("followups:document-download", args=[document.public_id])
    assert client.get(url).status_code == 404
    assert AuditEvent.objects.filter(kind=audit.Kind.DOWNLOAD).count() == before


def test_a_download_that_cannot_be_recorded_is_not_served(world, client):
    document = _audit_report(world)
    client.force_login(world.cast.auditor)
    url = reverse("followups:document-download", args=[document.public_id])
    with (
        mock.patch.object(AuditEvent, "save", side_effect=RuntimeError("log down")),
        pytest.raises(RuntimeError, match="log down"),
    ):
        client.get(url)
