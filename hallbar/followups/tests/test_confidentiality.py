"""Confidential material never reaches the wrong eyes: a grievance's words never reach the
supplier, a confidential deviation reaches it only in the lead's wording, and one audit firm never
sees another firm's audit or report on the same case. Each test seeds a unique marker and looks
for it in what each person is served: pages, downloads and the API."""

from datetime import date

import pytest
from django.urls import reverse

from hallbar.demo.national import AUDIT_FIRM
from hallbar.followups import files, services
from hallbar.followups.models import Audit, Document
from hallbar.followups.services.common import _document
from hallbar.followups.tests.conftest import open_case, pdf, record, to_assessed
from hallbar.organisations.models import Membership, Organisation, Role, User

pytestmark = pytest.mark.django_db

GRIEVANCE_MARKER = "GRIEVANCE-7f3a: Ana in line 4 was forced to pay a recruitment fee"
CONFIDENTIAL_MARKER = "CONFIDENTIAL-91c2: the auditor saw locked exits in building B"
SUPPLIER_WORDING = "Review your recruitment practices and repay any fees charged to workers."


def _served(client, user, urls) -> str:
    client.force_login(user)
    served = []
    for url in urls:
        response = client.get(url)
        if response.status_code == 200:
            served.append(b"".join(response).decode("utf-8", "replace"))
    client.logout()
    return "\n".join(served)


def _case_urls(followup) -> list[str]:
    return [
        reverse("portal:home"),
        reverse("portal:case", args=[followup.public_id]),
        reverse("followups:followup-detail", args=[followup.public_id]),
        f"/api/followups/{followup.public_id}",
    ]


def _grievance_case(world):
    followup = open_case(world)
    services.send_self_assessment(followup, acting_user=world.cast.secretariat)
    report = services.submit_report(
        kind="grievance",
        supplier=world.supplier_a,
        description=GRIEVANCE_MARKER,
        known_on=date(2025, 1, 5),
        area="workers_rights",
        acting_user=world.cast.secretariat,
    )
    return followup, report


def test_a_grievance_triaged_into_a_case_never_reaches_the_supplier(world, client):
    # Given a grievance triaged into a sent case of Medisupply (charlie is its contact)
    followup, report = _grievance_case(world)
    services.triage_report(report, lead_region=world.stockholm, acting_user=world.cast.secretariat)
    report.refresh_from_db()
    followup = report.followup
    deviation = followup.deviations.get()
    assert deviation.description == GRIEVANCE_MARKER
    # When the supplier opens its portal pages and the API
    served = _served(client, world.cast.charlie, _case_urls(followup))
    # Then it learns that a deviation exists, but never the worker's words
    assert "Deviation 1" in served or "Avvikelse 1" in served
    assert "GRIEVANCE-7f3a" not in served
    assert "Ana in line 4" not in served
    # and the lead still reads the source text
    assert "GRIEVANCE-7f3a" in _served(client, world.cast.alice, _case_urls(followup))


def test_the_supplier_reads_the_wording_the_lead_writes_for_it(world, client):
    followup, report = _grievance_case(world)
    services.triage_report(
        report,
        lead_region=world.stockholm,
        supplier_description=SUPPLIER_WORDING,
        acting_user=world.cast.secretariat,
    )
    report.refresh_from_db()
    followup = report.followup
    deviation = followup.deviations.get()
    served = _served(client, world.cast.charlie, _case_urls(followup))
    assert SUPPLIER_WORDING in served
    assert "GRIEVANCE-7f3a" not in served
    # The lead can rewrite it; the change is in the history and on the timeline
    client.force_login(world.cast.alice)
    url = reverse("followups:deviation-supplier-text", args=[deviation.public_id])
    response = client.post(url, {"text": "Repay all recruitment fees by the deadline."})
    assert response.status_code == 302
    deviation.refresh_from_db()
    assert deviation.supplier_description == "Repay all recruitment fees by the deadline."
    client.logout()
    assert "Repay all recruitment fees" in _served(
        client, world.cast.charlie, [reverse("portal:case", args=[followup.public_id])]
    )


