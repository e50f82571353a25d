"""The follow-up pages through HTTP: the lead's pages, the supplier portal with uploads, the
permission-checked download, and the public results."""

from datetime import date

import pytest
from django.urls import reverse

from hallbar.followups import services
from hallbar.followups.models import Action, Deviation, Document, FollowUp
from hallbar.followups.tests.conftest import PDF, later, open_case, pdf, record, to_assessed

pytestmark = pytest.mark.django_db


def _url(name, *args):
    return reverse(f"followups:{name}", args=args)


def test_the_list_filters_and_exports(world, client_for):
    followup = open_case(world)
    open_case(world, supplier=world.supplier_b, lead_region=world.jamtland)
    client = client_for(world.cast.secretariat)
    page = client.get(_url("followup-list"))
    assert page.status_code == 200 and followup.reference in page.content.decode()
    page = client.get(_url("followup-list"), {"q": "Globex"})
    assert followup.reference not in page.content.decode()
    assert "Globex" in page.content.decode()
    export = client.get(_url("followup-list"), {"format": "csv", "status": "planned"})
    lines = export.content.decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 3 and lines[0].startswith("reference")
    empty = client.get(_url("followup-list"), {"status": "closed"})
    assert "No follow-up cases match" in empty.content.decode() or "Inga" in empty.content.decode()


def test_a_supplier_contact_uses_the_portal_not_the_case_pages(world, client_for):
    followup = open_case(world)
    services.send_self_assessment(followup, acting_user=world.cast.secretariat)
    client = client_for(world.cast.charlie)
    # the case pages send it to the portal (the API gives it the portal's view of the same cases)
    listed = client.get(_url("followup-list"))
    assert listed.status_code == 302 and listed["Location"] == reverse("portal:home")
    case = client.get(_url("followup-detail", followup.public_id))
    portal_case = reverse("portal:case", args=[followup.public_id])
    assert case.status_code == 302 and case["Location"] == portal_case
    assert client.get(portal_case).status_code == 200
    # and another company's contact still gets the same 404 as for a missing case
    other = client_for(world.cast.dave)
    assert other.get(_url("followup-detail", followup.public_id)).status_code == 404


def test_opening_cases_from_a_list_of_suppliers(world, client_for):
    client = client_for(world.cast.secretariat)
    response = client.post(
        _url("followup-create"),
        {
            "suppliers": "5560000001\nGLOBEX-1",
            "followup_type": "self_assessment",
            "year": 2026,
            "lead_region": world.stockholm.pk,
            "cost_sek": 6000,
        },
    )
    assert response.status_code == 302
    assert FollowUp.objects.count() == 2
    response = client.post(
        _url("followup-create"),
        {
            "suppliers": "nobody at all",
            "followup_type": "self_assessment",
            "year": 2026,
            "lead_region": world.stockholm.pk,
            "cost_sek": 0,
        },
    )
    assert response.status_code == 200 and "nobody at all" in response.content.decode()
    assert FollowUp.objects.count() == 2


def test_a_region_contact_opens_cases_only_for_its_own_region(world, client_for):
    client = client_for(world.cast.contact_jamtland)
    data = {
        "suppliers": "GLOBEX-1",
        "followup_type": "self_assessment",
        "year": 2026,
        "cost_sek": 0,
    }
    response = client.post(_url("followup-create"), {**data, "lead_region": world.stockholm.pk})
    assert response.status_code == 200 and not FollowUp.objects.exists()
    response = client.post(_url("followup-create"), {**data, "lead_region": world.jamtland.pk})
    assert response.status_code == 302 and FollowUp.objects.get().lead_region == world.jamtland


