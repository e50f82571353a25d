"""The plan page agrees with itself: the budget state at the top, one rule for lead shares, the
list's count, search, the supplier picker; approval is confirmed and runs in the background, and
a plan over budget is approved only with the steering group's written decision."""

import re
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hallbar.core.jobs import running_job
from hallbar.core.models import BackgroundJob
from hallbar.core.tasks import run_job
from hallbar.followups.models import FollowUp
from hallbar.organisations.models import PopulationFigure, Region
from hallbar.planning import services
from hallbar.planning.candidates import populations
from hallbar.planning.jobs import APPROVAL
from hallbar.planning.models import FollowUpPlan
from hallbar.planning.selectors import coverage, summary
from hallbar.planning.tests.conftest import YEAR
from hallbar.suppliers.models import Supplier

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def _plan(world, budget=60_000) -> FollowUpPlan:
    return services.propose_plan(year=YEAR, budget_sek=budget, acting_user=world.cast.secretariat)


def _over_budget(world) -> FollowUpPlan:
    plan = _plan(world)
    for item in plan.items.all():
        services.change_item(
            item,
            followup_type="factory_audit",
            lead_region=item.lead_region,
            acting_user=world.cast.secretariat,
        )
    plan.budget_sek = 1000
    plan.save(update_fields=["budget_sek"])
    return plan


def test_the_budget_state_is_at_the_top(world, run, client):
    # Given a plan within its budget
    plan = _plan(world)
    client.force_login(world.cast.steering)
    # When the plan page is read
    page = client.get(reverse("planning:plan-detail", args=[plan.public_id])).content.decode()
    # Then it says so before anything else
    state = summary(plan)["budget"]
    assert state.within
    assert page.index('data-testid="budget-state"') < page.index('class="cards"')
    # And over budget, it says by how much
    plan = _over_budget(world)
    state = summary(plan)["budget"]
    assert not state.within and state.over_sek == state.cost_sek - 1000
    page = client.get(reverse("planning:plan-detail", args=[plan.public_id])).content.decode()
    assert "message--error" in page.split('data-testid="budget-state"')[0][-200:]


def test_fairness_status_and_the_region_table_follow_one_rule(world, run, client):
    # Given a proposed plan whose leads the planner found fair
    plan = _plan(world)
    assert plan.result["fairness_feasible"]
    data = summary(plan)
    assert data["fairness"].met and all(row["within"] for row in data["leads"])
    # When the plan no longer meets the rule (here: the tolerance is gone, so some region's
    # range excludes its leads; people changing leads or items does the same)
    FollowUpPlan.objects.filter(pk=plan.pk).update(abs_tol=0, rel_tol=0)
    plan.refresh_from_db()
    data = summary(plan)
    # Then the status follows the table, not the planner's verdict at the proposal
    outside = [row["region"] for row in data["leads"] if not row["within"]]
    assert outside
    assert not data["fairness"].met and data["fairness"].outside == outside
    assert not data["fairness"].planner_could_not
    client.force_login(world.cast.alice)
    page = client.get(reverse("planning:plan-detail", args=[plan.public_id])).content.decode()
    status = page.split('data-testid="fairness"')[1].split("</dd>")[0]
    assert outside[0].name in status
    assert page.count('badge badge--bad">outside') + page.count("badge--bad") >= len(outside)


def test_the_plans_list_counts_the_plans_follow_ups(world, run, client):
    # Given a plan from which a follow-up was removed by hand
    plan = _plan(world)
    removable = [i for i in plan.items.all() if not i.is_duty]
    if removable:
        services.remove_item(removable[0], acting_user=world.cast.secretariat)
    client.force_login(world.cast.alice)
    # Then the list shows the count the plan page shows
    listing = client.get(reverse("planning:plan-list"))
    (row,) = listing.context["plans"]
    detail = client.get(reverse("planning:plan-detail", args=[plan.public_id]))
    assert (
        row.item_count == plan.items.count() == detail.context["data"]["coordination"].coordinated
    )


def test_plan_items_are_searched_and_regions_named(world, run, client):
    plan = _plan(world)
    client.force_login(world.cast.alice)
    url = reverse("planning:plan-detail", args=[plan.public_id])
    supplier = plan.items.first().supplier
    # By part of the supplier's name
    page = client.get(url, {"q": supplier.name[:6]})
    assert [i.supplier for i in page.context["page"].object_list] == [supplier]
    # By org number
    if supplier.org_number:
        page = client.get(url, {"q": supplier.org_number})
        assert [i.supplier for i in page.context["page"].object_list] == [supplier]
    # Nothing matches
    page = client.get(url, {"q": "no such supplier"})
    assert not page.context["page"].object_list
    assert "Ingen planerad uppföljning matchar sökningen." in page.content.decode()
    # By region: Stockholm takes part only in supplier A's follow-up
    page = client.get(url, {"region": world.stockholm.county_code})
    assert {i.supplier for i in page.context["page"].object_list} == {
        i.supplier for i in plan.items.all() if world.stockholm.county_code in i.participating
    }
    # Regions are named, never coded
    html = client.get(url).content.decode()
    items = html.split('data-testid="items"')[1].split("</table>")[0]
    assert world.stockholm.name in items or world.jamtland.name in items
    assert "<td>01" not in items and "<td>23" not in items


