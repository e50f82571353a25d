"""The training package: safe lessons, quizzes, certificates, assignments and participation."""

import io
import json
import random
import re
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from hallbar.categories.models import Category, CategoryPrioritisation
from hallbar.contracts.models import Contract
from hallbar.core.markdown import render_authored
from hallbar.demo.training import MODULES, load_training_package
from hallbar.organisations.models import Region, Role
from hallbar.risk.models import RiskAnalysis
from hallbar.suppliers.models import Supplier
from hallbar.training import selectors, services
from hallbar.training.models import (
    Assignment,
    Attempt,
    Certificate,
    LessonImage,
    Module,
    ModuleStatus,
    Option,
)

pytestmark = pytest.mark.django_db

HOSTILE = """# Title

<script>alert('x1')</script>

[click](javascript:alert('x2'))

[mixed](JaVaScRiPt:alert('x3'))

<img src="a.png" onerror="alert('x4')">

<a href="https://example.org" onclick="alert('x5')">raw link</a>

<iframe src="https://evil.example"></iframe>

<div style="background:url(javascript:alert('x6'))" onmouseover="alert('x7')">div</div>

[data](data:text/html;base64,PHNjcmlwdD4=)

<svg onload="alert('x8')"><script>alert('x9')</script></svg>

[kept](https://example.org/page) and **bold**
"""


def test_hostile_markdown_is_rendered_harmless():
    # Given Markdown with scripts, javascript: links, event attributes and raw HTML
    html = str(render_authored(HOSTILE))
    # Then none of it reaches the output
    lowered = html.lower()
    for marker in ("<script", "javascript", "onerror", "onclick", "onload", "onmouseover"):
        assert marker not in lowered, marker
    for marker in ("<iframe", "<svg", "<div", "style=", "data:text", "alert("):
        assert marker not in lowered, marker
    # and the safe link and the emphasis are kept, the heading moved below the page's h1
    assert '<a href="https://example.org/page" rel="noopener noreferrer">kept</a>' in html
    assert "<strong>bold</strong>" in html
    assert "<h2>Title</h2>" in html


@pytest.fixture
def package(cast):
    return {m.key: m for m in load_training_package(acting_user=cast.secretariat)}


def _right(module: Module, attempt: Attempt) -> dict[str, list[int]]:
    right = {}
    for drawn in attempt.draw:
        right[str(drawn["question"])] = sorted(
            Option.objects.filter(question_id=drawn["question"], is_correct=True).values_list(
                "pk", flat=True
            )
        )
    return right


def _wrong(attempt: Attempt) -> dict[str, list[int]]:
    return {
        str(drawn["question"]): list(
            Option.objects.filter(question_id=drawn["question"], is_correct=False).values_list(
                "pk", flat=True
            )[:1]
        )
        for drawn in attempt.draw
    }


def test_demo_package_has_seven_bilingual_modules(package):
    assert len(package) == len(MODULES) >= 7
    for module in package.values():
        assert module.status == ModuleStatus.PUBLISHED
        assert module.lessons.count() >= 2
        assert module.questions.count() > module.questions_per_attempt
        for lesson in module.lessons.all():
            assert lesson.body_sv and lesson.body_en and lesson.body_sv != lesson.body_en
        for question in module.questions.all():
            assert question.text_sv != question.text_en
            assert question.options.filter(is_correct=True).exists()


def test_draw_is_random_with_shuffled_options(package, cast):
    module = package["code-of-conduct"]
    draws = set()
    orders = set()
    for seed in range(12):
        attempt = services.start_attempt(user=cast.alice, module=module, rng=random.Random(seed))
        draws.add(tuple(sorted(d["question"] for d in attempt.draw)))
        orders.add(tuple(tuple(d["options"]) for d in attempt.draw))
        assert len(attempt.draw) == module.questions_per_attempt
        attempt.delete()
    assert len(draws) > 1
    assert len(orders) > 1


def _form(attempt: Attempt, answers: dict[str, list[int]]) -> dict[str, list[str]]:
    """Return the quiz form's data that chooses answers (option ids): the attempt's tokens."""
    attempt.refresh_from_db()
    tokens = dict(
        zip(
            [str(d["question"]) for d in attempt.draw], services.option_tokens(attempt), strict=True
        )
    )
    return {f"q{q}": [tokens[q][pk] for pk in pks] for q, pks in answers.items()}