def test_the_whole_chain_through_the_pages(world, client):
    followup = open_case(world)
    client.force_login(world.cast.alice)
    detail = _url("followup-detail", followup.public_id)
    assert client.get(detail).status_code == 200
    response = client.post(_url("followup-send", followup.public_id), {"due_date": later(20)})
    assert response.status_code == 302
    followup.refresh_from_db()
    assert followup.status == "sent"

    client.force_login(world.cast.charlie)
    portal = reverse("portal:case", args=[followup.public_id])
    page = client.get(portal)
    assert page.status_code == 200 and 'type="file"' in page.content.decode()
    questions = list(followup.response.questionnaire.questions.all())
    data = {"answers": "submit"}
    for q in questions:
        data[f"q{q.pk}"] = {"yes_no": "yes", "text": "Svar", "number": "2", "file": ""}.get(
            q.kind, q.choices[0] if q.choices else ""
        )
        if q.evidence_required:
            data[f"file{q.pk}"] = pdf(f"e{q.pk}.pdf")
            data[f"date{q.pk}"] = "2025-03-01"
    response = client.post(portal, data)
    # the submit saves a draft and asks for confirmation
    assert response.status_code == 200, response.content.decode()[:2000]
    assert 'value="confirm"' in response.content.decode()
    followup.refresh_from_db()
    assert followup.status == "sent"
    response = client.post(portal, {"answers": "confirm"})
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:receipt", args=[followup.public_id])
    followup.refresh_from_db()
    assert followup.status == "answered"

    client.force_login(world.cast.alice)
    requirements = list(followup.clause.process_requirements.all())
    assert client.get(_url("followup-assess", followup.public_id)).status_code == 200
    data = {f"verdict-{r.pk}": "approved" for r in requirements}
    data[f"verdict-{requirements[0].pk}"] = "deviation"
    response = client.post(_url("followup-assess", followup.public_id), data)
    assert response.status_code == 200  # the deviation needs a comment
    data[f"comment-{requirements[0].pk}"] = "Ingen riskanalys"
    response = client.post(_url("followup-assess", followup.public_id), data)
    assert response.status_code == 302
    response = client.post(
        _url("deviation-create", followup.public_id),
        {
            "requirement": requirements[0].pk,
            "area": "workers_rights",
            "severity": "major",
            "description": "Ingen riskanalys",
            "source": "assessment",
            "found_on": later(0).isoformat(),
        },
    )
    assert response.status_code == 302
    deviation = Deviation.objects.get()

    client.force_login(world.cast.charlie)
    response = client.post(
        reverse("portal:plan-save", args=[followup.public_id]),
        {
            f"d{deviation.pk}-0-description": "Gör riskanalys",
            f"d{deviation.pk}-0-owner": "Hållbarhetschef",
            f"d{deviation.pk}-0-deadline": later(30).isoformat(),
            "plan": "submit",
        },
    )
    assert response.status_code == 302
    followup.refresh_from_db()
    assert followup.status == "action_plan"
    action = Action.objects.get()
    response = client.post(
        reverse("portal:action-done", args=[action.public_id]),
        {"note": "Klar", "evidence": pdf("analys.pdf"), "document_date": "2026-01-05"},
    )
    assert response.status_code == 302
    assert Action.objects.get().status == "done"

    client.force_login(world.cast.alice)
    response = client.post(
        _url("action-verify", action.public_id),
        {"decision": "verify", "verification": "Granskad"},
    )
    followup.refresh_from_db()
    assert followup.status == "verified"
    client.post(_url("followup-close", followup.public_id), {"note": "Klart"})
    client.post(_url("followup-publish", followup.public_id))
    followup.refresh_from_db()
    assert followup.status == "closed" and followup.published_at

    client.force_login(world.cast.bob)  # a buyer in another participating region
    page = client.get(detail).content.decode()
    assert "Gör riskanalys" in page and followup.reference in page

    client.logout()
    public = client.get(reverse("results:detail", args=[followup.public_id]))
    assert public.status_code == 200
    assert world.supplier_a.name not in public.content.decode()
    assert world.site_a2.name not in public.content.decode()


def test_downloads_are_checked_and_served_as_attachments(world, client):
    followup = open_case(world)
    services.send_self_assessment(followup, acting_user=world.cast.secretariat)
    followup.refresh_from_db()
    question = followup.response.questionnaire.questions.filter(evidence_required=True).first()
    services.save_answers(
        followup,
        answers={},
        uploads=[(question.pk, pdf(), date(2025, 1, 1), False)],
        submit=False,
        acting_user=world.cast.charlie,
    )
    document = Document.objects.get()
    url = _url("document-download", document.public_id)
    client.force_login(world.cast.bob)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    client.force_login(world.cast.dave)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


def test_the_audit_page_for_the_auditor(world, client):
    followup = open_case(world)
    audit = services.order_audit(
        followup,
        kind="office",
        firm=world.firm,
        auditor=world.cast.auditor,
        critical=True,
        acting_user=world.cast.secretariat,
    )
    client.force_login(world.cast.auditor)
    url = _url("audit-detail", audit.public_id)
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "performed_date": later(0).isoformat(),
            "documents_reviewed": "Policy",
            "interviews": "Konfidentiellt",
            "report": "Rapport",
            "finish": "1",
        },
    )
    assert response.status_code == 302
    audit.refresh_from_db()
    assert audit.status == "reported"
    response = client.post(
        _url("deviation-create", followup.public_id),
        {
            "commitment": "Arbetstid",
            "area": "workers_rights",
            "severity": "major",
            "description": "Övertid",
            "source": "assessment",
            "found_on": later(0).isoformat(),
        },
    )
    assert response.status_code == 302
    deviation = Deviation.objects.get()
    assert deviation.source == "audit" and deviation.audit == audit
    client.force_login(world.cast.bob)
    assert client.get(url).status_code == 404


