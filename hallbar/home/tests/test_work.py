"""Each cast member's start page lists exactly their own open work.

One world is built where the answer is known: for every person items that are theirs, and items
that must not appear on their page (another company's case, another region's contract, a planned
case the supplier has not been sent, a reported audit, an import that is done).
"""

import re
from collections import Counter
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from hallbar.contracts.models import Contract
from hallbar.core.models import ImportJob
from hallbar.followups import services
from hallbar.followups.models import FollowUp
from hallbar.followups.tests.conftest import later, open_case, record, to_assessed
from hallbar.planning.models import FollowUpPlan
from hallbar.requirements.models import CodeOfConduct, Criterion
from hallbar.requirements.services import start_new_version
from hallbar.suppliers.models import MatchReview

pytestmark = pytest.mark.django_db

ITEM = re.compile(r'data-testid="work-item"><a href="([^"]+)"')


def work_links(client, user) -> Counter:
    client.force_login(user)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("home:start")).content.decode()
    return Counter(ITEM.findall(page))


def case_url(case):
    return reverse("followups:followup-detail", args=[case.public_id])


def portal_url(case):
    return reverse("portal:case", args=[case.public_id])


def contract_url(contract):
    return reverse("contracts:contract-detail", args=[contract.public_id])


def _contract(world, reference, region, *, end, clause=True, status="active"):
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
def work(world):
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
    }


def test_supplier_contacts_see_their_own_company_s_work(world, work, client):
    # Medisupply: answer one questionnaire; write an action plan and report the zero-tolerance
    # deviation in the other case; nothing of the planned case or of Globex
    assert work_links(client, world.cast.charlie) == Counter(
        {portal_url(work["sent_a"]): 1, portal_url(work["deviations_a"]): 2}
    )
    assert work_links(client, world.cast.dave) == Counter({portal_url(work["sent_b"]): 1})


def test_the_auditor_sees_its_open_audits_and_lists_all(world, work, client):
    audit_url = reverse("followups:audit-detail", args=[work["audit"].public_id])
    assert work_links(client, world.cast.auditor) == Counter({audit_url: 1})
    page = client.get(reverse("home:start")).content.decode()
    assert "Klang Glove Factory" in page
    assert reverse("followups:audit-list") in page
    listing = client.get(reverse("followups:audit-list")).content.decode()
    assert audit_url in listing
    assert work["planned_b"].reference in listing  # the reported audit, under "reported"


def test_buyers_see_their_region_s_contracts_suppliers_alerts_and_imports(world, work, client):
    # Alice (Stockholm): ST-9 ends soon; the open cases of Medisupply and Globex (ST-9 and ST-10
    # are Globex's); the zero-tolerance alert on the joint contract A-1; her waiting import
    assert work_links(client, world.cast.alice) == Counter(
        {
            contract_url(work["ending_sthlm"]): 1,
            case_url(work["sent_a"]): 1,
            case_url(work["planned_a"]): 1,
            case_url(work["deviations_a"]): 1,
            case_url(work["sent_b"]): 1,
            case_url(work["planned_b"]): 1,
            contract_url(world.contract_a): 1,
            reverse("core:import-job", args=[work["waiting"].public_id]): 1,
        }
    )
    # Bob (Jämtland) buys from both: every open case of both, J-9 ends, the same alert
    assert work_links(client, world.cast.bob) == Counter(
        {
            contract_url(work["ending_jamt"]): 1,
            case_url(work["sent_a"]): 1,
            case_url(work["planned_a"]): 1,
            case_url(work["deviations_a"]): 1,
            case_url(work["sent_b"]): 1,
            case_url(work["planned_b"]): 1,
            contract_url(world.contract_a): 1,
        }
    )


def test_the_region_contact_sees_its_region_s_cases_overdue_and_clauses(world, work, client):
    page_links = work_links(client, world.cast.contact_jamtland)
    assert page_links == Counter(
        {
            case_url(work["sent_b"]): 2,  # led by Jämtland, and overdue
            case_url(work["planned_b"]): 1,
            contract_url(work["no_clause"]): 1,
        }
    )
    page = client.get(reverse("home:start")).content.decode()
    assert f"Self-assessment due {later(-3).isoformat()} not received" in page


def test_the_area_coordinator_sees_no_case_of_another_area(world, work, client):
    assert work_links(client, world.cast.coordinator_a) == Counter()
    page = client.get(reverse("home:start")).content.decode()
    assert 'data-testid="nothing-to-do"' in page


def test_the_secretariat_sees_overdue_drafts_queues_and_the_plan(world, work, client):
    # the demo library has criteria drafts of its own
    library_drafts = {
        reverse("requirements:criterion-detail", args=[c.public_id]): 1
        for c in Criterion.objects.drafts()
    }
    assert work_links(client, world.cast.secretariat) == Counter(
        {
            **library_drafts,
            case_url(work["sent_b"]): 1,
            reverse("requirements:code-detail", args=[work["draft"].public_id]): 1,
            reverse("suppliers:review-queue"): 1,
            reverse("planning:plan-detail", args=[work["plan"].public_id]): 1,
        }
    )


def test_the_steering_group_sees_the_plan_to_approve_and_the_year_s_figures(world, work, client):
    assert work_links(client, world.cast.steering) == Counter(
        {reverse("planning:plan-detail", args=[work["plan"].public_id]): 1}
    )
    page = client.get(reverse("home:start")).content.decode()
    assert 'data-testid="figures"' in page


def test_nothing_to_do_is_said_plainly(world, client):
    for user in (world.cast.charlie, world.cast.auditor, world.cast.alice):
        assert work_links(client, user) == Counter()
        page = client.get(reverse("home:start")).content.decode()
        assert 'data-testid="nothing-to-do"' in page
