"""Escalation duties from the database: open deviations make an audit a duty, the plan says why
each audit is there, the secretariat may record why not (with history), and the page says in
plain words how good the plan is."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from hallbar.core.history import history_for
from hallbar.followups.tests.conftest import open_case, record, to_assessed
from hallbar.planning import services
from hallbar.planning.candidates import build_problem
from hallbar.planning.models import DutyWaiver, FollowUpPlan

from .conftest import YEAR

pytestmark = pytest.mark.django_db


@pytest.fixture
def deviating(world):
    """Supplier B's self-assessment this year left an open deviation."""
    followup = to_assessed(
        world, open_case(world, supplier=world.supplier_b, lead_region=world.jamtland)
    )
    record(world, followup)
    return followup


def _item(plan, supplier):
    return plan.items.get(supplier=supplier)


def test_open_deviations_make_the_next_step_a_duty(world, run, deviating):
    # Given supplier B with an open deviation from this year's self-assessment (a case in
    # progress, which would otherwise spare it)
    built = build_problem(year=YEAR, budget_sek=100_000, run=run)
    b = next(c for c in built.problem.candidates if c.id == str(world.supplier_b.pk))

    # Then the office audit is its duty, and the case in progress does not spare it
    assert b.open_deviations and b.has_self_assessment
    assert b.duty() == "office_audit" and not b.reused
    assert built.facts[b.id].deviation_cases == [deviating.reference]

    # When a plan is proposed
    plan = services.propose_plan(year=YEAR, budget_sek=60_000, acting_user=world.cast.secretariat)

    # Then it holds the audit, says why, and names the case
    item = _item(plan, world.supplier_b)
    assert item.followup_type == "office_audit"
    assert item.reason == "duty_deviations" and item.is_duty
    assert item.basis["deviation_cases"] == [deviating.reference]


def test_duties_the_budget_cannot_pay_for_give_no_plan_and_say_which(world, run, deviating):
    with pytest.raises(ValidationError) as raised:
        services.propose_plan(year=YEAR, budget_sek=40_000, acting_user=world.cast.secretariat)
    message = " ".join(raised.value.messages)
    assert world.supplier_b.name in message and "45 000 kr" in message
    assert not FollowUpPlan.objects.exists()


def test_a_minimum_that_does_not_fit_is_refused_in_plain_words(world, run, deviating):
    # The duty is one office audit; the second one asked for does not fit in what is left
    with pytest.raises(ValidationError) as raised:
        services.propose_plan(
            year=YEAR,
            budget_sek=60_000,
            minimum_audits={"office_audit": 2},
            acting_user=world.cast.secretariat,
        )
    message = " ".join(raised.value.messages)
    assert "cost 45 000 kr, but only 15 000 kr are left after the duties" in message
    with pytest.raises(ValidationError, match="Too few suppliers may take"):
        services.propose_plan(
            year=YEAR,
            budget_sek=1_000_000,
            minimum_audits={"factory_audit": 1},
            acting_user=world.cast.secretariat,
        )


def test_a_recorded_waiver_removes_the_duty_with_history(world, run, deviating, client):
    plan = services.propose_plan(year=YEAR, budget_sek=60_000, acting_user=world.cast.secretariat)
    item = _item(plan, world.supplier_b)

    # A duty cannot be removed or lightened by hand without a reason
    with pytest.raises(ValidationError, match="duty"):
        services.remove_item(item, acting_user=world.cast.secretariat)
    with pytest.raises(ValidationError, match="duty"):
        services.change_item(
            item,
            followup_type="dialogue",
            lead_region=world.jamtland,
            acting_user=world.cast.secretariat,
        )
    # Only the secretariat may record why not
    url = reverse("planning:duty-waive", args=[plan.public_id])
    form = {"supplier": world.supplier_b.pk, "reason": "Åtgärdsplanen är godkänd."}
    client.force_login(world.cast.coordinator_a)
    assert client.post(url, form).status_code == 404
    client.force_login(world.cast.secretariat)
    assert client.post(url, {"supplier": world.supplier_b.pk, "reason": " "}).status_code == 302
    assert not DutyWaiver.objects.exists()

    # When the secretariat records it
    assert client.post(url, form).status_code == 302

    # Then it is kept with history, and the audit may be removed
    waiver = DutyWaiver.objects.get()
    assert (waiver.supplier, waiver.year) == (world.supplier_b, YEAR)
    assert waiver.recorded_by == world.cast.secretariat
    assert history_for(waiver).get().changes["reason"] == "Åtgärdsplanen är godkänd."
    assert any(h.changes.get("duty waived") for h in history_for(plan))
    services.remove_item(item, acting_user=world.cast.secretariat)
    # And the next proposal has no duty for the supplier (its case in progress spares it)
    built = build_problem(year=YEAR, budget_sek=60_000, run=run)
    b = next(c for c in built.problem.candidates if c.id == str(world.supplier_b.pk))
    assert b.duty() == "" and b.reused
    again = services.propose_plan(year=YEAR, budget_sek=40_000, acting_user=world.cast.secretariat)
    assert not again.items.filter(reason__startswith="duty").exists()


def test_the_page_says_how_good_the_plan_is_and_why_each_audit_is_there(
    world, run, deviating, client
):
    plan = services.propose_plan(
        year=YEAR,
        budget_sek=120_000,
        minimum_audits={"office_audit": 2},
        acting_user=world.cast.secretariat,
    )
    reasons = dict(plan.items.values_list("supplier_id", "reason"))
    assert reasons[world.supplier_b.pk] == "duty_deviations"
    assert reasons[world.supplier_a.pk] == "minimum"  # the second office audit
    assert plan.result["proven_optimal"] and plan.result["status"] == "optimal"

    client.force_login(world.cast.secretariat)
    page = client.get(
        reverse("planning:plan-detail", args=[plan.public_id]), HTTP_ACCEPT_LANGUAGE="en"
    )
    text = page.content.decode()
    assert "This plan is the best possible within the budget and the rules (proven)." in text
    assert f"Duty: open deviations from case {deviating.reference}" in text
    assert "Needed to reach the strategy&#x27;s least number of 2 office audit" in text
    assert 'name="reason"' in text  # the form to record why not
    for word in ("MIP", "LP", "gap", "Lagrang", "duty_deviations", "best_value"):
        assert word not in text


def test_the_page_states_the_proven_distance_when_the_search_stopped(world, run, client):
    plan = services.propose_plan(year=YEAR, budget_sek=60_000, acting_user=world.cast.secretariat)
    plan.result = {**plan.result, "proven_optimal": False, "status": "time_limit",
                   "gap": 0.0123, "time_limit_s": 20.0}  # fmt: skip
    plan.save()
    client.force_login(world.cast.alice)
    page = client.get(
        reverse("planning:plan-detail", args=[plan.public_id]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert (
        "This plan is at most 1.2 % from the best possible plan; the search stopped after 20 "
        "seconds." in page.content.decode()
    )
    assert 'name="reason"' not in page.content.decode()


def test_plan_followups_reports_whether_the_plan_is_proven(world, run, deviating, capsys):
    call_command(
        "plan_followups",
        *("--year", str(YEAR), "--budget-sek", "60000", "--format", "json"),
        *("--time-limit", "5", "--min-office-audits", "1"),
    )
    data = json.loads(capsys.readouterr().out)
    assert data["status"] == "optimal" and data["proven_optimal"]
    assert data["time_limit_s"] == 5
    duty = next(f for f in data["followups"] if f["supplier_id"] == world.supplier_b.pk)
    assert duty["type"] == "office_audit" and duty["reason"] == "duty_deviations"
