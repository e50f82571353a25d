"""A small world for follow-up tests: the cast, the requirement library, two suppliers with
contracts in a few regions, and helpers to move a case along."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from hallbar.categories.models import Category
from hallbar.contracts.models import Contract
from hallbar.demo.national import AUDIT_FIRM, SUPPLIER_A, SUPPLIER_B
from hallbar.demo.testing import Cast, requirement_library
from hallbar.followups import services
from hallbar.followups.models import FollowUp
from hallbar.organisations.models import Organisation, Region
from hallbar.requirements.models import ContractClause
from hallbar.suppliers.models import ProductionSite, Supplier

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str = "policy.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture(autouse=True)
def _english_messages():
    """Service messages are checked in English; pages are tested in both languages elsewhere."""
    with translation.override("en"):
        yield


@dataclass
class World:
    cast: Cast
    clause: ContractClause
    supplier_a: Supplier
    supplier_b: Supplier
    site_a1: ProductionSite
    site_a2: ProductionSite  # a tier-2 sub-supplier
    contract_a: Contract  # joint: Stockholm (lead) and Jämtland
    contract_b: Contract  # Jämtland
    firm: Organisation
    stockholm: Region
    jamtland: Region
    skane: Region


@pytest.fixture
def world(cast, settings, tmp_path) -> World:
    settings.DATA_DIR = tmp_path
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return build_world(cast)


def build_world(cast: Cast) -> World:
    """Make the world's rows around the cast (the `world` fixture; test_one_gate.py builds it
    once for its module)."""
    requirement_library()
    clause = ContractClause.objects.published().get()
    regions = {c: Region.objects.get(county_code=c) for c in ("01", "23", "12")}
    category = Category.objects.get(slug="general-consumables")
    supplier_a = Supplier.objects.create(
        name=SUPPLIER_A,
        country="SE",
        org_number="5560000001",
        organisation=Organisation.objects.get(name=SUPPLIER_A),
        dd_contact_email="dd@medisupply.example",
    )
    supplier_b = Supplier.objects.create(
        name=SUPPLIER_B,
        country="GB",
        other_id="GLOBEX-1",
        organisation=Organisation.objects.get(name=SUPPLIER_B),
    )
    site_a1 = ProductionSite.objects.create(
        supplier=supplier_a, name="Klang Glove Factory", country="MY", products="handskar", tier=1
    )
    site_a2 = ProductionSite.objects.create(
        supplier=supplier_a, name="Hat Yai Latex Co", country="TH", products="latex", tier=2
    )
    contract_a = _contract(
        supplier_a, regions["01"], [regions["01"], regions["23"]], category, clause
    )
    contract_b = _contract(supplier_b, regions["23"], [regions["23"]], category, clause, "B-1")
    _contract(supplier_a, regions["12"], [regions["12"]], category, clause, "S-1", status="expired")
    return World(
        cast=cast,
        clause=clause,
        supplier_a=supplier_a,
        supplier_b=supplier_b,
        site_a1=site_a1,
        site_a2=site_a2,
        contract_a=contract_a,
        contract_b=contract_b,
        firm=Organisation.objects.get(name=AUDIT_FIRM),
        stockholm=regions["01"],
        jamtland=regions["23"],
        skane=regions["12"],
    )


def _contract(supplier, lead, regions, category, clause, reference="A-1", status="active"):
    contract = Contract.objects.create(
        reference=reference,
        title="Handskar",
        lead_region=lead,
        supplier=supplier,
        category=category,
        annual_value_sek=Decimal("1000000"),
        start_date=date(2024, 1, 1),
        status=status,
        clause=clause,
        clause_level="advanced" if reference == "A-1" else "basic",
    )
    contract.regions.set(regions)
    return contract


def open_case(world: World, supplier=None, **options) -> FollowUp:
    return services.open_followup(
        supplier=supplier or world.supplier_a,
        year=timezone.localdate().year,
        followup_type=options.pop("followup_type", "self_assessment"),
        lead_region=options.pop("lead_region", world.stockholm),
        acting_user=world.cast.secretariat,
        **options,
    )


def answer_all(followup: FollowUp, user, *, submit=True):
    """Answer every question (yes / text / 3 / first choice) with evidence where required."""
    questions = list(followup.response.questionnaire.questions.all())
    answers = {}
    uploads = []
    for q in questions:
        answers[q.pk] = {
            "yes_no": "yes",
            "text": "Vi har en policy.",
            "number": "3",
            "choice": q.choices[0] if q.choices else "",
            "file": "",
        }[q.kind]
        if q.evidence_required:
            uploads.append((q.pk, pdf(f"evidence-{q.position}.pdf"), date(2025, 1, 10), False))
    return services.save_answers(
        followup, answers=answers, uploads=uploads, submit=submit, acting_user=user
    )


def to_assessed(world: World, followup: FollowUp, verdict="approved") -> FollowUp:
    services.send_self_assessment(followup, acting_user=world.cast.secretariat)
    followup.refresh_from_db()
    answer_all(followup, world.cast.charlie)
    followup.refresh_from_db()
    verdicts = {
        r.pk: (verdict if r.number == 1 else "approved", "Saknas rutin.")
        for r in followup.clause.process_requirements.all()
    }
    services.assess(followup, verdicts=verdicts, acting_user=world.cast.alice)
    followup.refresh_from_db()
    return followup


def record(world, followup, **options):
    requirement = followup.clause.process_requirements.get(number=options.pop("pr", 1))
    return services.record_deviation(
        followup,
        acting_user=options.pop("user", world.cast.alice),
        requirement=requirement,
        area=options.pop("area", "workers_rights"),
        severity=options.pop("severity", "major"),
        description=options.pop("description", "Ingen riskanalys av leverantörskedjan."),
        source=options.pop("source", "assessment"),
        **options,
    )


def later(days: int) -> date:
    return timezone.localdate() + timedelta(days=days)