def test_the_portal_refuses_a_file_that_is_not_what_it_claims(world, client):
    followup = open_case(world)
    services.send_self_assessment(followup, acting_user=world.cast.secretariat)
    followup.refresh_from_db()
    question = followup.response.questionnaire.questions.filter(evidence_required=True).first()
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.cast.charlie)
    response = client.post(
        reverse("portal:case", args=[followup.public_id]),
        {
            "answers": "draft",
            f"q{question.pk}": "yes",
            f"file{question.pk}": SimpleUploadedFile(
                "x.pdf", b"<html>evil</html>", "application/pdf"
            ),
            f"date{question.pk}": "2025-01-01",
        },
    )
    assert response.status_code == 200
    assert "x.pdf" in response.content.decode()
    assert not Document.objects.exists()


def test_zero_tolerance_report_from_the_portal_and_triage(world, client):
    client.force_login(world.cast.charlie)
    from hallbar.requirements.models import ZeroToleranceItem

    item = ZeroToleranceItem.objects.filter(code__status="published").first()
    response = client.post(
        reverse("portal:report-create"),
        {"zero_tolerance_item": item.pk, "known_on": "2026-01-01", "description": "Barnarbete"},
    )
    assert response.status_code == 302
    from hallbar.followups.models import Report

    report = Report.objects.get()
    client.force_login(world.cast.secretariat)
    url = _url("report-detail", report.public_id)
    assert client.get(url).status_code == 200
    response = client.post(url, {"decision": "case", "lead_region": world.stockholm.pk})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "triaged" and report.followup.deviations.get().zero_tolerance


def test_sub_supplier_names_on_the_supplier_page(world, client):
    url = reverse("suppliers:supplier-detail", args=[world.supplier_a.public_id])
    client.force_login(world.cast.bob)
    page = client.get(url).content.decode()
    assert world.site_a1.name in page and world.site_a2.name not in page
    client.force_login(world.cast.secretariat)
    assert world.site_a2.name in client.get(url).content.decode()


def test_contracts_show_the_zero_tolerance_flag(world, client):
    followup = to_assessed(world, open_case(world))
    url = reverse("contracts:contract-detail", args=[world.contract_a.public_id])
    client.force_login(world.cast.bob)
    assert "zero-tolerance" not in client.get(url).content.decode().lower()
    record(world, followup, zero_tolerance=True)
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "flagged for immediate termination" in page or "hävning" in page


def test_the_api_gives_each_caller_what_the_pages_give(world, client):
    followup = to_assessed(world, open_case(world))
    record(world, followup)
    record(world, followup, pr=2, confidential=True)
    open_case(world, supplier=world.supplier_b, lead_region=world.jamtland)
    url = reverse("api:get_followup", args=[followup.public_id])
    client.force_login(world.cast.alice)
    data = client.get(url).json()
    assert data["status"] == "deviations" and data["participating_region_codes"] == ["01", "23"]
    assert len(data["deviations"]) == 2 and data["light"] == "yellow"
    client.force_login(world.cast.bob)
    assert len(client.get(url).json()["deviations"]) == 1  # not the confidential one
    client.force_login(world.cast.charlie)
    listed = client.get(reverse("api:list_followups")).json()
    assert [item["reference"] for item in listed["items"]] == [followup.reference]
    client.force_login(world.cast.dave)
    assert client.get(url).status_code == 404
    assert client.get(reverse("api:list_followups")).json()["count"] == 0


def test_the_supplier_page_shows_the_light_and_the_cases_the_viewer_may_see(world, client):
    followup = to_assessed(world, open_case(world))
    record(world, followup)
    url = reverse("suppliers:supplier-detail", args=[world.supplier_a.public_id])
    client.force_login(world.cast.bob)
    response = client.get(url)
    assert response.context["light"] == "yellow"
    assert followup.reference in response.content.decode()
    client.force_login(world.cast.charlie)  # the supplier's own page links to the portal
    assert reverse("portal:case", args=[followup.public_id]) in client.get(url).content.decode()


def test_the_case_page_lists_each_requirements_assessment(world, client):
    followup = to_assessed(world, open_case(world), verdict="gap")
    client.force_login(world.cast.alice)
    url = _url("followup-detail", followup.public_id)
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    # one row per process requirement, with its verdict and the assessor's comment
    rows = page.split("Assessment per process requirement")[1].split("</table>")[0]
    requirements = followup.clause.process_requirements.all()
    assert rows.count('<th scope="row">') == len(requirements)
    assert rows.count("Saknas rutin.") == len(requirements)
    assert rows.count("gap to complete") == 1
