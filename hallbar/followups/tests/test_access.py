"""Who sees which case and which of its parts: sharing with every buying region, confidential
material for the lead, the secretariat and the assigned auditor only, suppliers their own."""

import pytest
from django.http import Http404
from django.urls import reverse

from hallbar.followups import services
from hallbar.followups.access import (
    access_audit,
    access_document,
    access_followup,
    access_followup_as_supplier,
    access_followup_for_manage,
    case_access,
    followups_visible_to,
    reports_visible_to,
    sees_sub_supplier_names,
)
from hallbar.followups.models import Document
from hallbar.followups.selectors import deviations_for, documents_for, timeline
from hallbar.followups.tests.conftest import answer_all, open_case, record, to_assessed
from hallbar.organisations.models import Region

pytestmark = pytest.mark.django_db


def _item():
    from hallbar.requirements.models import ZeroToleranceItem

    return ZeroToleranceItem.objects.filter(code__status="published").first()


def _visible(world, followup):
    return {
        name
        for name, user in world.cast.everyone().items()
        if followups_visible_to(user).filter(pk=followup.pk).exists()
    }


def test_a_case_is_shared_with_every_region_buying_from_the_supplier(world):
    followup = open_case(world)  # Stockholm leads; Stockholm and Jämtland buy (joint contract)
    # A planned case is internal: the supplier does not see it yet.
    assert _visible(world, followup) == {
        "secretariat",
        "steering",
        "alice",
        "bob",
        "contact_jamtland",
    }
    services.send_self_assessment(followup, acting_user=world.cast.secretariat)
    assert "charlie" in _visible(world, followup)
    assert "dave" not in _visible(world, followup)


def test_a_region_without_an_active_contract_does_not_see_the_case(world):
    followup = open_case(world, supplier=world.supplier_b, lead_region=world.jamtland)
    visible = _visible(world, followup)
    assert "alice" not in visible  # Stockholm does not buy from Globex
    assert {"bob", "contact_jamtland"} <= visible
    world.contract_b.regions.add(Region.objects.get(county_code="01"))
    assert "alice" in _visible(world, followup)


def test_the_area_coordinator_sees_its_areas_cases(world):
    followup = open_case(world, supplier=world.supplier_b, lead_region=world.jamtland)
    assert "coordinator_a" not in _visible(world, followup)
    from hallbar.organisations.models import ProcurementArea

    followup.lead_area = ProcurementArea.objects.get(code="A")
    followup.save()
    assert "coordinator_a" in _visible(world, followup)
    assert access_followup_for_manage(world.cast.coordinator_a, followup.public_id)


def test_only_the_lead_manages_a_case(world):
    followup = open_case(world)
    managers = {
        name
        for name, user in world.cast.everyone().items()
        if case_access(user, followup).can_manage
    }
    assert managers == {"secretariat", "alice"}
    for name in ("bob", "contact_jamtland", "steering", "charlie", "dave", "auditor", "nobody"):
        with pytest.raises(Http404):
            access_followup_for_manage(getattr(world.cast, name), followup.public_id)


def test_the_auditor_sees_only_the_cases_of_its_assigned_audits(world):
    followup = open_case(world)
    assert "auditor" not in _visible(world, followup)
    audit = services.order_audit(
        followup,
        kind="office",
        firm=world.firm,
        auditor=world.cast.auditor,
        critical=True,
        acting_user=world.cast.secretariat,
    )
    access = access_followup(world.cast.auditor, followup.public_id)
    assert access.confidential and access.is_auditor and not access.can_manage
    assert access_audit(world.cast.auditor, audit.public_id) == (audit, True)
    for name in ("bob", "contact_jamtland", "steering", "charlie", "dave", "nobody"):
        with pytest.raises(Http404):
            access_audit(getattr(world.cast, name), audit.public_id)
    other = open_case(world, supplier=world.supplier_b, lead_region=world.jamtland)
    with pytest.raises(Http404):
        access_followup(world.cast.auditor, other.public_id)


def test_confidential_deviations_and_events_stay_with_the_lead(world):
    followup = to_assessed(world, open_case(world))
    record(world, followup)
    record(world, followup, pr=2, confidential=True, description="Vittnesmål")
    followup.refresh_from_db()
    lead = access_followup(world.cast.alice, followup.public_id)
    participant = access_followup(world.cast.bob, followup.public_id)
    supplier = access_followup(world.cast.charlie, followup.public_id)
    assert len(deviations_for(lead)) == 2
    assert len(deviations_for(participant)) == 1
    assert len(deviations_for(supplier)) == 2  # the supplier must remedy them
    assert timeline(lead).filter(confidential=True).exists()
    assert not timeline(participant).filter(confidential=True).exists()
    assert not timeline(supplier).filter(confidential=True).exists()
    assert not timeline(supplier).filter(kind="opened").exists()


