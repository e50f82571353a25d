"""In a real browser: a buyer takes a module, fails the quiz once, passes it and downloads the
certificate; the public page verifies it; the region contact sees participation change; an
English-speaking supplier completes the supplier module in English. Every page is checked at 1366
and 390 px (no sideways scrolling) and by axe-core (`check_page`; screenshots with
HALLBAR_SHOTS)."""

import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from hallbar.core.tests.browser import axe_check, check_page, login
from hallbar.demo.testing import CAST_PASSWORD
from hallbar.demo.training import load_training_package
from hallbar.organisations.models import Role
from hallbar.training import services
from hallbar.training.models import Attempt, Certificate, Option

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _as(page, username):
    page.context.clear_cookies()
    login(page, username, CAST_PASSWORD)


def _answer(page, user, module, *, right: bool):
    attempt = Attempt.objects.get(user=user, module=module, submitted_at__isnull=True)
    for drawn, tokens in zip(attempt.draw, services.option_tokens(attempt), strict=True):
        options = Option.objects.filter(question_id=drawn["question"], is_correct=right)
        for option in options if right else options[:1]:
            page.locator(f"input[value='{tokens[option.pk]}']").check()


def _take_quiz(page, user, module, *, right: bool, problems, shot=None):
    page.goto(f"/training/modules/{module.public_id}/quiz/")
    page.locator("form button[name=start]").click()
    page.wait_for_load_state()
    if shot:
        problems += check_page(page, "training", shot)
    _answer(page, user, module, right=right)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/training/attempts/**")


def test_buyer_fails_passes_downloads_and_contact_sees_it(page, cast):
    from pypdf import PdfReader

    modules = {m.key: m for m in load_training_package(acting_user=cast.secretariat)}
    services.assign_to_role(
        module_key="contract-clause",
        role=Role.BUYER,
        due_date=timezone.localdate() + timedelta(days=30),
        acting_user=cast.secretariat,
    )
    module = modules["contract-clause"]
    problems: list[str] = []

    # The region contact sees that nobody in Jämtland has completed it yet
    _as(page, "asa")
    page.goto("/training/participation/")
    row = page.locator("tr", has_text="Region Jämtland Härjedalen").first
    assert row.locator("td").nth(1).inner_text() == "0"  # completed of the assigned
    problems += check_page(page, "training", "participation-before")

    # Bob, a Jämtland buyer, reads the module and fails the quiz once
    _as(page, "bob")
    page.goto("/training/")
    problems += check_page(page, "training", "index")
    page.get_by_role("link", name=module.title_sv).click()
    page.wait_for_url(f"**/training/modules/{module.public_id}/")
    problems += check_page(page, "training", "module")
    page.get_by_role("link", name=module.lessons.first().title_sv).click()
    page.wait_for_url(f"**/training/modules/{module.public_id}/lessons/*/")
    problems += check_page(page, "training", "lesson")
    _take_quiz(page, cast.bob, module, right=False, problems=problems, shot="quiz")
    assert not Attempt.objects.get(user=cast.bob).passed
    problems += check_page(page, "training", "failed")
    # he must wait before the next try; the wait is then over
    page.goto(f"/training/modules/{module.public_id}/quiz/")
    assert page.locator("form button[name=start]").count() == 0
    Attempt.objects.filter(user=cast.bob).update(
        submitted_at=timezone.now() - timedelta(minutes=module.retake_wait_minutes + 1)
    )
    _take_quiz(page, cast.bob, module, right=True, problems=problems)
    certificate = Certificate.objects.get(user=cast.bob)
    problems += check_page(page, "training", "passed")
    with page.expect_download() as download_info:
        page.locator("a[href$='/pdf/']").first.click()
    pdf = Path(download_info.value.path()).read_bytes()
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Bob Jämtland" in " ".join(text.split())
    assert certificate.code in text

    # Anyone can verify the certificate by its code
    page.context.clear_cookies()
    page.goto(f"/training/verify/{certificate.code}/")
    assert "Bob Jämtland" in page.locator("main").inner_text()
    assert module.title_sv in page.locator("main").inner_text()
    problems += check_page(page, "training", "verify")

    # The region contact sees the change
    _as(page, "asa")
    page.goto("/training/participation/")
    row = page.locator("tr", has_text="Region Jämtland Härjedalen").first
    assert row.locator("td").nth(1).inner_text() == "1"
    problems += check_page(page, "training", "participation-after")

    # An unknown code is not confirmed (the 404 page passes axe too)
    page.goto("/training/verify/NOPE-NOPE-NOPE/")
    assert "Bob Jämtland" not in page.locator("main").inner_text()
    problems += check_page(page, "training", "verify-unknown")

    # The secretariat's pages, a draft's included
    draft = services.start_new_version(modules["risk-analysis"], acting_user=cast.secretariat)
    lesson = draft.lessons.first()
    question = draft.questions.first()
    base = f"/training/manage/modules/{draft.public_id}"
    _as(page, "karin")
    for url, name in (
        ("/training/participation/", "participation-national"),
        ("/training/manage/", "manage"),
        ("/training/manage/modules/new/", "module-create"),
        (f"/training/modules/{draft.public_id}/", "draft"),
        (f"{base}/edit/", "module-edit"),
        (f"{base}/lessons/new/", "lesson-create"),
        (f"{base}/lessons/{lesson.public_id}/edit/", "lesson-edit"),
        (f"{base}/questions/new/", "question-create"),
        (f"{base}/questions/", "questions"),
        (f"{base}/questions/{question.public_id}/edit/", "question-edit"),
        (f"{base}/questions/{question.public_id}/delete/", "question-delete"),
        (f"{base}/images/new/", "image-upload"),
    ):
        page.goto(url)
        expect(page.locator("h1")).to_be_visible()
        problems += check_page(page, "training", name)
    page.goto(f"/training/modules/{draft.public_id}/")
    expect(page.locator("form[action$='/publish/'] button")).to_be_visible()
    assert problems == []


