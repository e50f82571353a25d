"""In a real browser, at desktop and mobile width: the auditor finds an audit on the start page and
reports it; the supplier answers a questionnaire with a failed first submit, finds its evidence
intact, confirms and sees the receipt. Every page: axe-core finds no serious violation and the
page is no wider than the window (`check_page`; screenshots of each role's start page with
HALLBAR_SHOTS)."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from hallbar.core.tests.browser import VIEWS, check_page, login
from hallbar.demo.testing import CAST_PASSWORD
from hallbar.followups.models import Audit, Document, FollowUp
from hallbar.followups.tests.conftest import PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [1366, 390]


def _as(page, username: str, width: int, language: str = "", server_url: str = "") -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.context.clear_cookies()
    if language:  # the language switch's cookie (the cast prefers no language, but dave)
        page.context.add_cookies(
            [{"name": "django_language", "value": language, "url": server_url}]
        )
    login(page, username, CAST_PASSWORD)


def _check(page, problems: list[str], name: str) -> None:
    """The page at the test's width (axe-core and no sideways scrolling: check_page)."""
    problems += check_page(page, "home", name, widths=None)


# What the auditor reads, in each language
AUDITOR_WORDS = {
    "sv": {"nothing": "Du har inget att göra just nu.", "my_audits": "Mina revisioner"},
    "en": {"nothing": "You have nothing to do right now.", "my_audits": "My audits"},
}


@pytest.mark.parametrize(("language", "width"), VIEWS)
def test_the_auditor_finds_and_reports_an_audit_from_the_start_page(
    page, live_server, work, language, width, tmp_path
):
    problems: list[str] = []
    words = AUDITOR_WORDS[language]
    report = tmp_path / "rapport.pdf"
    report.write_bytes(PDF)
    audit = work["audit"]
    _as(page, "rolf", width, language, live_server.url)
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == language
    _check(page, problems, f"auditor-start-{language}")
    item = page.locator("[data-testid=work-item]")
    assert item.count() == 1 and "Klang Glove Factory" in item.inner_text()
    item.locator("a").click()
    page.wait_for_url(f"**/followups/audits/{audit.public_id}/")
    _check(page, problems, f"auditor-audit-{language}")
    page.locator("#id_performed_date").fill(work["yesterday"])
    page.locator("#id_documents_reviewed").fill("Uppförandekod, riskanalys, leverantörslista.")
    page.locator("#id_report").fill("Inga avvikelser vid kontorsrevisionen.")
    page.locator("#id_report_file").set_input_files(str(report))
    page.locator("button[name=finish]").click()
    page.wait_for_load_state()
    audit.refresh_from_db()
    assert audit.status == Audit.Status.REPORTED, page.locator("main").inner_text()[:1500]
    assert Document.objects.filter(audit=audit).exists()
    # back on the start page nothing is left to do; "my audits" lists it as reported
    page.goto("/")
    assert page.get_by_test_id("nothing-to-do").inner_text() == words["nothing"]
    page.locator("a[href='/followups/audits/']").click()
    expect(page.get_by_role("heading", level=1, name=words["my_audits"])).to_be_visible()
    assert page.locator("html").get_attribute("lang") == language
    _check(page, problems, f"auditor-my-audits-{language}")
    assert (
        f"/followups/audits/{audit.public_id}/"
        in page.get_by_test_id("reported-audits").inner_html()
    )
    assert problems == []


@pytest.mark.parametrize("width", WIDTHS)
def test_the_supplier_keeps_its_evidence_after_a_failed_submit_and_gets_a_receipt(
    page, work, width, tmp_path
):
    problems: list[str] = []
    evidence = tmp_path / "uppforandekod.pdf"
    evidence.write_bytes(PDF)
    followup: FollowUp = work["sent_a"]
    questions = list(followup.response.questionnaire.questions.all())
    first = next(q for q in questions if q.evidence_required)
    _as(page, "charlie", width)
    page.goto("/")
    _check(page, problems, "supplier-start")
    page.locator(f"[data-testid=work-item] a[href='/portal/{followup.public_id}/']").click()
    page.wait_for_url(f"**/portal/{followup.public_id}/")
    _check(page, problems, "supplier-questionnaire")
    # a first submit with one answer and its evidence only: refused, the evidence kept
    page.locator(f"#q{first.pk}-yes").check()
    page.locator(f"#file{first.pk}").set_input_files(str(evidence))
    page.locator(f"#date{first.pk}").fill("2025-02-01")
    page.locator("button[name=answers][value=submit]").click()
    page.wait_for_load_state()
    _check(page, problems, "supplier-refused")
    kept = page.locator(f"#question-{first.pk}").inner_text()
    assert "uppforandekod.pdf" in kept and "2025-02-01" in kept
    assert page.locator(".errorlist").count() > 0
    # the rest, without uploading the first evidence again
    for question in questions:
        if question.kind == "yes_no":
            page.locator(f"#q{question.pk}-yes").check()
        elif question.kind == "text":
            page.locator(f"#q{question.pk}").fill("Vi har en policy och en riskanalys.")
        elif question.kind == "number":
            page.locator(f"#q{question.pk}").fill("3")
        elif question.kind == "choice":
            page.locator(f"#q{question.pk}").select_option(question.choices[0])
        if question.evidence_required and question.pk != first.pk:
            page.locator(f"#file{question.pk}").set_input_files(str(evidence))
            page.locator(f"#date{question.pk}").fill("2025-02-01")
    page.locator("button[name=answers][value=submit]").click()
    page.wait_for_load_state()
    # the confirmation, then the receipt
    _check(page, problems, "supplier-confirm")
    assert Document.objects.filter(followup=followup, question=first).count() == 1
    page.locator("button[name=answers][value=confirm]").first.click()
    page.wait_for_url(re.compile(r"/receipt/$"))
    _check(page, problems, "supplier-receipt")
    followup.refresh_from_db()
    assert followup.status == "answered"
    stamp = timezone.localtime(followup.response.submitted_at)  # the receipt shows local time
    assert page.get_by_test_id("submitted-at").inner_text().startswith(stamp.date().isoformat())
    assert "uppforandekod.pdf" in page.get_by_test_id("answers").inner_text()
    assert problems == []


CAST = {
    "secretariat": "karin",
    "steering": "stig",
    "coordinator_a": "anna",
    "contact_jamtland": "asa",
    "alice": "alice",
    "bob": "bob",
    "auditor": "rolf",
    "charlie": "charlie",
    "dave": "dave",
}


@pytest.mark.presentation
def test_every_role_s_start_page_at_both_widths(page, work):
    problems: list[str] = []
    for name, username in CAST.items():
        _as(page, username, WIDTHS[0])
        page.goto("/")
        problems += check_page(page, "home", name, widths=WIDTHS)
        # Swedish, the default; dave (the supplier abroad) prefers English
        expected = "en" if username == "dave" else "sv"
        assert page.locator("html").get_attribute("lang") == expected
    assert problems == []
