"""Each cast member's start page lists exactly their own open work.

One world is built where the answer is known: for every person items that are theirs, and items
that must not appear on their page (another company's case, another region's contract, a planned
case the supplier has not been sent, a reported audit, an import that is done).
"""

import re
import uuid
from collections import Counter

import pytest
from django.urls import reverse

from hallbar.followups.tests.conftest import later, open_case
from hallbar.organisations.models import ProcurementArea
from hallbar.requirements.models import Criterion
from hallbar.training.models import Module, ModuleStatus

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


def module_url(module):
    return reverse("training:module", args=[module.public_id])


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
            module_url(work["module"]): 1,  # her training assignment
        }
    )
    # Bob (Jämtland) buys from both: every open case of both, J-9 ends, the same alert; his
    # assigned module has no published version, so there is nothing to take yet
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
    # The overdue case is marked overdue in the region's list too, not only in "Overdue"; the
    # planned case is not
    items = {
        url: page[page.index(url) :].split("</li>")[0]
        for url in (case_url(work["sent_b"]), case_url(work["planned_b"]))
    }
    assert "badge--bad" in items[case_url(work["sent_b"])]
    assert "badge--bad" not in items[case_url(work["planned_b"])]


def test_the_area_coordinator_sees_its_area_s_cases_only(world, work, client):
    # none of the world's cases is led by an area: nothing to do
    assert work_links(client, world.cast.coordinator_a) == Counter()
    page = client.get(reverse("home:start")).content.decode()
    assert 'data-testid="nothing-to-do"' in page
    # a case led by area A (for Region Skåne) is Anna's; one led by area B is not
    area_a = ProcurementArea.objects.get(code="A")
    area_b = ProcurementArea.objects.get(code="B")
    mine = open_case(world, lead_region=world.skane, lead_area=area_a)
    open_case(world, lead_region=world.skane, lead_area=area_b)
    assert work_links(client, world.cast.coordinator_a) == Counter({case_url(mine): 1})


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


def test_a_buyer_sees_their_training_assignment_due_and_overdue(world, work, client):
    work_links(client, world.cast.alice)
    page = client.get(reverse("home:start")).content.decode()
    item = page[page.index(module_url(work["module"])) :].split("</li>")[0]
    assert "Why sustainable procurement" in item
    assert f'datetime="{later(-2).isoformat()}"' in item
    assert "overdue" in item
    assert "Assigned to your role" in item


def test_a_followed_up_supplier_is_offered_the_supplier_module_in_its_language(world, work, client):
    module = Module.objects.create(
        key="supplier-portal",
        title_sv="Leverantörsportalen",
        title_en="The supplier portal",
        audiences=["supplier"],
        status=ModuleStatus.PUBLISHED,
    )
    # both companies have a case under way; the buyers are not offered the supplier module
    assert work_links(client, world.cast.charlie) == Counter(
        {portal_url(work["sent_a"]): 1, portal_url(work["deviations_a"]): 2, module_url(module): 1}
    )
    assert "The supplier portal" in client.get(reverse("home:start")).content.decode()
    client.cookies["django_language"] = "sv"
    assert "Leverantörsportalen" in client.get(reverse("home:start")).content.decode()
    assert work_links(client, world.cast.dave) == Counter(
        {portal_url(work["sent_b"]): 1, module_url(module): 1}
    )
    assert module_url(module) not in work_links(client, world.cast.alice)


def test_a_supplier_without_a_case_under_way_is_offered_no_module(world, client):
    Module.objects.create(
        key="supplier-portal",
        title_sv="Leverantörsportalen",
        title_en="The supplier portal",
        audiences=["supplier"],
        status=ModuleStatus.PUBLISHED,
    )
    open_case(world)  # planned: not yet sent to the supplier
    assert work_links(client, world.cast.charlie) == Counter()


def test_the_supplier_portal_offers_the_supplier_module_in_the_suppliers_language(
    world, work, client
):
    module = Module.objects.create(
        key="supplier-portal",
        title_sv="Leverantörsportalen",
        title_en="The supplier portal",
        audiences=["supplier"],
        status=ModuleStatus.PUBLISHED,
    )
    client.force_login(world.cast.dave)  # Globex: a case under way, English preferred
    client.cookies["django_language"] = "sv"  # the browser's choice does not override it
    page = client.get(reverse("portal:home")).content.decode()
    assert module_url(module) in page and "The supplier portal" in page
    assert "Leverantörsportalen" not in page
    client.force_login(world.cast.charlie)
    page = client.get(reverse("portal:home")).content.decode()
    assert module_url(module) in page


def _copies(contract, count):
    """count more contracts like contract (same regions, dates, clause), new references."""
    regions = list(contract.regions.all())
    copies = []
    for number in range(count):
        contract.pk, contract.public_id, contract._state.adding = None, uuid.uuid4(), True
        contract.reference = f"{contract.reference.split('~')[0]}~{number}"
        contract.save()
        contract.regions.set(regions)
        copies.append(contract.pk)
    return copies


def test_long_contract_lists_read_only_what_the_page_shows(world, work, client):
    """A region's start-page lists of contracts (without the current clause; ending soon) read
    the shown ten from the database and count the rest there, not every contract (bench/load
    at ten times the demo's contracts), and need no DISTINCT (the regions are a subquery)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    marker = {
        "clause": 'NOT ("contracts_contract"."clause_id"',
        "ending": '"contracts_contract"."end_date" <=',
    }
    _copies(work["no_clause"], 12)  # 13 in all
    _copies(work["ending_jamt"], 14)  # 15 in all
    for user, kind in ((world.cast.contact_jamtland, "clause"), (world.cast.bob, "ending")):
        client.force_login(user)
        client.cookies["django_language"] = "en"
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse("home:start")).content.decode()
        shown = [url for url in ITEM.findall(page) if url.startswith("/contracts/")]
        total = 13 if kind == "clause" else 15
        assert f"Showing 10 of {total}." in page
        # Bob's list of ending contracts also holds the joint contract with an alert
        assert len([u for u in shown if u != contract_url(world.contract_a)]) == 10
        contract_reads = [
            q["sql"]
            for q in queries
            if q["sql"].startswith(('SELECT "contracts_contract"."id"', "SELECT DISTINCT"))
            and (marker[kind] in q["sql"])
        ]
        assert contract_reads and all(sql.endswith("LIMIT 11") for sql in contract_reads)
        assert not any(sql.startswith("SELECT DISTINCT") for sql in contract_reads)