def test_suppliers_are_picked_by_part_of_the_name_or_org_number(world, run, client):
    plan = _plan(world, budget=1000)
    plan.items.all().delete()
    client.force_login(world.cast.secretariat)
    url = reverse("planning:item-add", args=[plan.public_id])
    # When the secretariat searches by part of the name
    page = client.get(url, {"supplier_q": world.supplier_a.name[3:10].lower()})
    assert world.supplier_a in list(page.context["matches"])
    # or by org number
    page = client.get(url, {"supplier_q": world.supplier_a.org_number[:6]})
    assert list(page.context["matches"]) == [world.supplier_a]
    assert world.supplier_a.org_number in page.content.decode()
    # and picks it
    response = client.post(
        url,
        {
            "supplier_q": world.supplier_a.org_number[:6],
            "supplier": world.supplier_a.pk,
            "followup_type": "dialogue",
            "lead_region": world.stockholm.pk,
        },
    )
    assert response.status_code == 302
    assert plan.items.get().supplier == world.supplier_a
    # A supplier outside the matches cannot be posted
    response = client.post(
        url,
        {
            "supplier_q": world.supplier_a.org_number[:6],
            "supplier": world.supplier_b.pk,
            "followup_type": "dialogue",
            "lead_region": world.jamtland.pk,
        },
    )
    assert response.status_code == 200 and plan.items.count() == 1


def test_approval_asks_for_confirmation_and_runs_in_the_background(
    world, run, client, settings, django_capture_on_commit_callbacks
):
    # Given a plan within its budget
    plan = _plan(world)
    client.force_login(world.cast.steering)
    url = reverse("planning:plan-approve", args=[plan.public_id])
    # When the steering group opens the approval, it sees a summary and nothing has happened
    confirm = client.get(url)
    html = confirm.content.decode()
    assert 'data-testid="approval-summary"' in html and "decision_text" not in html
    assert FollowUpPlan.objects.get(pk=plan.pk).status == "proposed"
    # When it confirms, a job is enqueued (not run in the request)
    settings.TASKS = DUMMY
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"note": "Styrgruppen 2026-01-15"})
    job = BackgroundJob.objects.get(kind=APPROVAL)
    assert response.url == reverse("core:job", args=[job.public_id])
    assert job.status == "pending" and not FollowUp.objects.exists()
    assert running_job(APPROVAL, str(plan.public_id)) == job
    # The plan page links to the running approval; a second click leads to the same job
    assert client.get(url).url == reverse("core:job", args=[job.public_id])
    # When the worker runs it, the plan is approved as the service approves it
    run_job.call(job.pk, "en")
    job.refresh_from_db()
    assert job.status == "done" and job.step == job.total_steps == 2
    plan.refresh_from_db()
    assert plan.status == "approved" and plan.approved_by == world.cast.steering
    assert FollowUp.objects.count() == plan.items.count() == job.result["cases"]
    for item in plan.items.select_related("followup"):
        assert item.followup.followup_type == item.followup_type
        assert item.followup.lead_region_id == item.lead_region_id
    page = client.get(reverse("core:job", args=[job.public_id]))
    assert b'data-testid="job-result"' in page.content and b"data-running" not in page.content


def test_approving_over_budget_needs_the_steering_groups_written_decision(
    world, run, client, settings, django_capture_on_commit_callbacks
):
    plan = _over_budget(world)
    # The service refuses without the decision
    with pytest.raises(ValidationError, match="written decision"):
        services.check_approval(plan)
    client.force_login(world.cast.steering)
    url = reverse("planning:plan-approve", args=[plan.public_id])
    # The confirmation page asks for the decision and refuses without it
    assert "decision_text" in client.get(url).content.decode()
    settings.TASKS = IMMEDIATE
    with django_capture_on_commit_callbacks(execute=True):
        refused = client.post(url, {"note": "x"})
    assert refused.status_code == 200 and refused.context["form"].errors
    assert not BackgroundJob.objects.exists()
    # With the decision, the plan is approved and the decision kept on the plan and its history
    decision = "Styrgruppen beslutar att planen får kosta mer än budgeten."
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "note": "",
                "decision_text": decision,
                "decision_date": "2026-01-15",
                "decision_reference": "SG 2026/3 § 4",
            },
        )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == "approved"
    assert plan.over_budget_decision == decision and plan.decision_date == date(2026, 1, 15)
    assert plan.decision_reference == "SG 2026/3 § 4"
    page = client.get(reverse("planning:plan-detail", args=[plan.public_id])).content.decode()
    assert page.count(decision) == 2  # on the plan and in its history
    assert "SG 2026/3 § 4" in page