def test_only_the_lead_writes_the_suppliers_wording(world, client):
    followup, report = _grievance_case(world)
    services.triage_report(report, lead_region=world.stockholm, acting_user=world.cast.secretariat)
    report.refresh_from_db()
    deviation = report.followup.deviations.get()
    url = reverse("followups:deviation-supplier-text", args=[deviation.public_id])
    for user in (world.cast.bob, world.cast.charlie, world.cast.auditor, world.cast.steering):
        client.force_login(user)
        assert client.post(url, {"text": "x"}).status_code == 404
    deviation.refresh_from_db()
    assert deviation.supplier_description == ""


def test_a_confidential_deviation_reaches_the_supplier_only_in_the_leads_wording(world, client):
    followup = to_assessed(world, open_case(world), verdict="deviation")
    record(world, followup, description=CONFIDENTIAL_MARKER, confidential=True)
    urls = _case_urls(followup)
    served = _served(client, world.cast.charlie, urls)
    assert "CONFIDENTIAL-91c2" not in served
    assert "Deviation 1" in served or "Avvikelse 1" in served  # it must remedy it
    # another buying region sees neither the deviation nor its text
    assert "CONFIDENTIAL-91c2" not in _served(client, world.cast.bob, urls)
    # the lead does
    assert "CONFIDENTIAL-91c2" in _served(client, world.cast.alice, urls)


def test_an_ordinary_deviation_is_shown_to_the_supplier_as_written(world, client):
    followup = to_assessed(world, open_case(world), verdict="deviation")
    record(world, followup, description="ORDINARY-55: no supplier code of conduct")
    served = _served(
        client, world.cast.charlie, [reverse("portal:case", args=[followup.public_id])]
    )
    assert "ORDINARY-55" in served


def _second_firm_auditor() -> User:
    firm = Organisation.objects.create(name="Andra Revisionsbyrån AB", kind="audit_firm")
    user = User.objects.create_user(username="ragnar", first_name="Ragnar")
    Membership.objects.create(user=user, organisation=firm, role=Role.AUDITOR)
    return user


def test_one_audit_firm_never_sees_another_firms_audit_or_report(world, client):
    # Given an office audit by firm A (rolf) and a factory audit by firm B (ragnar) on one case
    followup = to_assessed(world, open_case(world), verdict="deviation")
    ragnar = _second_firm_auditor()
    firm_b = ragnar.memberships.get().organisation
    services.order_audit(
        followup,
        kind="office",
        firm=Organisation.objects.get(name=AUDIT_FIRM),
        auditor=world.cast.auditor,
        acting_user=world.cast.alice,
    )
    followup.refresh_from_db()
    office = followup.audits.get(kind="office")
    services.save_audit(
        office,
        acting_user=world.cast.auditor,
        documents_reviewed="Policy",
        interviews="",
        report="Office report",
        performed_date=date(2025, 2, 1),
        report_file=pdf("office-report.pdf"),
        finish=True,
    )
    followup.refresh_from_db()
    services.order_audit(
        followup,
        kind="factory",
        firm=firm_b,
        auditor=ragnar,
        sites=[world.site_a1],
        acting_user=world.cast.alice,
    )
    factory = followup.audits.get(kind="factory")
    services.save_audit(
        factory,
        acting_user=ragnar,
        documents_reviewed="Payroll",
        interviews="INTERVIEW-NOTES-3d1e",
        report="FACTORY-REPORT-a8b0",
        performed_date=date(2025, 3, 1),
        report_file=pdf("factory-report.pdf"),
        finish=False,
    )
    office_doc = Document.objects.get(audit=office)
    factory_doc = Document.objects.get(audit=factory)
    assert office_doc.purpose == factory_doc.purpose == Document.Purpose.AUDIT_REPORT

    def download(user, document) -> int:
        client.force_login(user)
        url = reverse("followups:document-download", args=[document.public_id])
        status = client.get(url).status_code
        client.logout()
        return status

    # Then rolf gets his own report and a 404 for ragnar's, and the reverse
    assert download(world.cast.auditor, office_doc) == 200
    assert download(world.cast.auditor, factory_doc) == 404
    assert download(ragnar, factory_doc) == 200
    assert download(ragnar, office_doc) == 404
    # the lead gets both; another buying region neither
    assert download(world.cast.alice, factory_doc) == 200
    assert download(world.cast.bob, factory_doc) == 404
    # rolf's pages never show ragnar's audit, its report file or its notes
    rolf_pages = _served(
        client,
        world.cast.auditor,
        [
            reverse("followups:followup-detail", args=[followup.public_id]),
            reverse("followups:audit-detail", args=[office.public_id]),
            reverse("followups:audit-detail", args=[factory.public_id]),
        ],
    )
    assert "factory-report.pdf" not in rolf_pages
    assert "INTERVIEW-NOTES-3d1e" not in rolf_pages
    assert "FACTORY-REPORT-a8b0" not in rolf_pages
    assert str(factory.public_id) not in rolf_pages
    assert "office-report.pdf" in rolf_pages
    # ragnar likewise never sees rolf's report
    ragnar_pages = _served(
        client,
        ragnar,
        [
            reverse("followups:followup-detail", args=[followup.public_id]),
            reverse("followups:audit-detail", args=[factory.public_id]),
        ],
    )
    assert "office-report.pdf" not in ragnar_pages
    assert "factory-report.pdf" in ragnar_pages
    assert Audit.objects.filter(followup=followup).count() == 2