SWEDISH_WORDS = re.compile(r"\b(och|att|är|leverantör\w*)\b", re.IGNORECASE)


def _open_followup_for(user) -> None:
    """Give user's company a supplier with a follow-up sent to it: the portal then offers the
    supplier modules."""
    from hallbar.demo.testing import requirement_library
    from hallbar.followups.models import FollowUp
    from hallbar.followups.states import State
    from hallbar.organisations.models import Region
    from hallbar.requirements.models import ContractClause
    from hallbar.suppliers.models import Supplier

    requirement_library()
    organisation = user.memberships.get().organisation
    supplier = Supplier.objects.create(
        name=organisation.name, country="GB", other_id="EN-1", organisation=organisation
    )
    FollowUp.objects.create(
        reference="UF-EN-1",
        year=timezone.localdate().year,
        supplier=supplier,
        lead_region=Region.objects.get(county_code="01"),
        clause=ContractClause.objects.exclude(status="draft").earliest("pk"),
        status=State.SENT,
    )


def test_english_supplier_completes_the_supplier_module_in_english(page, cast):
    from pypdf import PdfReader

    modules = {m.key: m for m in load_training_package(acting_user=cast.secretariat)}
    module = modules["supplier-portal"]
    _open_followup_for(cast.dave)
    problems: list[str] = []
    _as(page, "dave")
    site = page.url.split("/", 3)[:3]
    page.context.add_cookies(
        [{"name": "django_language", "value": "en", "url": "/".join(site) + "/"}]
    )
    # The portal's home page offers the supplier module, in English
    page.goto("/portal/")
    offer = page.locator("section", has_text="Training for suppliers")
    expect(offer).to_be_visible()
    problems += check_page(page, "training", "portal-offer")
    offer.get_by_role("link", name=module.title_en).click()
    expect(page.locator("h1")).to_have_text(module.title_en)
    assert page.locator("html").get_attribute("lang") == "en"
    problems += axe_check(page)
    page.get_by_role("link", name=module.lessons.first().title_en).click()
    expect(page.locator("main h1")).to_be_visible()
    lesson_text = page.locator("main").inner_text()
    assert "due diligence" in lesson_text
    assert not SWEDISH_WORDS.search(lesson_text), SWEDISH_WORDS.search(lesson_text)
    # The quiz is in English
    page.goto(f"/training/modules/{module.public_id}/quiz/")
    page.locator("form button[name=start]").click()
    expect(page.locator("fieldset.quiz-question").first).to_be_visible()
    questions = page.locator("main form").inner_text()
    assert not SWEDISH_WORDS.search(questions), SWEDISH_WORDS.search(questions)
    problems += axe_check(page)
    _answer(page, cast.dave, module, right=True)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/training/attempts/**")
    assert "You passed" in page.locator("main").inner_text()
    problems += axe_check(page)
    certificate = Certificate.objects.get(user=cast.dave)
    assert certificate.module.key == "supplier-portal"
    # and the certificate is in English
    with page.expect_download() as download_info:
        page.locator("a[href$='/pdf/']").first.click()
    pdf = Path(download_info.value.path()).read_bytes()
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "Training certificate" in text
    assert module.title_en in text
    assert certificate.code in text
    assert problems == []