def _quiz_values(html: str) -> list[tuple[str, str]]:
    """Return (name, value) of the quiz page's option inputs, in page order."""
    main = html.split("<main", 1)[1]
    return re.findall(r'<input type="(?:radio|checkbox)" name="(q\d+)" value="([^"]+)">', main)


def test_quiz_page_never_shows_the_right_answers(package, cast, client):
    module = package["contract-clause"]
    client.force_login(cast.alice)
    assert client.get(reverse("training:quiz", args=[module.public_id])).status_code == 200
    assert not Attempt.objects.exists()  # a GET starts nothing
    client.post(reverse("training:quiz", args=[module.public_id]), {"start": "1"})
    response = client.get(reverse("training:quiz", args=[module.public_id]))
    assert response.status_code == 200
    html = response.content.decode()
    attempt = Attempt.objects.get(user=cast.alice, module=module)
    # Every drawn option is offered as the same bare input: type, name and a token, no more
    inputs = re.findall(r"<input [^>]*>", html.split("<main", 1)[1])
    option_inputs = [tag for tag in inputs if 'name="q' in tag]
    values = _quiz_values(html)
    assert len(option_inputs) == len(values) == sum(len(d["options"]) for d in attempt.draw)
    assert "checked" not in html
    assert "correct" not in html.lower()
    # the values are the attempt's tokens in the drawn (shuffled) order, not database ids
    expected = [
        (f"q{d['question']}", tokens[pk])
        for d, tokens in zip(attempt.draw, services.option_tokens(attempt), strict=True)
        for pk in d["options"]
    ]
    assert values == expected
    option_ids = {str(pk) for d in attempt.draw for pk in d["options"]}
    assert not option_ids & {value for _name, value in values}
    assert all(not value.isdigit() for _name, value in values)


def test_option_tokens_differ_per_attempt_and_order_tells_nothing(package, cast, client):
    module = package["contract-clause"]
    module.questions_per_attempt = module.questions.count()
    module.save()
    pages = {}
    for user in (cast.alice, cast.bob):
        client.force_login(user)
        client.post(reverse("training:quiz", args=[module.public_id]), {"start": "1"})
        html = client.get(reverse("training:quiz", args=[module.public_id])).content.decode()
        pages[user.username] = dict(_quiz_values(html))
        pages[user.username + "-all"] = {v for _n, v in _quiz_values(html)}
    # the same questions, each option under a different token in each attempt
    assert pages["alice-all"] and not pages["alice-all"] & pages["bob-all"]
    # In the demo the right option is not the one written first (lowest id) every time
    first_is_right = [
        q.options.order_by("pk").first().is_correct
        for m in package.values()
        for q in m.questions.filter(kind="single")
    ]
    assert any(first_is_right) and not all(first_is_right)


def test_submitted_tokens_score_and_forged_ones_are_refused(package, cast, client):
    module = package["contract-clause"]
    client.force_login(cast.alice)
    url = reverse("training:quiz", args=[module.public_id])
    client.post(url, {"start": "1"})
    attempt = Attempt.objects.get(user=cast.alice, module=module)
    # A form naming options by database id (a forgery, or a stale page) is refused, not scored
    forged = {f"q{q}": [str(pk) for pk in pks] for q, pks in _right(module, attempt).items()}
    response = client.post(url, forged)
    assert response.status_code == 400
    attempt.refresh_from_db()
    assert attempt.submitted_at is None
    # nor may a token of another question be used
    tokens = services.option_tokens(attempt)
    swapped = {f"q{attempt.draw[0]['question']}": [next(iter(tokens[1].values()))]}
    assert client.post(url, swapped).status_code == 400
    # The attempt's own tokens score right
    response = client.post(url, _form(attempt, _right(module, attempt)))
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.passed and attempt.score == 100
    assert attempt.answers == _right(module, attempt)