def _listed_counts(client, user, followup) -> dict[str, int]:
    """Return the case's deviation count in the API list, the page's CSV export and the API case."""
    client.force_login(user)
    listed = client.get("/api/followups/", {"q": followup.reference}).json()["items"]
    exported = client.get(reverse("followups:followup-list"), {"format": "csv"})
    one = client.get(f"/api/followups/{followup.public_id}").json()
    client.logout()
    counts = {"api-list": next(r["deviation_count"] for r in listed)}
    text = b"".join(exported).decode("utf-8-sig")
    # Swedish CSV: semicolons (hallbar/core/exports.py)
    row = next(line for line in text.splitlines() if line.startswith(followup.reference))
    counts["export"] = int(row.split(";")[-2])
    counts["api-case"] = one["deviation_count"]
    return counts


def test_lists_and_exports_count_only_the_deviations_the_reader_may_see(world, client):
    # Given a case led by Stockholm with one ordinary and two confidential deviations
    followup = to_assessed(world, open_case(world), verdict="deviation")
    record(world, followup, description="ORDINARY-1")
    record(world, followup, description="SECRET-1", confidential=True)
    record(world, followup, description="SECRET-2", confidential=True)
    # Then the lead counts all three, another buying region only the ordinary one
    assert set(_listed_counts(client, world.cast.alice, followup).values()) == {3}
    assert set(_listed_counts(client, world.cast.bob, followup).values()) == {1}
    assert set(_listed_counts(client, world.cast.steering, followup).values()) == {1}
    assert set(_listed_counts(client, world.cast.secretariat, followup).values()) == {3}


