"""The plan's Django side: candidates from a screening, the reuse rule on hand-made histories,
proposal, changes, approval into cases, publication, the command and the pages."""

import json
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from hallbar.followups.models import FollowUp
from hallbar.followups.tests.conftest import open_case, to_assessed
from hallbar.planning import services
from hallbar.planning.candidates import PastFollowUp, build_problem, reusable, years_before
from hallbar.planning.models import ExternalFollowUp, FollowUpPlan
from hallbar.planning.selectors import summary

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

pytestmark = pytest.mark.django_db
YEAR = 2026
ON = date(YEAR, 1, 1)


def _past(method="self_assessment", level="basic", days=100):
    return PastFollowUp(1, "Adda", method, level, ON - timedelta(days=days))


def test_the_reuse_rule_on_hand_made_histories():
    assert reusable(_past(), level="basic", critical=False, on=ON)
    assert reusable(_past(level="advanced"), level="basic", critical=False, on=ON)
    assert not reusable(_past(level="basic"), level="advanced", critical=False, on=ON)
    assert not reusable(_past(), level="basic", critical=True, on=ON)  # needs an audit
    assert reusable(_past("office_audit"), level="basic", critical=True, on=ON)
    assert reusable(_past("dialogue"), level="basic", critical=False, on=ON)
    old = ON - years_before(ON, 3)
    assert not reusable(_past(days=old.days), level="basic", critical=False, on=ON)
    assert reusable(_past(days=old.days - 1), level="basic", critical=False, on=ON)
    assert not reusable(_past(days=-5), level="basic", critical=False, on=ON)  # in the future
    assert years_before(date(2024, 2, 29), 3) == date(2021, 2, 28)


def test_candidates_come_from_the_screening_with_contracts_areas_and_flags(world, run):
    built = build_problem(year=YEAR, budget_sek=100_000, run=run)
    by_id = {c.id: c for c in built.problem.candidates}
    a = by_id[str(world.supplier_a.pk)]
    b = by_id[str(world.supplier_b.pk)]
    assert a.exposure == 900_000.0 and b.exposure == 400_000.0  # the national rows only
    assert a.regions == ("01", "23") and b.regions == ("23",)  # active contracts' regions
    assert a.critical and not b.critical
    assert a.area == b.area != ""  # the area that owns general consumables
    assert a.region_shares == {"01": 700_000.0, "23": 300_000.0}
    assert not a.reused and not a.has_self_assessment
    assert built.facts[a.id].level == "advanced"
    assert len(built.problem.region_population) == 21


def test_history_marks_reuse_and_escalation(world, run):
    ExternalFollowUp.objects.create(
        supplier=world.supplier_b,
        organisation="Adda",
        followup_type="self_assessment",
        clause_level="basic",
        performed_on=ON - timedelta(days=200),
    )
    followup = to_assessed(world, open_case(world))  # supplier A, this year
    built = build_problem(year=timezone.localdate().year, budget_sek=1, run=run)
    by_id = {c.id: c for c in built.problem.candidates}
    assert by_id[str(world.supplier_b.pk)].reused
    assert built.facts[str(world.supplier_b.pk)].reused_by.by == "Adda"
    a = by_id[str(world.supplier_a.pk)]
    assert a.has_self_assessment and a.reused  # in progress this year
    assert built.facts[a.id].in_progress == followup.reference


def test_a_proposal_is_feasible_and_changes_are_compared(world, run):
    plan = services.propose_plan(year=YEAR, budget_sek=60_000, acting_user=world.cast.secretariat)
    items = list(plan.items.select_related("lead_region"))
    assert items and sum(i.cost_sek for i in items) <= 60_000
    for item in items:
        assert item.lead_region.county_code in item.participating
    a = next(i for i in items if i.supplier == world.supplier_a)
    assert a.followup_type == "office_audit"  # critical: straight to an office audit pays
    data = summary(plan)
    assert data["coordination"].coordinated == len(items)
    assert data["coordination"].uncoordinated == sum(len(i.participating) for i in items)
    with pytest.raises(ValidationError):
        services.change_item(
            a, followup_type="dialogue", lead_region=world.skane, acting_user=world.cast.secretariat
        )  # Skåne does not buy from the supplier
    services.change_item(
        a,
        followup_type="self_assessment",
        lead_region=world.jamtland,
        acting_user=world.cast.secretariat,
    )
    a.refresh_from_db()
    assert a.origin == "changed" and a.cost_sek == 6000
    comparison = summary(plan)["comparison"]
    assert comparison["changed"] == 1 and comparison["current_cost"] < comparison["proposed_cost"]
    other = next((i for i in items if i.supplier == world.supplier_b), None)
    if other:
        services.remove_item(other, acting_user=world.cast.secretariat)
        assert summary(plan)["comparison"]["removed"] == 1