def test_fail_wait_retake_pass_and_certificate(package, cast, client):
    module = package["contract-clause"]
    module.retake_wait_minutes = 30
    module.save()
    client.force_login(cast.alice)
    client.post(reverse("training:quiz", args=[module.public_id]), {"start": "1"})
    attempt = Attempt.objects.get(user=cast.alice, module=module)
    response = client.post(
        reverse("training:quiz", args=[module.public_id]), _form(attempt, _wrong(attempt))
    )
    attempt.refresh_from_db()
    assert response.status_code == 302
    assert attempt.submitted_at and not attempt.passed and attempt.score == 0
    assert attempt.answers  # recorded
    # A failed attempt cannot be retaken before the wait is over
    with pytest.raises(ValidationError):
        services.start_attempt(user=cast.alice, module=module)
    result = client.get(reverse("training:attempt", args=[attempt.public_id])).content.decode()
    assert "– right answer" not in result  # not revealed after a fail
    # After the wait, a new attempt; all right passes and issues a certificate
    Attempt.objects.filter(pk=attempt.pk).update(
        submitted_at=timezone.now() - timedelta(minutes=31)
    )
    client.post(reverse("training:quiz", args=[module.public_id]), {"start": "1"})
    second = Attempt.objects.get(user=cast.alice, module=module, submitted_at__isnull=True)
    response = client.post(
        reverse("training:quiz", args=[module.public_id]),
        _form(second, _right(module, second)),
    )
    second.refresh_from_db()
    assert second.passed and second.score == 100
    certificate = Certificate.objects.get(user=cast.alice, module=module)
    assert certificate.holder_name == "Alice Stockholm"
    assert certificate.region.county_code == "01"
    # The answers of an attempt never count twice
    assert services.submit_attempt(attempt=second, answers={}, acting_user=cast.alice).passed


def test_certificate_pdf_text_and_verification_page(package, cast, client):
    from pypdf import PdfReader

    module = package["why-sustainable-procurement"]
    attempt = services.start_attempt(user=cast.bob, module=module)
    services.submit_attempt(attempt=attempt, answers=_right(module, attempt), acting_user=cast.bob)
    certificate = Certificate.objects.get(user=cast.bob)
    client.force_login(cast.bob)
    response = client.get(reverse("training:certificate", args=[certificate.public_id]))
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = re.sub(r"\s+", " ", text)
    assert "Bob Jämtland" in text
    assert module.title_sv in text
    assert certificate.code in text
    assert "Region Jämtland Härjedalen" in text
    # Someone else may not download it
    client.force_login(cast.alice)
    assert (
        client.get(reverse("training:certificate", args=[certificate.public_id])).status_code == 404
    )
    # The public page confirms it with the name, module and date only
    client.logout()
    page = client.get(reverse("training:verify", args=[certificate.code])).content.decode()
    assert "Bob Jämtland" in page and module.title_sv in page
    assert "Region Jämtland Härjedalen" not in page
    assert "bob" not in page.split("<main", 1)[1].lower().replace("bob jämtland", "")
    assert client.get(reverse("training:verify", args=["NOPE-NOPE-NOPE"])).status_code == 404


@pytest.mark.parametrize(
    ("language", "day", "version"),
    [("en", "March 5, 2026", "version 1"), ("sv", "5 mars 2026", "version 1")],
)
def test_certificate_pdf_renders_to_an_image(package, cast, tmp_path, language, day, version):
    """Render the PDF to an image with pdftoppm (required: CI installs poppler-utils), check the
    image is not blank, and read its text with pypdf."""
    import shutil
    import subprocess

    from PIL import Image
    from pypdf import PdfReader

    from hallbar.training.certificates import certificate_pdf

    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm, "pdftoppm (poppler-utils) is required to check the certificate"
    module = package["code-of-conduct"]
    attempt = services.start_attempt(user=cast.alice, module=module)
    services.submit_attempt(
        attempt=attempt, answers=_right(module, attempt), acting_user=cast.alice
    )
    certificate = Certificate.objects.get(user=cast.alice)
    certificate.issued_on = date(2026, 3, 5)
    certificate.save(update_fields=["issued_on"])
    pdf = certificate_pdf(certificate, language=language, base_url="https://hallbar.example/")
    path = tmp_path / "c.pdf"
    path.write_bytes(pdf)
    subprocess.run([pdftoppm, "-png", "-r", "50", str(path), str(tmp_path / "p")], check=True)
    pngs = sorted(tmp_path.glob("p*.png"))
    assert len(pngs) == 1  # one page
    with Image.open(pngs[0]) as image:
        assert image.width > image.height  # landscape A4
        grey = image.convert("L")
        low, high = grey.getextrema()
        assert low < 100 < high  # dark text on a light page
        dark = sum(grey.histogram()[:128]) / (grey.width * grey.height)
        assert 0.002 < dark < 0.5, dark  # some text, not an empty or a black page
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    text = re.sub(r"\s+", " ", text)
    assert "Alice Stockholm" in text
    assert module.title_in(language) in text
    assert f"{module.title_in(language)}, {version}" in text
    assert day in text
    assert certificate.code in text
    assert "https://hallbar.example/training/verify/" in text


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "#1f5f8b").save(buffer, format="PNG")
    return buffer.getvalue()