def test_an_auditor_sees_confidential_deviations_only_of_its_own_audits(world, client):
    # Given a case with rolf's office audit, and on it: a confidential finding of rolf's audit,
    # a confidential deviation the lead recorded from no audit, and a grievance-based deviation
    followup = to_assessed(world, open_case(world), verdict="deviation")
    services.order_audit(
        followup,
        kind="office",
        firm=Organisation.objects.get(name=AUDIT_FIRM),
        auditor=world.cast.auditor,
        acting_user=world.cast.alice,
    )
    office = followup.audits.get(kind="office")
    record(
        world,
        followup,
        description="OWN-AUDIT-5b1c",
        source="audit",
        audit=office,
        confidential=True,
        supplier_description="Fix it.",
    )
    record(
        world,
        followup,
        description="NO-AUDIT-2e7d",
        confidential=True,
        supplier_description="Fix that.",
    )
    record(
        world,
        followup,
        description="FROM-GRIEVANCE-9a4f",
        source="grievance",
        supplier_description="Review your practices.",
    )
    urls = [
        reverse("followups:followup-detail", args=[followup.public_id]),
        f"/api/followups/{followup.public_id}",
    ]
    # Then rolf reads his own audit's finding and nothing of the other two
    rolf = _served(client, world.cast.auditor, urls)
    assert "OWN-AUDIT-5b1c" in rolf
    assert "NO-AUDIT-2e7d" not in rolf
    assert "FROM-GRIEVANCE-9a4f" not in rolf
    # and counts only the deviations he may see: his finding (the case had none before)
    before = followup.deviations.exclude(
        description__in=["OWN-AUDIT-5b1c", "NO-AUDIT-2e7d", "FROM-GRIEVANCE-9a4f"]
    ).count()
    assert set(_listed_counts(client, world.cast.auditor, followup).values()) == {before + 1}
    # while the lead reads and counts all three
    lead = _served(client, world.cast.alice, urls)
    assert all(m in lead for m in ("OWN-AUDIT-5b1c", "NO-AUDIT-2e7d", "FROM-GRIEVANCE-9a4f"))
    assert set(_listed_counts(client, world.cast.alice, followup).values()) == {before + 3}


def test_a_grievance_based_deviation_is_for_the_lead_even_when_not_marked_confidential(
    world, client
):
    # Given a deviation from a grievance that is not marked confidential
    followup = to_assessed(world, open_case(world), verdict="deviation")
    record(
        world,
        followup,
        description="GRIEVANCE-OPEN-6d3a",
        source="grievance",
        supplier_description="Review your practices.",
    )
    urls = [reverse("followups:followup-detail", args=[followup.public_id])]
    # Then another participating region and the steering group do not read it; the lead does
    assert "GRIEVANCE-OPEN-6d3a" not in _served(client, world.cast.bob, urls)
    assert "GRIEVANCE-OPEN-6d3a" not in _served(client, world.cast.steering, urls)
    assert "GRIEVANCE-OPEN-6d3a" in _served(client, world.cast.alice, urls)


def test_a_business_secret_is_seen_only_by_the_lead_and_the_supplier_that_gave_it(world, client):
    # Given a case with rolf's office audit and a document the supplier marked business secret
    followup = to_assessed(world, open_case(world), verdict="deviation")
    services.order_audit(
        followup,
        kind="office",
        firm=Organisation.objects.get(name=AUDIT_FIRM),
        auditor=world.cast.auditor,
        acting_user=world.cast.alice,
    )
    stored = files.store_upload(pdf("SECRET-EVIDENCE-4c2a.pdf"), folder=str(followup.public_id))
    secret = _document(
        followup,
        stored,
        purpose=Document.Purpose.EVIDENCE,
        document_date=date(2025, 2, 1),
        confidential=True,
        acting_user=world.cast.charlie,
    )
    url = reverse("followups:document-download", args=[secret.public_id])
    page = reverse("followups:followup-detail", args=[followup.public_id])

    def status(user) -> int:
        client.force_login(user)
        code = client.get(url).status_code
        client.logout()
        return code

    # Then the lead region, the secretariat and the supplier get it, as the portal promises
    assert status(world.cast.alice) == 200
    assert status(world.cast.secretariat) == 200
    assert status(world.cast.charlie) == 200
    # and the case's auditor and another buying region get a 404 and do not see it listed
    assert status(world.cast.auditor) == 404
    assert status(world.cast.bob) == 404
    assert "SECRET-EVIDENCE-4c2a" not in _served(client, world.cast.auditor, [page])
    assert "SECRET-EVIDENCE-4c2a" in _served(client, world.cast.alice, [page])