def test_internal_events_and_a_withheld_commitment_stay_with_the_lead(world, client):
    # Given a confidential deviation against a commitment, on a case rolf audits
    followup = to_assessed(world, open_case(world))
    services.order_audit(
        followup,
        kind="office",
        firm=world.firm,
        auditor=world.cast.auditor,
        acting_user=world.cast.alice,
    )
    followup.refresh_from_db()
    services.record_deviation(
        followup,
        acting_user=world.cast.alice,
        area="human_rights",
        severity="major",
        description="Locked exits.",
        source="audit",
        commitment="COMMITMENT-51aa: safe exits",
        confidential=True,
        supplier_description="Keep the exits unlocked.",
    )
    followup.refresh_from_db()
    lead = access_followup(world.cast.alice, followup.public_id)
    auditor = access_followup(world.cast.auditor, followup.public_id)
    supplier = access_followup(world.cast.charlie, followup.public_id)
    # Then the internal timeline (which names the commitment) is the lead's only
    assert timeline(lead).filter(confidential=True).exists()
    assert not timeline(auditor).filter(confidential=True).exists()
    assert not timeline(supplier).filter(confidential=True).exists()
    # and the supplier is not told the commitment, on the page or through the API
    [seen] = deviations_for(supplier)
    assert seen.shown_commitment == ""
    assert deviations_for(lead)[0].shown_commitment == "COMMITMENT-51aa: safe exits"
    client.force_login(world.cast.charlie)
    served = client.get(f"/api/followups/{followup.public_id}").content.decode()
    served += client.get(reverse("portal:case", args=[followup.public_id])).content.decode()
    assert "COMMITMENT-51aa" not in served
    assert "Keep the exits unlocked." in served


def test_documents_business_secrets_and_audit_reports(world):
    followup = open_case(world)
    services.send_self_assessment(followup, acting_user=world.cast.secretariat)
    followup.refresh_from_db()
    answer_all(followup, world.cast.charlie, submit=False)
    evidence = Document.objects.first()
    secret = Document.objects.last()
    Document.objects.filter(pk=secret.pk).update(confidential=True)
    for name in ("secretariat", "alice", "bob", "contact_jamtland", "steering", "charlie"):
        assert access_document(getattr(world.cast, name), evidence.public_id) == evidence
    for name in ("dave", "auditor", "nobody", "coordinator_a"):
        with pytest.raises(Http404):
            access_document(getattr(world.cast, name), evidence.public_id)
    for name in ("secretariat", "alice", "charlie"):
        assert access_document(getattr(world.cast, name), secret.public_id)
    for name in ("bob", "contact_jamtland", "steering"):
        with pytest.raises(Http404):
            access_document(getattr(world.cast, name), secret.public_id)
    lead = access_followup(world.cast.alice, followup.public_id)
    participant = access_followup(world.cast.bob, followup.public_id)
    assert documents_for(lead).count() == documents_for(participant).count() + 1


def test_audit_reports_are_for_the_lead_and_the_auditor_only(world):
    from django.utils import timezone

    from hallbar.followups.tests.conftest import pdf

    followup = open_case(world)
    audit = services.order_audit(
        followup,
        kind="office",
        firm=world.firm,
        auditor=world.cast.auditor,
        critical=True,
        acting_user=world.cast.secretariat,
    )
    services.save_audit(
        audit,
        acting_user=world.cast.auditor,
        documents_reviewed="",
        interviews="Namn X",
        report="R",
        performed_date=timezone.localdate(),
        report_file=pdf("r.pdf"),
    )
    report = Document.objects.get(purpose="audit_report")
    for name in ("secretariat", "alice", "auditor"):
        assert access_document(getattr(world.cast, name), report.public_id)
    for name in ("bob", "contact_jamtland", "steering", "charlie", "dave", "nobody"):
        with pytest.raises(Http404):
            access_document(getattr(world.cast, name), report.public_id)


def test_the_supplier_portal_gate(world):
    followup = open_case(world)
    services.send_self_assessment(followup, acting_user=world.cast.secretariat)
    assert access_followup_as_supplier(world.cast.charlie, followup.public_id).is_supplier
    for name in ("dave", "alice", "secretariat", "auditor", "nobody"):
        with pytest.raises(Http404):
            access_followup_as_supplier(getattr(world.cast, name), followup.public_id)


