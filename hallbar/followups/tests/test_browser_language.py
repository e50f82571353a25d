"""In a real browser with a Swedish locale: the English-speaking supplier abroad (dave at Globex)
walks the whole journey — start page, portal, case, questionnaire with a failed first submit,
answers, timeline, action plan, the Code of Conduct — at desktop and mobile width, and finds no
Swedish on any page, and no page is wider than the window. (axe-core checks these pages in
Swedish, in charlie's journeys: the markup is the same.)

Swedish is detected by its letters (å, ä, ö) and by common Swedish words, after the proper names
that legitimately hold them (regions, the demo companies, the cooperation's name, the language
switch's "Svenska", marked lang="sv") are taken out.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from hallbar.core.tests.browser import login, shoot, wider_than_window
from hallbar.demo.testing import CAST_PASSWORD
from hallbar.followups import services
from hallbar.followups.models import FollowUp
from hallbar.followups.tests.conftest import PDF, later, open_case
from hallbar.organisations.models import Organisation, Region, User
from hallbar.requirements.models import CodeOfConduct

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SWEDISH_LETTERS = re.compile(r"[åäöÅÄÖ]")
SWEDISH_WORDS = re.compile(
    r"\b(och|att|som|inte|eller|ska|har|med|av|vid|om|ett|alla|inga|svar|svara|sida|visa|"
    r"spara|skicka|leverantör|leverantören|uppföljning|avvikelse|enkät|självskattning|"
    r"åtgärdsplan|utkast|ärende|status:|senast|krav|kravet|datum|logga|ut)\b",
    re.IGNORECASE,
)
# Proper names and the cooperation's own name keep their Swedish letters in every language.
COOPERATION = "Hållbar upphandling i Sveriges regioner"

# The page's visible text without elements marked as another language (the switch to "Svenska").
VISIBLE_TEXT = """() => {
  const body = document.body.cloneNode(true);
  body.querySelectorAll('[lang]:not([lang="en"])').forEach(e => e.remove());
  body.querySelectorAll('script, style, template').forEach(e => e.remove());
  return body.innerText;
}"""


def _proper_names() -> list[str]:
    names = [COOPERATION]
    names += list(Region.objects.values_list("organisation__name", flat=True))
    names += list(Region.objects.values_list("county_name", flat=True))
    names += list(Organisation.objects.values_list("name", flat=True))
    names += [str(user) for user in User.objects.all()]
    return sorted({n for n in names if n}, key=len, reverse=True)


def swedish_on(text: str, names: list[str]) -> list[str]:
    """Return the Swedish found in text (letters or words), proper names removed."""
    for name in names:
        text = text.replace(name, " ")
    found = [m.group(0) for m in SWEDISH_WORDS.finditer(text)]
    found += [line.strip()[:80] for line in text.splitlines() if SWEDISH_LETTERS.search(line)]
    return found


def test_swedish_detector_finds_swedish_and_spares_names():
    names = ["Region Jämtland Härjedalen", COOPERATION]
    assert swedish_on("Svara på enkäten senast 1 maj", names)
    assert swedish_on("Spara utkast", names)
    assert not swedish_on("Lead region: Region Jämtland Härjedalen. Save draft", names)


def test_the_supplier_abroad_walks_the_journey_in_english(page, world, tmp_path):
    # Given a self-assessment sent to Globex (dave prefers English; the browser is Swedish)
    followup = open_case(world, supplier=world.supplier_b, lead_region=world.jamtland)
    services.send_self_assessment(followup, due_date=later(20), acting_user=world.cast.secretariat)
    followup = FollowUp.objects.get(pk=followup.pk)
    second = open_case(world, supplier=world.supplier_b, lead_region=world.jamtland)
    services.send_self_assessment(second, due_date=later(20), acting_user=world.cast.secretariat)
    second = FollowUp.objects.get(pk=second.pk)
    report = services.submit_report(
        kind="zero_tolerance",
        supplier=world.supplier_b,
        zero_tolerance_item=CodeOfConduct.objects.published().get().zero_tolerance_items.first(),
        description="A sub-supplier employed minors in its packing department.",
        known_on=timezone.localdate(),
        country="BD",
        acting_user=world.cast.dave,
    )
    names = _proper_names()
    evidence = tmp_path / "policy.pdf"
    evidence.write_bytes(PDF)
    problems: list[str] = []
    visited: dict[str, list[str]] = {}

    def check(label: str, width: int) -> None:
        assert page.locator("html").get_attribute("lang") == "en", page.url
        visited[f"{label}@{width}"] = swedish_on(page.evaluate(VISIBLE_TEXT), names)
        # no axe-core here: it checks the markup, which the portal's pages in Swedish share
        # (check_page; charlie's journeys check them)
        if too_wide := wider_than_window(page):
            problems.append(too_wide)
        shoot(page, "lang", f"{label}-{width}")

    page.context.clear_cookies()
    login(page, "dave", CAST_PASSWORD)
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto("/")
        check("home", width)
        page.goto("/portal/")
        check("portal", width)
        page.goto(f"/portal/{followup.public_id}/")
        check("case-questionnaire", width)
        page.goto("/portal/report/")
        check("zero-tolerance-report-form", width)
        page.goto(f"/followups/reports/{report.public_id}/")
        assert "Bangladesh" in page.locator("main").inner_text()
        check("zero-tolerance-report", width)
        code = CodeOfConduct.objects.published().get()
        page.goto(f"/requirements/code/{code.public_id}/")
        check("code-of-conduct", width)

    # When dave submits with a question left unanswered, the errors are in English too; the
    # evidence survives; he answers in full, confirms and gets the receipt: at both widths, the
    # narrow one on a second questionnaire
    def answer(case: FollowUp, width: int) -> None:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"/portal/{case.public_id}/")
        questions = list(case.response.questionnaire.questions.all())
        first_yes_no = next(q for q in questions if q.kind == "yes_no")
        for question in questions:
            if question.kind == "yes_no" and question.pk != first_yes_no.pk:
                page.locator(f"#q{question.pk}-yes").check()
            elif question.kind == "text":
                page.locator(f"#q{question.pk}").fill("We have a policy and a risk assessment.")
            elif question.kind == "number":
                page.locator(f"#q{question.pk}").fill("3")
            elif question.kind == "choice":
                page.locator(f"#q{question.pk}").select_option(question.choices[0])
            if question.evidence_required:
                page.locator(f"#file{question.pk}").set_input_files(str(evidence))
                page.locator(f"#date{question.pk}").fill((timezone.localdate()).isoformat())
        page.locator("button[name=answers][value=submit]").click()
        page.wait_for_load_state()
        case.refresh_from_db()
        assert case.status == "sent"
        assert page.locator(".errorlist").count() > 0
        # the evidence given survives the failed submit: nothing to upload again
        needs_evidence = [q for q in questions if q.evidence_required]
        assert {d.question_id for d in case.documents.all()} == {q.pk for q in needs_evidence}
        for question in needs_evidence:
            assert "policy.pdf" in page.locator(f"#question-{question.pk}").inner_text()
        check("case-failed-submit", width)

        # and answers in full
        page.locator(f"#q{first_yes_no.pk}-yes").check()
        page.locator("button[name=answers][value=submit]").click()
        page.wait_for_load_state()
        check("case-confirm", width)  # the answers to confirm, in English
        page.locator("button[name=answers][value=confirm]").first.click()
        page.wait_for_url(re.compile(r"/receipt/$"))
        check("case-receipt", width)
        assert "policy.pdf" in page.get_by_test_id("answers").inner_text()
        case.refresh_from_db()
        assert case.status == "answered", page.locator("main").inner_text()[:1000]

    answer(followup, 1366)
    answer(second, 390)

    # The lead region (writing to a supplier abroad in English) finds a deviation.
    verdicts = {
        r.pk: ("deviation" if r.number == 3 else "approved", "No action plan for the risks.")
        for r in followup.clause.process_requirements.all()
    }
    services.assess(followup, verdicts=verdicts, acting_user=world.cast.contact_jamtland)
    followup.refresh_from_db()
    deviation = services.record_deviation(
        followup,
        acting_user=world.cast.contact_jamtland,
        requirement=followup.clause.process_requirements.get(number=3),
        area="workers_rights",
        severity="major",
        description="No action has been taken against the risks found in the supply chain.",
        source="assessment",
    )

    # Then dave reads the deviation and the timeline in English and writes the action plan
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"/portal/{followup.public_id}/")
        check("case-deviation", width)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.locator(f"#d{deviation.pk}-0-description").fill("Write a risk-based action plan.")
    page.locator(f"#d{deviation.pk}-0-owner").fill("Head of sustainability")
    page.locator(f"#d{deviation.pk}-0-deadline").fill(
        (timezone.localdate() + timedelta(days=45)).isoformat()
    )
    page.locator("button[name=plan][value=submit]").click()
    page.wait_for_load_state()
    followup.refresh_from_db()
    assert followup.status == "action_plan", page.locator("main").inner_text()[:1000]
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"/portal/{followup.public_id}/")
        check("case-action-plan", width)
        timeline = page.locator("#timeline + ol").inner_text()
        assert "Action plan submitted with 1 action." in timeline

    swedish = {label: found for label, found in visited.items() if found}
    assert swedish == {}, swedish
    assert problems == []