def test_a_failed_approval_says_why_on_the_job_page(
    world, run, client, settings, django_capture_on_commit_callbacks
):
    # Given an approval queued while the plan was within budget
    plan = _plan(world)
    client.force_login(world.cast.steering)
    settings.TASKS = DUMMY
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("planning:plan-approve", args=[plan.public_id]), {})
    job = BackgroundJob.objects.get()
    # When the plan goes over budget before the worker runs it
    FollowUpPlan.objects.filter(pk=plan.pk).update(budget_sek=1)
    run_job.call(job.pk, "en")
    job.refresh_from_db()
    # Then nothing is opened and the page shows the error
    assert job.status == "failed" and "written decision" in job.error
    assert not FollowUp.objects.exists()
    page = client.get(reverse("core:job", args=[job.public_id])).content.decode()
    assert 'data-testid="job-error"' in page and "written decision" in page


def test_coverage_sums_the_national_rows_of_each_category(world, run):
    # Given the run's national rows (1.3 M in consumables) and a second category with a national
    # row of 200 000 and a regional row that must not count
    template = run.rows.get(region_code="SE", supplier_key=str(world.supplier_b.pk))
    for region, exposure in (("SE", 200_000.0), ("SE", 50_000.0), ("01", 999_000.0)):
        template.pk = None
        template.region_code = region
        template.category_key = "textiles"
        template.exposure = exposure
        template.save()
    plan = _plan(world)
    # When the coverage is read
    categories, areas = coverage(plan, summary(plan)["rows"])
    # Then each category's total is the sum of its national rows
    totals = {row["key"]: row["total"] for row in categories}
    assert totals == {"general-consumables": 1_300_000.0, "textiles": 250_000.0}
    # ordered by exposure, with the share the plan's follow-ups cover
    assert [row["key"] for row in categories] == ["general-consumables", "textiles"]
    covered = sum(item.covered for item in plan.items.all())
    consumables = categories[0]
    assert consumables["covered"] == pytest.approx(covered)
    assert consumables["share"] == pytest.approx(covered / 1_300_000)
    assert categories[1]["covered"] == 0 and categories[1]["share"] == 0
    assert sum(area["total"] for area in areas) == pytest.approx(1_550_000.0)


# A field left out of the page's query of the items is read afterwards, one row at a time
ONE_ROW_READ = re.compile(
    r'FROM "(planning_planitem|suppliers_supplier|organisations_region|organisations_organisation'
    r'|organisations_procurementarea|categories_category|followups_followup|risk_screeningrun)" '
    r'WHERE "\w+"\."id" = \d+ LIMIT 21$'
)


def _reads(client, url) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), [q["sql"] for q in queries.captured_queries]


def test_the_plan_page_reads_as_often_however_many_follow_ups_the_plan_has(world, run, client):
    # Given a proposed plan, read by the secretariat (who may change it) and a region contact
    plan = _plan(world, budget=10_000_000)
    url = reverse("planning:plan-detail", args=[plan.public_id])
    readers = [world.cast.secretariat, world.cast.alice]
    before = []
    for reader in readers:
        client.force_login(reader)
        before.append(len(_reads(client, url)[1]))
    # When twelve more suppliers get an office audit in it, led by Jämtland
    added = [f"Leverantör nr {n:02}" for n in range(12)]
    for name in added:
        supplier = Supplier.objects.create(name=name, country="SE", other_id=name)
        services.add_item(
            plan,
            supplier=supplier,
            followup_type="office_audit",
            lead_region=world.jamtland,
            acting_user=world.cast.secretariat,
        )
    # Then each reader's page reads the database as many times as before, and lists them all
    for reader, count in zip(readers, before, strict=True):
        client.force_login(reader)
        html, queries = _reads(client, url)
        assert len(queries) == count, "\n".join(q[:150] for q in queries)
        audits = html.split('data-testid="audits"')[1].split("</table>")[0]
        items = html.split('data-testid="items"')[1].split("</table>")[0]
        assert all(name in audits and name in items for name in added)
        assert world.jamtland.name in items
    # And once approved, the cases are linked without reading any row on its own
    services.approve_plan(plan, acting_user=world.cast.steering, decision_text="", note="Ja")
    client.force_login(world.cast.alice)
    html, queries = _reads(client, url)
    items = html.split('data-testid="items"')[1].split("</table>")[0]
    for item in plan.items.select_related("followup")[:10]:
        assert item.followup.reference in items
    assert [sql for sql in queries if ONE_ROW_READ.search(sql)] == []


def test_populations_are_each_regions_latest_figure_before_the_year(reference_data):
    # Given three figures of Stockholm and one of Uppsala, at known dates
    PopulationFigure.objects.all().delete()
    stockholm = Region.objects.get(county_code="01")
    uppsala = Region.objects.get(county_code="03")
    for region, day, people in [
        (stockholm, date(2021, 12, 31), 100),
        (stockholm, date(2023, 12, 31), 300),
        (stockholm, date(2022, 12, 31), 200),
        (uppsala, date(2022, 12, 31), 50),
    ]:
        PopulationFigure.objects.create(
            region=region, reference_date=day, population=people, source="test"
        )
    # Then a year counts each region's latest figure from before the year began
    assert populations(2024) == {"01": 300, "03": 50}
    assert populations(2023) == {"01": 200, "03": 50}
    assert populations(2022) == {"01": 100}
    # and with no figure before the year, the latest there is
    assert populations(2020) == {"01": 300, "03": 50}