def test_reports_are_seen_by_the_secretariat_the_reporter_and_the_lead_of_the_case(world):
    from datetime import date

    report = services.submit_report(
        kind="grievance",
        supplier=world.supplier_a,
        area="workers_rights",
        description="x",
        known_on=date(2026, 1, 1),
        acting_user=world.cast.contact_jamtland,
    )
    seen = {
        n for n, u in world.cast.everyone().items() if reports_visible_to(u).filter(pk=report.pk)
    }
    assert seen == {"secretariat"}  # not the supplier: a grievance may identify who raised it
    services.triage_report(report, lead_region=world.stockholm, acting_user=world.cast.secretariat)
    seen = {
        n for n, u in world.cast.everyone().items() if reports_visible_to(u).filter(pk=report.pk)
    }
    assert seen == {"secretariat", "alice"}
    own = services.submit_report(
        kind="zero_tolerance",
        supplier=world.supplier_a,
        description="x",
        zero_tolerance_item=_item(),
        known_on=date(2026, 1, 1),
        acting_user=world.cast.charlie,
    )
    seen = {n for n, u in world.cast.everyone().items() if reports_visible_to(u).filter(pk=own.pk)}
    assert seen == {"secretariat", "charlie"}


def test_sub_supplier_names_are_for_the_lead_secretariat_auditor_and_supplier(world):
    def names():
        return {
            n
            for n, u in world.cast.everyone().items()
            if sees_sub_supplier_names(u, world.supplier_a)
        }

    assert names() == {"secretariat", "charlie"}
    followup = open_case(world)
    assert names() == {"secretariat", "charlie", "alice"}
    services.order_audit(
        followup,
        kind="office",
        firm=world.firm,
        auditor=world.cast.auditor,
        critical=True,
        acting_user=world.cast.secretariat,
    )
    assert names() == {"secretariat", "charlie", "alice", "auditor"}


def test_the_lead_areas_coordinator_sees_the_report_its_case_came_from(world):
    from datetime import date

    from hallbar.organisations.models import ProcurementArea

    report = services.submit_report(
        kind="grievance",
        supplier=world.supplier_a,
        area="workers_rights",
        description="x",
        known_on=date(2026, 1, 1),
        acting_user=world.cast.secretariat,
    )
    services.triage_report(report, lead_region=world.stockholm, acting_user=world.cast.secretariat)
    report.refresh_from_db()
    followup = report.followup
    followup.lead_area = ProcurementArea.objects.get(code="A")
    followup.save(update_fields=["lead_area"])
    # coordinator_a leads the case (can_manage), so reads the report it came from
    assert access_followup_for_manage(world.cast.coordinator_a, followup.public_id)
    seen = {
        n for n, u in world.cast.everyone().items() if reports_visible_to(u).filter(pk=report.pk)
    }
    assert seen == {"secretariat", "alice", "coordinator_a"}


def test_the_supplier_does_not_read_how_an_action_on_a_withheld_deviation_was_verified(world):
    from hallbar.followups.access import action_verification_for
    from hallbar.followups.models import Action

    followup = to_assessed(world, open_case(world), verdict="deviation")
    withheld = record(
        world, followup, source="grievance", supplier_description="Review your practices."
    )
    ordinary = record(world, followup, description="Ordinary")
    lead = case_access(world.cast.alice, followup)
    supplier = case_access(world.cast.charlie, followup)
    for deviation in (withheld, ordinary):
        action = Action(deviation=deviation, verification="Interviewed Ana and Bo in line 4")
        assert action_verification_for(lead, deviation, action) == action.verification
    assert action_verification_for(supplier, withheld, Action(verification="names")) == ""
    assert action_verification_for(supplier, ordinary, Action(verification="ok")) == "ok"


def test_a_case_reads_sub_supplier_names_by_the_registrys_rule(world):
    from hallbar.followups.access import may_see_site_name
    from hallbar.suppliers import access as suppliers_access
    from hallbar.suppliers.models import ProductionSite

    followup = open_case(world)
    services.send_self_assessment(followup, acting_user=world.cast.secretariat)
    sub = ProductionSite.objects.create(supplier=world.supplier_a, name="Sub", country="TH", tier=2)
    tier1 = ProductionSite(supplier=world.supplier_a, name="Own", country="SE", tier=1)
    for name, user in world.cast.everyone().items():
        if not followups_visible_to(user).filter(pk=followup.pk).exists():
            continue
        access = case_access(user, followup)
        # one rule: the case says what the registry says (its grant included)
        assert may_see_site_name(access, sub) == suppliers_access.sees_sub_supplier_names(
            user, world.supplier_a
        ), name
        assert may_see_site_name(access, tier1), name
