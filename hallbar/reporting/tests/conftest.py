"""A small world whose every figure is known by construction (YEAR is last year, so that every
deadline in it has passed and today's traffic lights are settled).

Contracts (category "Testkategori", prioritised in YEAR only):
- A-1: Medisupply, joint procurement of Stockholm (01) and Jämtland (23), current clause
- B-1: Globex, Jämtland only, no clause
- S-1: Medisupply, Skåne (12) only, in a category not prioritised

Cases:
- case_1 (YEAR, self-assessment, Stockholm leads, A-1): sent, answered, published, closed;
  its office audit was performed. Own cost 10 000 + audit 5 000. Deviation d1: workers' rights,
  PR3, CONFIDENTIAL, at the Malaysian site, found 1 March, closed out 11 March (10 days).
- case_2 (YEAR, factory audit, Jämtland leads, B-1): open (deviations found). Own cost 20 000 +
  factory audit (reported) 30 000. Deviation d2: environment, no process requirement, found
  1 December, action plan due 31 December (passed: Globex is red), no site.
- case_3 (YEAR - 1, Stockholm leads, A-1, closed): deviation d3 found 20 December YEAR - 1,
  closed out 9 January YEAR (20 days): found in the earlier year, closed out in YEAR.
- case_4 (YEAR, Skåne leads, S-1): cancelled, own cost 99 999 (never counted in costs).

Remedy: d1 verified 40 people and 12 000,50 kr (delivered in June); d1 reported only, 100
people (never counts); d2 verified 5 people, 0 kr (November); d2 verified 7 people delivered on
2 January YEAR + 1 (counts in the next year).

Approved plan of YEAR: a self-assessment (participating 01, 23), an office audit (23) and a
factory audit (23); a proposed plan of YEAR with one more item does not count.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from hallbar.categories.models import Category, CategoryPrioritisation
from hallbar.contracts.models import Contract
from hallbar.demo.national import AUDIT_FIRM, SUPPLIER_A, SUPPLIER_B
from hallbar.demo.testing import Cast, requirement_library
from hallbar.followups.models import (
    Audit,
    Deviation,
    FollowUp,
    Questionnaire,
    Remedy,
    Response,
)
from hallbar.organisations.models import Organisation, Region
from hallbar.planning.models import FollowUpPlan, PlanItem
from hallbar.requirements.models import ContractClause
from hallbar.suppliers.models import ProductionSite, Supplier

YEAR = timezone.localdate().year - 1


@dataclass
class World:
    cast: Cast
    stockholm: Region
    jamtland: Region
    skane: Region
    case_1: FollowUp
    case_2: FollowUp
    d1: Deviation
    d2: Deviation


def _aware(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=timezone.get_current_timezone())


def _contract(reference, supplier, regions, category, clause):
    contract = Contract.objects.create(
        reference=reference,
        title="Handskar",
        lead_region=regions[0],
        supplier=supplier,
        category=category,
        annual_value_sek=Decimal("1000000"),
        start_date=date(YEAR - 2, 1, 1),
        status="active",
        clause=clause,
        clause_level="basic" if clause else "",
    )
    contract.regions.set(regions)
    return contract


def _case(reference, year, supplier, lead, contracts, clause, **fields):
    case = FollowUp.objects.create(
        reference=reference, year=year, supplier=supplier, lead_region=lead, clause=clause, **fields
    )
    case.contracts.set(contracts)
    return case


def _deviation(case, number, **fields):
    defaults = {"severity": "major", "description": "Beskrivning", "source": "audit"}
    return Deviation.objects.create(followup=case, number=number, **{**defaults, **fields})


def build_world(cast: Cast) -> World:
    requirement_library()
    clause = ContractClause.objects.published().get()
    pr3 = clause.process_requirements.get(number=3)
    stockholm, jamtland, skane = (Region.objects.get(county_code=c) for c in ("01", "23", "12"))
    firm = Organisation.objects.get(name=AUDIT_FIRM)
    prioritised = Category.objects.create(
        slug="testkategori", name_sv="Testkategori", name_en="Test"
    )
    CategoryPrioritisation.objects.create(category=prioritised, first_year=YEAR, last_year=YEAR)
    other = Category.objects.create(slug="annan", name_sv="Annan", name_en="Other")
    medisupply = Supplier.objects.create(
        name=SUPPLIER_A, country="SE", organisation=Organisation.objects.get(name=SUPPLIER_A)
    )
    globex = Supplier.objects.create(
        name=SUPPLIER_B, country="GB", organisation=Organisation.objects.get(name=SUPPLIER_B)
    )
    third = Supplier.objects.create(name="Tredje AB", country="SE")
    site = ProductionSite.objects.create(
        supplier=medisupply, name="Klang Glove Factory", country="MY", tier=1
    )
    a1 = _contract("A-1", medisupply, [stockholm, jamtland], prioritised, clause)
    b1 = _contract("B-1", globex, [jamtland], prioritised, None)
    s1 = _contract("S-1", medisupply, [skane], other, clause)

    case_1 = _case(
        "UF-1",
        YEAR,
        medisupply,
        stockholm,
        [a1],
        clause,
        status="closed",
        cost_sek=10_000,
        sent_at=_aware(date(YEAR, 2, 1)),
        published_at=_aware(date(YEAR, 5, 1)),
        closed_at=_aware(date(YEAR, 5, 1)),
    )
    questionnaire = Questionnaire.objects.create(
        clause=clause, level="basic", version=99, title="Enkät"
    )
    Response.objects.create(
        followup=case_1,
        questionnaire=questionnaire,
        status="submitted",
        submitted_at=_aware(date(YEAR, 2, 20)),
    )
    Audit.objects.create(
        followup=case_1, kind="office", status="performed", firm=firm, cost_sek=5_000
    )
    d1 = _deviation(
        case_1,
        1,
        requirement=pr3,
        area="workers_rights",
        confidential=True,
        site=site,
        found_on=date(YEAR, 3, 1),
        plan_due=date(YEAR, 4, 1),
        status="remedied",
        closed_out_on=date(YEAR, 3, 11),
    )
    case_2 = _case(
        "UF-2",
        YEAR,
        globex,
        jamtland,
        [b1],
        clause,
        followup_type="factory_audit",
        status="deviations",
        cost_sek=20_000,
    )
    Audit.objects.create(
        followup=case_2, kind="factory", status="reported", firm=firm, cost_sek=30_000
    )
    Audit.objects.create(followup=case_2, kind="office", status="assigned", firm=firm)
    d2 = _deviation(
        case_2,
        1,
        commitment="Utsläpp till vatten",
        area="environment",
        found_on=date(YEAR, 12, 1),
        plan_due=date(YEAR, 12, 31),
    )
    case_3 = _case("UF-0", YEAR - 1, medisupply, stockholm, [a1], clause, status="closed")
    _deviation(
        case_3,
        1,
        requirement=pr3,
        area="human_rights",
        found_on=date(YEAR - 1, 12, 20),
        plan_due=date(YEAR, 1, 20),
        status="remedied",
        closed_out_on=date(YEAR, 1, 9),
    )
    _case("UF-4", YEAR, medisupply, skane, [s1], clause, status="cancelled", cost_sek=99_999)

    verified = {
        "status": "verified",
        "verification": "Intervjuer",
        "verified_on": date(YEAR, 12, 1),
    }
    Remedy.objects.create(
        deviation=d1,
        description="Rekryteringsavgifter återbetalda",
        people_reached=40,
        amount_repaid_sek=Decimal("12000.50"),
        delivered_on=date(YEAR, 6, 1),
        **verified,
    )
    Remedy.objects.create(
        deviation=d1, description="Rapporterad", people_reached=100, delivered_on=date(YEAR, 6, 2)
    )
    Remedy.objects.create(
        deviation=d2,
        description="Rening",
        people_reached=5,
        delivered_on=date(YEAR, 11, 1),
        **verified,
    )
    Remedy.objects.create(
        deviation=d2,
        description="Nästa år",
        people_reached=7,
        delivered_on=date(YEAR + 1, 1, 2),
        **verified,
    )

    approved = FollowUpPlan.objects.create(
        year=YEAR, status="approved", budget_sek=1_000_000, approved_at=_aware(date(YEAR, 1, 15))
    )
    proposed = FollowUpPlan.objects.create(year=YEAR, status="proposed", budget_sek=1_000_000)
    item = {"lead_region": stockholm, "cost_sek": 10_000, "exposure": 1.0, "covered": 1.0}
    PlanItem.objects.create(
        plan=approved,
        supplier=medisupply,
        followup_type="self_assessment",
        participating=["01", "23"],
        **item,
    )
    PlanItem.objects.create(
        plan=approved, supplier=globex, followup_type="office_audit", participating=["23"], **item
    )
    PlanItem.objects.create(
        plan=approved, supplier=third, followup_type="factory_audit", participating=["23"], **item
    )
    PlanItem.objects.create(
        plan=proposed, supplier=third, followup_type="office_audit", participating=["01"], **item
    )
    return World(cast, stockholm, jamtland, skane, case_1, case_2, d1, d2)


@pytest.fixture
def world(cast) -> World:
    return build_world(cast)


@pytest.fixture
def data_dir(settings, tmp_path):
    """Keep the generated reports of one test in its own directory."""
    settings.DATA_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return tmp_path
