"""In a real browser: one case end to end with four users, a buyer of another participating region
reads the result, another company's contact is kept out; axe-core on every follow-up page."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone, translation

from hallbar.core.tests.browser import axe_check, login
from hallbar.demo.testing import CAST_PASSWORD
from hallbar.followups import services
from hallbar.followups.models import Action, Deviation, Document, FollowUp
from hallbar.followups.tests.conftest import PDF, open_case, record, to_assessed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _as(page, username: str) -> None:
    page.context.clear_cookies()
    login(page, username, CAST_PASSWORD)


def test_one_case_end_to_end_with_four_users(page, world, tmp_path) -> None:
    problems: list[str] = []
    evidence = tmp_path / "uppforandekod.pdf"
    evidence.write_bytes(PDF)

    # The secretariat opens a case for Medisupply, led by Region Stockholm, and sends it.
    _as(page, "karin")
    page.goto("/followups/")
    problems += axe_check(page)
    page.goto("/followups/new/")
    problems += axe_check(page)
    page.locator("#id_suppliers").fill(world.supplier_a.org_number)
    page.locator("#id_lead_region").select_option(str(world.stockholm.pk))
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/followups/[0-9a-f-]{36}/$"))
    followup = FollowUp.objects.get()
    problems += axe_check(page)
    page.locator("form[action$='/send/'] button").click()
    page.wait_for_load_state()
    followup.refresh_from_db()
    assert followup.status == "sent"

    # The supplier answers in the portal, with dated evidence.
    _as(page, "charlie")
    page.goto("/portal/")
    problems += axe_check(page)
    page.locator(f"a[href='/portal/{followup.public_id}/']").first.click()
    page.wait_for_url(f"**/portal/{followup.public_id}/")
    problems += axe_check(page)
    for question in followup.response.questionnaire.questions.all():
        if question.kind == "yes_no":
            page.locator(f"#q{question.pk}-yes").check()
        elif question.kind == "text":
            page.locator(f"#q{question.pk}").fill("Vi har en policy och en riskanalys.")
        elif question.kind == "number":
            page.locator(f"#q{question.pk}").fill("3")
        elif question.kind == "choice":
            page.locator(f"#q{question.pk}").select_option(question.choices[0])
        if question.evidence_required:
            page.locator(f"#file{question.pk}").set_input_files(str(evidence))
            page.locator(f"#date{question.pk}").fill("2025-02-01")
    page.locator("button[name=answers][value=submit]").click()
    page.wait_for_load_state()
    page.locator("button[name=answers][value=confirm]").first.click()  # the confirmation
    page.wait_for_url(re.compile(r"/receipt/$"))
    followup.refresh_from_db()
    assert followup.status == "answered", page.locator("main").inner_text()[:1500]

    # The lead region assesses and records a deviation.
    _as(page, "alice")
    page.goto(f"/followups/{followup.public_id}/")
    page.locator("a[href$='/assess/']").click()
    page.wait_for_url("**/assess/")
    problems += axe_check(page)
    requirements = list(followup.clause.process_requirements.order_by("number"))
    for requirement in requirements:
        verdict = "deviation" if requirement.number == 3 else "approved"
        page.locator(f"#v-{requirement.pk}-{verdict}").check()
    page.locator(f"#c-{requirements[2].pk}").fill("Riskanalysen saknar produktionsländer.")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/followups/[0-9a-f-]{36}/$"))
    page.locator("a[href$='/deviations/new/']").first.click()
    page.wait_for_url("**/deviations/new/")
    problems += axe_check(page)
    page.locator("#id_requirement").select_option(str(requirements[2].pk))
    page.locator("#id_area").select_option("workers_rights")
    page.locator("#id_severity").select_option("major")
    page.locator("#id_description").fill("Ingen kartläggning bortom första ledet.")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/followups/[0-9a-f-]{36}/$"))
    deviation = Deviation.objects.get()
    followup.refresh_from_db()
    assert followup.status == "deviations"

    # The supplier submits an action plan.
    _as(page, "charlie")
    page.goto(f"/portal/{followup.public_id}/")
    deadline = (timezone.localdate() + timedelta(days=60)).isoformat()
    page.locator(f"#d{deviation.pk}-0-description").fill("Kartlägga alla led och göra riskanalys.")
    page.locator(f"#d{deviation.pk}-0-owner").fill("Hållbarhetschef")
    page.locator(f"#d{deviation.pk}-0-deadline").fill(deadline)
    page.locator("button[name=plan][value=submit]").click()
    page.wait_for_load_state()
    followup.refresh_from_db()
    assert followup.status == "action_plan"
    problems += axe_check(page)

    # The lead region verifies the action and closes the case.
    _as(page, "alice")
    page.goto(f"/followups/{followup.public_id}/")
    problems += axe_check(page)
    action = Action.objects.get()
    page.locator(f"#ver-{action.pk}").fill("Granskad kartläggning och riskanalys.")
    page.locator(
        f"form[action$='/actions/{action.public_id}/verify/'] button[value=verify]"
    ).click()
    page.wait_for_load_state()
    followup.refresh_from_db()
    assert followup.status == "verified"
    page.locator("form[action$='/close/'] button").click()
    page.wait_for_load_state()
    page.locator("form[action$='/publish/'] button").click()
    page.wait_for_load_state()
    followup.refresh_from_db()
    assert followup.status == "closed" and followup.published_at

    # A buyer in another participating region (Jämtland buys on the joint contract) sees it.
    _as(page, "bob")
    page.goto("/followups/?status=closed")
    page.locator(f"a[href='/followups/{followup.public_id}/']").click()
    text = page.locator("main").inner_text()
    assert followup.reference in text and "Kartlägga alla led" in text
    with translation.override("sv"):
        assert page.get_by_test_id("status").inner_text() == followup.get_status_display()
    problems += axe_check(page)

    # A supplier contact of another company reaches none of it, by page or by guessed URL.
    _as(page, "dave")
    page.goto("/portal/")
    assert followup.reference not in page.locator("main").inner_text()
    document = Document.objects.filter(followup=followup).first()
    assert document is not None
    for url in (
        f"/portal/{followup.public_id}/",
        f"/followups/{followup.public_id}/",
        f"/followups/documents/{document.public_id}/",
        f"/followups/{followup.public_id}/assess/",
    ):
        response = page.goto(url)
        assert response.status == 404, url

    # The public reads the anonymised summary.
    page.context.clear_cookies()
    page.goto(f"/results/{followup.public_id}/")
    summary = page.get_by_test_id("summary").inner_text()
    assert world.supplier_a.name not in summary and world.site_a2.name not in summary
    problems += axe_check(page)
    assert problems == []


@pytest.mark.presentation
def test_axe_on_the_other_follow_up_pages_and_their_language(page, world) -> None:
    followup = to_assessed(world, open_case(world))
    audit = services.order_audit(
        followup,
        kind="office",
        firm=world.firm,
        auditor=world.cast.auditor,
        acting_user=world.cast.secretariat,
    )
    record(world, followup, zero_tolerance=True)
    report = services.submit_report(
        kind="grievance",
        supplier=world.supplier_a,
        area="workers_rights",
        description="Obetald övertid",
        known_on=timezone.localdate(),
        acting_user=world.cast.secretariat,
    )
    case = f"/followups/{followup.public_id}"
    pages = {
        "karin": [
            f"{case}/",
            f"{case}/audits/new/",
            f"{case}/sanctions/new/",
            f"{case}/cancel/",
            f"/followups/audits/{audit.public_id}/",
            "/followups/reports/",
            f"/followups/reports/{report.public_id}/",
            "/results/",
        ],
        "rolf": [f"/followups/audits/{audit.public_id}/", "/followups/"],
        "charlie": ["/portal/report/", f"/portal/{followup.public_id}/"],
    }
    problems: list[str] = []
    for language in ("sv", "en"):
        for username, urls in pages.items():
            _as(page, username)
            if language == "en":
                origin = re.match(r"https?://[^/]+/", page.url)
                assert origin is not None
                site = origin.group(0)
                page.context.add_cookies([{"name": "django_language", "value": "en", "url": site}])
            for url in urls:
                response = page.goto(url)
                assert response.status == 200, f"{username} {url}"
                assert page.locator("html").get_attribute("lang") == language
                if language == "sv":  # axe once per page, in Swedish (check_page says why)
                    problems += axe_check(page)
    assert problems == []