PNG = _png()


def test_images_are_validated_and_served(package, cast, client):
    draft = services.start_new_version(package["code-of-conduct"], acting_user=cast.secretariat)
    with pytest.raises(ValidationError):
        services.upload_image(
            module=draft, name="x.png", data=b"<svg onload=1>", acting_user=cast.secretariat
        )
    with pytest.raises(ValidationError):
        services.upload_image(
            module=draft, name="x.png", data=b"\x89PNG\r\n\x1a\nbroken", acting_user=None
        )
    with pytest.raises(ValidationError):
        services.upload_image(
            module=draft, name="big.png", data=PNG + b"0" * (3 * 1024 * 1024), acting_user=None
        )
    image = services.upload_image(
        module=draft, name="bild.png", data=PNG, acting_user=cast.secretariat
    )
    client.force_login(cast.secretariat)
    response = client.get(reverse("training:image", args=[image.public_id]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    # A draft's images show only to the secretariat
    client.force_login(cast.alice)
    assert client.get(reverse("training:image", args=[image.public_id])).status_code == 404
    assert LessonImage.objects.filter(module=draft).count() == 1  # the refused ones not kept


def test_versions_draft_published_superseded(package, cast):
    published = package["risk-analysis"]
    draft = services.start_new_version(published, acting_user=cast.secretariat)
    assert draft.version == 2 and draft.status == ModuleStatus.DRAFT
    assert draft.lessons.count() == published.lessons.count()
    assert draft.questions.count() == published.questions.count()
    assert services.start_new_version(published, acting_user=cast.secretariat) == draft
    with pytest.raises(ValidationError):
        services.publish_module(module=draft, change_note=" ", acting_user=cast.secretariat)
    services.publish_module(module=draft, change_note="Ny lektion.", acting_user=cast.secretariat)
    versions = dict(Module.objects.filter(key="risk-analysis").values_list("version", "status"))
    assert versions == {1: ModuleStatus.SUPERSEDED, 2: ModuleStatus.PUBLISHED}
    with pytest.raises(ValidationError):
        services.save_module(module=Module.objects.get(pk=published.pk), acting_user=None)


def _prioritised_contract(cast, *, area_class: str):
    """An active Stockholm contract registered by alice in a category prioritised this year,
    whose approved analysis classes workers' rights as area_class."""
    year = timezone.localdate().year
    category = Category.objects.earliest("pk")
    CategoryPrioritisation.objects.get_or_create(
        category=category, first_year=year - 1, defaults={"last_year": year + 1}
    )
    RiskAnalysis.objects.create(
        category=category,
        version=1,
        status=RiskAnalysis.Status.APPROVED,
        approved_at=timezone.now(),
        change_note="test",
        judgements={},
        countries=[{"country": "MY", "weight": 1}],
        results={"areas": {"wr": {"class": area_class, "risk": 20}, "hr": {"class": "low"}}},
    )
    stockholm = Region.objects.get(county_code="01")
    supplier = Supplier.objects.create(name="Handske AB", country="SE", other_id="H-1")
    contract = Contract.objects.create(
        reference="TRAIN-1",
        title="Undersökningshandskar",
        lead_region=stockholm,
        supplier=supplier,
        category=category,
        annual_value_sek=1000,
        start_date=date(year - 1, 1, 1),
        status=Contract.Status.ACTIVE,
        created_by=cast.alice,
    )
    contract.regions.add(stockholm)
    return contract


def test_contract_contact_is_assigned_the_high_risk_area_modules(package, cast):
    contract = _prioritised_contract(cast, area_class="high")
    created = services.sync_assignments()
    assignment = Assignment.objects.get(user=cast.alice)
    # code-of-conduct deepens workers' rights; the general modules are not assigned this way
    assert assignment.module_key == "code-of-conduct"
    assert assignment.source == Assignment.Source.CONTRACT and assignment.contract == contract
    assert created == 1
    assert services.sync_assignments() == 0  # idempotent
    # Stockholm's contact sees the contract as handled by someone not yet trained
    rows = selectors.untrained_contracts(Region.objects.filter(county_code="01"))
    assert [r.contract_reference for r in rows] == ["TRAIN-1"]
    assert selectors.untrained_contracts(Region.objects.filter(county_code="23")) == []


def test_no_automatic_assignment_without_a_high_risk_area(package, cast):
    _prioritised_contract(cast, area_class="medium")
    assert services.sync_assignments() == 0
    stockholm = Region.objects.filter(county_code="01")
    assert selectors.untrained_contracts(stockholm) == []
    # a module assigned to the contact's role and not completed lists the contract too
    services.assign_to_role(
        module_key="contract-clause",
        role=Role.BUYER,
        due_date=date(2030, 1, 1),
        acting_user=cast.secretariat,
    )
    rows = selectors.untrained_contracts(stockholm)
    assert [(r.contract_reference, [m.key for m in r.modules]) for r in rows] == [
        ("TRAIN-1", ["contract-clause"])
    ]
    module = package["contract-clause"]
    attempt = services.start_attempt(user=cast.alice, module=module)
    services.submit_attempt(
        attempt=attempt, answers=_right(module, attempt), acting_user=cast.alice
    )
    assert selectors.untrained_contracts(stockholm) == []


def test_role_assignment_overdue_and_one_reminder(package, cast):
    today = timezone.localdate()
    services.assign_to_role(
        module_key="contract-clause",
        role=Role.BUYER,
        due_date=today - timedelta(days=1),
        acting_user=cast.secretariat,
    )
    assert {a.user for a in Assignment.objects.all()} >= {cast.alice, cast.bob}
    assert [a.module_key for a in selectors.overdue_assignments_for(cast.alice)] == [
        "contract-clause"
    ]
    assert selectors.overdue_assignments_for(cast.contact_jamtland) == []
    assert [a.module_key for a in selectors.open_assignments_for(cast.bob)] == ["contract-clause"]
    with pytest.raises(ValidationError):
        services.assign_to_role(
            module_key="nope", role=Role.BUYER, due_date=today, acting_user=cast.secretariat
        )
    # bob completes it: only alice is reminded, once
    module = package["contract-clause"]
    attempt = services.start_attempt(user=cast.bob, module=module)
    services.submit_attempt(attempt=attempt, answers=_right(module, attempt), acting_user=cast.bob)
    mail.outbox.clear()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.db.transaction.on_commit", lambda f, *a, **k: f())
        assert services.send_overdue_reminders() == 1
        assert services.send_overdue_reminders() == 0
    assert [m.to for m in mail.outbox] == [[cast.alice.email]]
    assert selectors.overdue_assignments_for(cast.bob) == []


def test_supplier_module_offered_only_with_an_open_followup(package, cast):
    from hallbar.demo.testing import requirement_library
    from hallbar.followups.models import FollowUp
    from hallbar.followups.states import State
    from hallbar.requirements.models import ContractClause

    requirement_library()
    organisation = cast.charlie.memberships.get().organisation
    supplier = Supplier.objects.create(
        name=organisation.name, country="SE", other_id="MEDI-1", organisation=organisation
    )
    followup = FollowUp.objects.create(
        reference="UF-T-1",
        year=timezone.localdate().year,
        supplier=supplier,
        lead_region=Region.objects.get(county_code="01"),
        clause=ContractClause.objects.exclude(status="draft").first(),
        status=State.PLANNED,
    )
    # A planned case is not yet the supplier's: nothing is offered
    assert selectors.supplier_module_offer(cast.charlie) == []
    FollowUp.objects.filter(pk=followup.pk).update(status=State.SENT)
    offered = selectors.supplier_module_offer(cast.charlie)
    # the modules written for suppliers: the Code of Conduct and the supplier's own
    assert [m.key for m in offered] == ["code-of-conduct", "supplier-portal"]
    assert offered[1].title_in("en") == "What a supplier must do, and the portal"
    # not to another company's contact, nor to a buyer
    assert selectors.supplier_module_offer(cast.dave) == []
    assert selectors.supplier_module_offer(cast.alice) == []
    # and no longer once completed
    module = package["supplier-portal"]
    attempt = services.start_attempt(user=cast.charlie, module=module)
    services.submit_attempt(
        attempt=attempt, answers=_right(module, attempt), acting_user=cast.charlie
    )
    assert [m.key for m in selectors.supplier_module_offer(cast.charlie)] == ["code-of-conduct"]
    FollowUp.objects.filter(pk=followup.pk).update(status=State.CLOSED)
    assert selectors.supplier_module_offer(cast.charlie) == []


def test_participation_per_region_role_module_and_report(package, cast, client):
    services.assign_to_role(
        module_key="why-sustainable-procurement",
        role=Role.BUYER,
        due_date=timezone.localdate() + timedelta(days=10),
        acting_user=cast.secretariat,
    )
    module = package["why-sustainable-procurement"]
    attempt = services.start_attempt(user=cast.bob, module=module)
    services.submit_attempt(attempt=attempt, answers=_right(module, attempt), acting_user=cast.bob)
    rows = {r.region.county_code: r for r in selectors.participation(Region.objects.all())}
    jamtland = rows["23"].cells[(Role.BUYER, module.key)]
    assert (jamtland.people, jamtland.completed) == (1, 1)
    stockholm = rows["01"].cells[(Role.BUYER, module.key)]
    assert (stockholm.people, stockholm.completed) == (1, 0)
    assert (rows["23"].assigned, rows["23"].assigned_completed) == (1, 1)
    # The region contact sees only its region; the secretariat all regions with a chart
    client.force_login(cast.contact_jamtland)
    page = client.get(reverse("training:participation")).content.decode()
    assert "Region Jämtland Härjedalen" in page and "Region Stockholm" not in page
    assert "<svg" not in page
    client.force_login(cast.secretariat)
    page = client.get(reverse("training:participation")).content.decode()
    assert "Region Stockholm" in page and "<svg" in page
    csv = client.get(reverse("training:participation") + "?format=csv").content.decode()
    assert "Region Jämtland Härjedalen" in csv
    xlsx = client.get(reverse("training:participation") + "?format=xlsx")
    assert xlsx.content.startswith(b"PK")
    # The command reports the year
    out = io.StringIO()
    call_command("training_report", year=timezone.localdate().year, format="json", stdout=out)
    data = json.loads(out.getvalue())
    row = next(
        r
        for r in data["rows"]
        if r["county_code"] == "23" and r["role"] == "buyer" and r["module_key"] == module.key
    )
    assert (row["people"], row["completed"]) == (1, 1)
    out = io.StringIO()
    call_command("training_report", year=2000, format="csv", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("region,county_code,role,module")
    assert all(line.endswith(",0") for line in lines[1:])


def test_nobody_and_outsiders_see_no_participation(package, cast, client):
    for user in (cast.alice, cast.charlie, cast.auditor, cast.nobody):
        client.force_login(user)
        assert client.get(reverse("training:participation")).status_code == 404
    client.force_login(cast.nobody)
    assert client.get(reverse("training:index")).status_code == 404


def test_secretariat_writes_a_module_from_the_pages(cast, client):
    client.force_login(cast.secretariat)
    response = client.post(
        reverse("training:module-create"),
        {
            "key": "gloves",
            "title_sv": "Handskar",
            "title_en": "Gloves",
            "summary_sv": "Om handskar.",
            "summary_en": "About gloves.",
            "audiences": ["buyer", "contract_manager"],
            "areas": ["wr"],
            "pass_mark": 50,
            "questions_per_attempt": 1,
            "retake_wait_minutes": 0,
            "order": 1,
        },
    )
    module = Module.objects.get(key="gloves")
    assert response.status_code == 302 and module.status == ModuleStatus.DRAFT
    # an image, then a lesson that shows it and a hostile line
    client.post(
        reverse("training:image-upload", args=[module.public_id]),
        {"image": SimpleUploadedFile("g.png", PNG, content_type="image/png")},
    )
    image = module.images.get()
    client.post(
        reverse("training:lesson-create", args=[module.public_id]),
        {
            "position": 1,
            "title_sv": "Risker",
            "title_en": "Risks",
            "body_sv": f"Text ![Handske]({reverse('training:image', args=[image.public_id])}) "
            "<script>alert(1)</script>",
            "body_en": "Text",
        },
    )
    assert module.lessons.count() == 1
    # a question needs exactly one right option when it has one right answer
    question = {
        "kind": "single",
        "text_sv": "Vilket?",
        "text_en": "Which?",
        "options": "* Ja | Yes\n* Nej | No",
    }
    response = client.post(reverse("training:question-create", args=[module.public_id]), question)
    assert response.status_code == 200 and not module.questions.exists()
    question["options"] = "* Ja | Yes\nNej | No"
    client.post(reverse("training:question-create", args=[module.public_id]), question)
    assert module.questions.get().options.filter(is_correct=True).count() == 1
    client.post(reverse("training:module-publish", args=[module.public_id]), {"change_note": "Ny."})
    module.refresh_from_db()
    assert module.status == ModuleStatus.PUBLISHED and module.change_note == "Ny."
    # a buyer reads the lesson with its image and without the script
    client.force_login(cast.alice)
    page = client.get(reverse("training:lesson", args=[module.public_id, 1])).content.decode()
    assert f'<img src="{reverse("training:image", args=[image.public_id])}" alt="Handske">' in page
    assert "alert(1)" not in page
    assert client.get(reverse("training:image", args=[image.public_id])).status_code == 200
    # and may not change the module
    assert client.get(reverse("training:manage")).status_code == 404


def test_reminder_command(package, cast):
    from hallbar.training.models import RoleAssignment

    RoleAssignment.objects.create(
        module_key="contract-clause", role=Role.BUYER, due_date=date(2020, 1, 1)
    )
    out = io.StringIO()
    call_command("training_reminders", stdout=out)
    assert Assignment.objects.filter(reminded_at__isnull=False).count() == 2  # alice and bob
    call_command("training_reminders", stdout=out)
    assert out.getvalue().splitlines()[-1].endswith("0 reminders sent.")


def test_region_page_shows_training_to_who_may_see_participation(package, cast, client):
    services.assign_to_role(
        module_key="contract-clause",
        role=Role.BUYER,
        due_date=date(2030, 1, 1),
        acting_user=cast.secretariat,
    )
    url = reverse("organisations:region-detail", args=["23"])
    for user, shown in ((cast.contact_jamtland, True), (cast.secretariat, True), (cast.bob, False)):
        client.force_login(user)
        page = client.get(url).content.decode()
        assert (reverse("training:participation") in page) is shown, user
    client.force_login(cast.contact_jamtland)
    page = client.get(reverse("organisations:region-detail", args=["01"])).content.decode()
    assert reverse("training:participation") not in page


def test_reminder_is_in_the_recipients_language_with_an_absolute_link(package, cast, settings):
    settings.HALLBAR_BASE_URL = "https://hallbar.example"
    cast.alice.language = "en"
    cast.alice.save(update_fields=["language"])
    services.assign_to_role(
        module_key="contract-clause",
        role=Role.BUYER,
        due_date=date(2020, 3, 5),
        acting_user=cast.secretariat,
    )
    module = package["contract-clause"]
    mail.outbox.clear()
    out = io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.db.transaction.on_commit", lambda f, *a, **k: f())
        call_command("training_reminders", stdout=out)
    sent = {m.to[0]: m for m in mail.outbox}
    english = sent[cast.alice.email]
    assert english.subject == f"Training overdue: {module.title_en}"
    assert module.title_en in english.body and module.title_sv not in english.body
    assert "March 5, 2020" in english.body
    link = f"https://hallbar.example/training/modules/{module.public_id}/"
    assert link in english.body
    swedish = sent[cast.bob.email]
    assert module.title_sv in swedish.subject and module.title_en not in swedish.body
    assert "5 mars 2020" in swedish.body and link in swedish.body


def test_a_lessons_image_shows_after_a_new_version_is_published(package, cast, client):
    # Given a draft module with an uploaded image that a lesson shows, published as version 1
    v1 = services.start_new_version(package["risk-analysis"], acting_user=cast.secretariat)
    image = services.upload_image(
        module=v1, name="bild.png", data=PNG, acting_user=cast.secretariat
    )
    lesson = v1.lessons.get(position=1)
    url = reverse("training:image", args=[image.public_id])
    lesson.body_sv += f"\n\n![Bild]({url})"
    lesson.body_en += f"\n\n![Image]({url})"
    services.save_lesson(lesson=lesson, acting_user=cast.secretariat)
    services.publish_module(module=v1, change_note="Bild.", acting_user=cast.secretariat)
    # When a new version is started and published (v1 superseded)
    v2 = services.start_new_version(v1, acting_user=cast.secretariat)
    services.publish_module(module=v2, change_note="Ny version.", acting_user=cast.secretariat)
    # Then a learner reading the published lesson sees an image that loads
    client.force_login(cast.alice)
    for language, alt in (("sv", "Bild"), ("en", "Image")):
        client.cookies["django_language"] = language
        page = client.get(reverse("training:lesson", args=[v2.public_id, 1])).content.decode()
        sources = re.findall(rf'<img src="([^"]+)" alt="{alt}">', page)
        assert len(sources) == 1, page
        assert sources[0] != url  # the new version's own copy
        response = client.get(sources[0])
        assert response.status_code == 200 and response["Content-Type"] == "image/png"
    # and the superseded version's image is no longer shown to learners
    assert client.get(url).status_code == 404


def test_a_half_right_multiple_choice_answer_scores_as_wrong(package, cast):
    module = package["planning-follow-up"]
    question = module.questions.get(text_en="When does another organisation's follow-up count?")
    right = sorted(question.options.filter(is_correct=True).values_list("pk", flat=True))
    assert len(right) == 3
    attempt = Attempt.objects.create(
        user=cast.alice,
        module=module,
        draw=[
            {"question": question.pk, "options": [o.pk for o in question.options.all()]},
        ],
    )
    assert services.score_answers(attempt, {str(question.pk): right[:2]}) == 0
    wrong = question.options.filter(is_correct=False).values_list("pk", flat=True)[0]
    assert services.score_answers(attempt, {str(question.pk): [*right, wrong]}) == 0
    assert services.score_answers(attempt, {str(question.pk): right}) == 100


def test_the_secretariat_lists_edits_and_deletes_a_drafts_questions(package, cast, client):
    draft = services.start_new_version(package["contract-clause"], acting_user=cast.secretariat)
    question = draft.questions.get(text_en="What is PR3 about?")
    client.force_login(cast.secretariat)
    page = client.get(reverse("training:questions", args=[draft.public_id])).content.decode()
    assert "Vad handlar PR3 om?" in page and "What is PR3 about?" in page
    for option in question.options.all():
        assert option.text_en in page
    edit_url = reverse("training:question-edit", args=[draft.public_id, question.public_id])
    form = client.get(edit_url).content.decode()
    assert "* Att upphöra med, förebygga och begränsa negativ påverkan | To cease" in form
    # An edit that breaks the rule of one right answer is refused
    data = {
        "kind": "single",
        "text_sv": "Vad kräver PR3?",
        "text_en": "What does PR3 require?",
        "options": "* Upphöra med, förebygga och begränsa | Cease, prevent and mitigate\n"
        "* Policy | Policy",
    }
    assert client.post(edit_url, data).status_code == 200
    data["options"] = (
        "Policy | Policy\n* Upphöra med, förebygga och begränsa | Cease, prevent and mitigate"
    )
    assert client.post(edit_url, data).status_code == 302
    question.refresh_from_db()
    assert question.text_en == "What does PR3 require?"
    assert [(o.text_en, o.is_correct) for o in question.options.all()] == [
        ("Policy", False),
        ("Cease, prevent and mitigate", True),
    ]
    # Deleting asks first, then deletes
    delete_url = reverse("training:question-delete", args=[draft.public_id, question.public_id])
    assert "What does PR3 require?" not in client.get(delete_url).content.decode()  # sv page
    assert draft.questions.filter(pk=question.pk).exists()
    assert client.post(delete_url).status_code == 302
    assert not draft.questions.filter(pk=question.pk).exists()
    # A published module's questions are not changed; nor by a buyer
    published = package["risk-analysis"]
    other = published.questions.first()
    for url in (
        reverse("training:questions", args=[published.public_id]),
        reverse("training:question-edit", args=[published.public_id, other.public_id]),
        reverse("training:question-delete", args=[published.public_id, other.public_id]),
    ):
        assert client.get(url).status_code == 404
    client.force_login(cast.alice)
    assert client.get(reverse("training:questions", args=[draft.public_id])).status_code == 404


def test_a_drawn_question_cannot_be_changed(package, cast):
    draft = services.start_new_version(package["contract-clause"], acting_user=cast.secretariat)
    attempt = services.start_attempt(user=cast.secretariat, module=draft)
    question = draft.questions.get(pk=attempt.draw[0]["question"])
    with pytest.raises(ValidationError):
        services.delete_question(question=question, acting_user=cast.secretariat)