def test_approval_opens_the_cases_and_publication_shares_them(world, run, client):
    plan = services.propose_plan(year=YEAR, budget_sek=60_000, acting_user=world.cast.secretariat)
    services.approve_plan(plan, acting_user=world.cast.steering)
    plan.refresh_from_db()
    assert plan.status == "approved" and plan.approved_by == world.cast.steering
    assert FollowUp.objects.count() == plan.items.count()
    for item in plan.items.select_related("followup"):
        assert item.followup.followup_type == item.followup_type
        assert item.followup.lead_region_id == item.lead_region_id
    with pytest.raises(ValidationError):
        services.approve_plan(plan, acting_user=world.cast.steering)
    with pytest.raises(ValidationError):
        services.add_item(
            plan,
            supplier=world.supplier_b,
            followup_type="dialogue",
            lead_region=world.jamtland,
            acting_user=world.cast.secretariat,
        )
    services.publish_plan(plan, acting_user=world.cast.secretariat)
    client.force_login(world.cast.bob)
    page = client.get(reverse("planning:followed-up"), {"year": YEAR}).content.decode()
    assert world.supplier_a.name in page


def test_approval_refuses_a_plan_over_budget(world, run):
    plan = services.propose_plan(year=YEAR, budget_sek=6_000, acting_user=world.cast.secretariat)
    item = plan.items.first() or services.add_item(
        plan,
        supplier=world.supplier_b,
        followup_type="dialogue",
        lead_region=world.jamtland,
        acting_user=world.cast.secretariat,
    )
    services.change_item(
        item,
        followup_type="factory_audit",
        lead_region=item.lead_region,
        acting_user=world.cast.secretariat,
    )
    with pytest.raises(ValidationError, match="more than the budget"):
        services.approve_plan(plan, acting_user=world.cast.steering)
    assert not FollowUp.objects.exists()


def test_plan_followups_prints_a_feasible_plan_as_json(world, run, capsys):
    call_command("plan_followups", "--year", str(YEAR), "--budget-sek", "60000", "--format", "json")
    data = json.loads(capsys.readouterr().out)
    assert {
        "followups",
        "totals",
        "coordinated_count",
        "uncoordinated_count",
        "optimality_gap",
    } <= set(data)
    assert data["totals"]["cost_sek"] <= 60_000
    for chosen in data["followups"]:
        assert set(chosen) >= {
            "supplier",
            "type",
            "lead_region_code",
            "participating_region_codes",
            "cost_sek",
        }
        assert chosen["lead_region_code"] in chosen["participating_region_codes"]
    assert data["coordinated_count"] == len(data["followups"])
    assert data["uncoordinated_count"] >= data["coordinated_count"]
    assert 0 <= data["optimality_gap"] <= 0.005
    assert not FollowUpPlan.objects.exists()  # --save stores it; without it nothing is written


def test_without_a_screening_the_planner_says_what_to_do(world):
    with pytest.raises(ValidationError, match="screening"):
        services.propose_plan(year=YEAR, budget_sek=1000, acting_user=world.cast.secretariat)


def test_the_plan_pages(world, run, client, settings, django_capture_on_commit_callbacks):
    client.force_login(world.cast.secretariat)
    form = client.get(reverse("planning:plan-create")).context["form"]
    data = {name: field.initial for name, field in form.fields.items() if field.initial is not None}
    data.update(
        {
            "year": YEAR,
            "budget_sek": 60000,
            "mode": "interactive",
            "capacity_A": "0",
            "cost_office_audit": 30000,
            "detection_dialogue": 25,
            "min_office_audit": 0,
            "min_factory_audit": 0,
        }
    )
    response = client.post(reverse("planning:plan-create"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    plan = FollowUpPlan.objects.get()
    assert plan.area_capacity == {"A": 0}
    types = {t["name"]: t for t in plan.types}
    assert types["office_audit"]["cost_sek"] == 30000 and types["dialogue"]["detection"] == 0.25
    page = client.get(response.url)
    assert page.status_code == 200
    assert page.context["data"]["coordination"].coordinated == plan.items.count()
    export = client.get(response.url, {"format": "csv"})
    assert export.content.decode("utf-8-sig").count("\n") == plan.items.count() + 1
    client.force_login(world.cast.alice)
    assert client.get(response.url).status_code == 200
    assert client.post(reverse("planning:plan-approve", args=[plan.public_id])).status_code == 404
    client.force_login(world.cast.steering)
    confirm = client.get(reverse("planning:plan-approve", args=[plan.public_id]))
    assert confirm.status_code == 200 and confirm.context["budget"].within
    settings.TASKS = IMMEDIATE
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("planning:plan-approve", args=[plan.public_id]), {"note": "Beslut"}
        )
    assert response.status_code == 302 and "/jobs/" in response.url
    plan.refresh_from_db()
    assert plan.status == "approved" and plan.approval_note == "Beslut"


def test_recording_another_organisations_follow_up(world, client):
    client.force_login(world.cast.coordinator_a)
    response = client.post(
        reverse("planning:external-list"),
        {
            "supplier_text": "GLOBEX-1",
            "organisation": "Adda",
            "followup_type": "office_audit",
            "clause_level": "basic",
            "performed_on": "2025-05-01",
        },
    )
    assert response.status_code == 302
    assert ExternalFollowUp.objects.get().supplier == world.supplier_b
    client.force_login(world.cast.alice)
    assert client.post(reverse("planning:external-list"), {}).status_code == 404
