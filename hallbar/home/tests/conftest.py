"""The follow-up tests' small world, reused for the start pages, and a world of work in it where
each cast member's open items are known."""

from datetime import date
from decimal import Decimal

import pytest

from hallbar.contracts.models import Contract
from hallbar.core.models import ImportJob
from hallbar.followups import services
from hallbar.followups.models import FollowUp
from hallbar.followups.tests.conftest import (  # noqa: F401 - shared fixtures
    _english_messages,
    later,
    open_case,
    record,
    to_assessed,
    world,
)
from hallbar.planning.models import FollowUpPlan
from hallbar.requirements.models import CodeOfConduct
from hallbar.requirements.services import start_new_version
from hallbar.suppliers.models import MatchReview
from hallbar.training.models import Assignment, Module, ModuleStatus


def _contract(world, reference, region, *, end, clause=True, status="active"):  # noqa: F811
    contract = Contract.objects.create(
        reference=reference,
        title="Förband",
        lead_region=region,
        supplier=world.supplier_b,
        category=world.contract_b.category,
        annual_value_sek=Decimal("1000"),
        start_date=date(2024, 1, 1),
        end_date=end,
        status=status,
        clause=world.clause if clause else None,
        clause_level="basic" if clause else "",
    )
    contract.regions.set([region])
    return contract


@pytest.fixture
def work(world):  # noqa: F811 - the fixture above
    cast = world.cast
    # Medisupply (A): a sent questionnaire, a planned case, a case with a zero-tolerance deviation
    sent_a = open_case(world)
    services.send_self_assessment(sent_a, acting_user=cast.secretariat, due_date=later(20))
    planned_a = open_case(world)
    deviations_a = to_assessed(world, open_case(world), verdict="deviation")
    record(world, deviations_a, zero_tolerance=True, severity="critical")
    # Globex (B), led by Jämtland: a questionnaire now overdue
    sent_b = open_case(world, supplier=world.supplier_b, lead_region=world.jamtland)
    services.send_self_assessment(sent_b, acting_user=cast.secretariat, due_date=later(5))
    FollowUp.objects.filter(pk=sent_b.pk).update(due_date=later(-3))
    # the auditor: an open office audit of the planned case, a reported one of Globex's case
    audit = services.order_audit(
        planned_a,
        kind="office",
        firm=world.firm,
        auditor=cast.auditor,
        sites=[world.site_a1],
        planned_date=later(10),
        critical=True,
        acting_user=cast.secretariat,
    )
    planned_b = open_case(world, supplier=world.supplier_b, lead_region=world.jamtland)
    reported = services.order_audit(
        planned_b,
        kind="office",
        firm=world.firm,
        auditor=cast.auditor,
        critical=True,
        acting_user=cast.secretariat,
    )
    services.save_audit(
        reported,
        acting_user=cast.auditor,
        documents_reviewed="Policy",
        interviews="",
        report="Inga avvikelser.",
        performed_date=later(-1),
        finish=True,
    )
    # contracts: ending soon in Stockholm and in Jämtland, ending late, without the clause
    ending_sthlm = _contract(world, "ST-9", world.stockholm, end=later(60))
    _contract(world, "ST-10", world.stockholm, end=later(400))
    _contract(world, "ST-11", world.stockholm, end=later(30), status="expired")
    ending_jamt = _contract(world, "J-9", world.jamtland, end=later(30))
    no_clause = _contract(world, "J-10", world.jamtland, end=later(400), clause=False)
    # imports: one waits for Alice, Bob's is done
    waiting = ImportJob.objects.create(
        kind="contracts",
        filename="avtal.csv",
        stored_path="x",
        created_by=cast.alice,
        status="confirm",
    )
    ImportJob.objects.create(
        kind="contracts", filename="klart.csv", stored_path="y", created_by=cast.bob, status="done"
    )
    # the secretariat's queues and the plan
    draft = start_new_version(CodeOfConduct.objects.published().get(), acting_user=cast.secretariat)
    MatchReview.objects.create(
        supplier=world.supplier_a, candidate=world.supplier_b, score=0.8, reason="namn"
    )
    plan = FollowUpPlan.objects.create(year=later(0).year, budget_sek=1_000_000)
    # training: Alice's assignment is overdue; Bob's module has no published version to take yet
    module = Module.objects.create(
        key="why",
        title_sv="Varför hållbar upphandling",
        title_en="Why sustainable procurement",
        audiences=["buyer"],
        status=ModuleStatus.PUBLISHED,
    )
    Module.objects.create(key="later", title_sv="Kommer", title_en="Coming", audiences=["buyer"])
    Assignment.objects.create(
        user=cast.alice, module_key="why", due_date=later(-2), source=Assignment.Source.ROLE
    )
    Assignment.objects.create(
        user=cast.bob, module_key="later", due_date=later(10), source=Assignment.Source.ROLE
    )
    return {
        "sent_a": sent_a,
        "planned_a": planned_a,
        "deviations_a": deviations_a,
        "sent_b": sent_b,
        "planned_b": planned_b,
        "audit": audit,
        "ending_sthlm": ending_sthlm,
        "ending_jamt": ending_jamt,
        "no_clause": no_clause,
        "waiting": waiting,
        "draft": draft,
        "plan": plan,
        "module": module,
        "yesterday": later(-1).isoformat(),
    }
