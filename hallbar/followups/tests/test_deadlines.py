"""Deadlines, reminders (once only, however often the worker runs), the traffic light, sanctions,
publication and zero-tolerance reports."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from hallbar.contracts.models import Contract
from hallbar.followups import services
from hallbar.followups.deadlines import case_light, send_due_reminders, supplier_lights
from hallbar.followups.models import Action, Deviation, FollowUp, Reminder, Report, Sanction
from hallbar.followups.states import State
from hallbar.followups.tasks import check_case_deadlines
from hallbar.followups.tests.conftest import later, open_case, record, to_assessed
from hallbar.requirements.models import ZeroToleranceItem

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def _sent(world, due_in: int) -> FollowUp:
    followup = open_case(world)
    services.send_self_assessment(
        followup, due_date=later(due_in), acting_user=world.cast.secretariat
    )
    followup.refresh_from_db()
    mail.outbox.clear()
    return followup


def test_a_reminder_goes_out_in_the_week_before_the_deadline_once(world):
    followup = _sent(world, due_in=10)
    assert send_due_reminders(TODAY()) == 0  # more than a week left
    day = followup.due_date - timedelta(days=5)
    assert send_due_reminders(day) == 1
    assert send_due_reminders(day) == 0
    assert send_due_reminders(day + timedelta(days=1)) == 0  # same deadline, already reminded
    assert len(mail.outbox) == 1
    assert "charlie@demo.hallbar.invalid" in mail.outbox[0].to
    assert followup.events.filter(kind="reminder").count() == 1


def test_after_the_deadline_the_lead_is_told_once_and_a_new_deadline_reminds_again(world):
    followup = _sent(world, due_in=10)
    overdue = followup.due_date + timedelta(days=1)
    assert send_due_reminders(overdue) == 1
    assert send_due_reminders(overdue + timedelta(days=3)) == 0
    message = mail.outbox[-1]
    assert "alice" not in " ".join(message.to)  # buyers are not spammed
    assert followup.events.filter(kind="overdue").count() == 1
    FollowUp.objects.filter(pk=followup.pk).update(due_date=later(20))
    assert send_due_reminders(later(15)) == 1  # the extended deadline gets its own reminder


@pytest.mark.django_db(transaction=True)  # the worker closes the connection after its batch
def test_the_queued_check_sends_once_when_the_worker_runs_twice(world, settings):
    """Two queued checks of the same case, run by the real database worker, twice over."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    followup = _sent(world, due_in=3)  # inside the reminder week already
    check_case_deadlines.enqueue(followup.pk)
    check_case_deadlines.enqueue(followup.pk)
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    check_case_deadlines.enqueue(followup.pk)
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    reminders = [m for m in mail.outbox if "Reminder" in m.subject or "Påminnelse" in m.subject]
    assert len(reminders) == 1, [m.subject for m in mail.outbox]
    assert Reminder.objects.filter(followup=followup).count() == 1


def test_sending_queues_the_deadline_checks_on_the_database_backend(
    world, settings, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    followup = open_case(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.send_self_assessment(
            followup, due_date=later(30), acting_user=world.cast.secretariat
        )
    queued = DBTaskResult.objects.filter(task_path__endswith="check_case_deadlines")
    assert sorted(r.run_after.date() for r in queued) == [later(23), later(31)]


def test_the_daily_command_sends_the_same_reminders_once(world, capsys):
    followup = _sent(world, due_in=2)
    call_command("check_deadlines")
    call_command("check_deadlines", "--date", TODAY().isoformat())
    assert "0 reminders sent" in capsys.readouterr().out
    assert Reminder.objects.filter(followup=followup).count() == 1


def test_overdue_action_plans_and_actions_escalate_to_the_secretariat(world):
    followup = to_assessed(world, open_case(world))
    deviation = record(world, followup)
    mail.outbox.clear()
    late = deviation.plan_due + timedelta(days=1)
    assert send_due_reminders(late) == 1
    # the supplier's mail links to the portal, the lead's and the secretariat's to the case
    assert any("karin@demo.hallbar.invalid" in m.to for m in mail.outbox)
    followup.refresh_from_db()
    assert case_light(followup, late) == "red"
    services.save_action_plan(
        followup,
        actions=[
            {
                "deviation": deviation,
                "description": "Riskanalys",
                "owner": "VD",
                "deadline": later(10),
            }
        ],
        submit=True,
        acting_user=world.cast.charlie,
    )
    assert send_due_reminders(later(11)) == 1  # the action's deadline passed
    assert send_due_reminders(later(12)) == 0


def test_traffic_light_per_supplier(world):
    assert supplier_lights([world.supplier_a.pk]) == {world.supplier_a.pk: "green"}
    followup = to_assessed(world, open_case(world))
    deviation = record(world, followup)
    assert supplier_lights([world.supplier_a.pk])[world.supplier_a.pk] == "yellow"
    assert supplier_lights([world.supplier_a.pk], deviation.plan_due + timedelta(days=1)) == {
        world.supplier_a.pk: "red"
    }
    followup.refresh_from_db()
    services.save_action_plan(
        followup,
        actions=[{"deviation": deviation, "description": "x", "owner": "y", "deadline": later(5)}],
        submit=True,
        acting_user=world.cast.charlie,
    )
    action = Action.objects.get()
    followup.refresh_from_db()
    services.verify_action(
        action, accepted=False, verification="Inget underlag", acting_user=world.cast.alice
    )
    assert supplier_lights([world.supplier_a.pk])[world.supplier_a.pk] == "red"  # not enough
    services.report_action_done(action, note="Nu finns underlag", acting_user=world.cast.charlie)
    services.verify_action(action, accepted=True, verification="OK", acting_user=world.cast.alice)
    assert supplier_lights([world.supplier_a.pk])[world.supplier_a.pk] == "green"  # remedied
    assert supplier_lights([world.supplier_b.pk])[world.supplier_b.pk] == "green"


# --- sanctions -------------------------------------------------------------------------------


def test_vite_accrues_per_started_week_up_to_the_cap(world):
    followup = to_assessed(world, open_case(world))
    deviation = record(world, followup)
    clause = world.clause
    due = deviation.plan_due
    assert services.vite_due(deviation, due) == (0, Decimal(0))
    assert services.vite_due(deviation, due + timedelta(days=1)) == (
        1,
        Decimal(clause.vite_per_week_sek),
    )
    assert services.vite_due(deviation, due + timedelta(days=7))[0] == 1
    assert services.vite_due(deviation, due + timedelta(days=8))[0] == 2
    far = due + timedelta(weeks=clause.vite_cap_weeks + 10)
    weeks, amount = services.vite_due(deviation, far)
    assert amount == clause.max_vite == clause.vite_per_week_sek * clause.vite_cap_weeks
    assert weeks == clause.vite_cap_weeks + 10


def test_a_vite_sanction_charges_only_what_has_not_been_charged(world):
    followup = to_assessed(world, open_case(world))
    deviation = record(world, followup)
    with pytest.raises(ValidationError, match="No vite is due"):
        services.record_sanction(
            followup, kind="vite", deviation=deviation, acting_user=world.cast.alice
        )
    first = services.record_sanction(
        followup,
        kind="vite",
        deviation=deviation,
        decided_on=deviation.plan_due + timedelta(days=10),
        acting_user=world.cast.alice,
    )
    assert first.weeks == 2 and first.amount_sek == 2 * world.clause.vite_per_week_sek
    second = services.record_sanction(
        followup,
        kind="vite",
        deviation=deviation,
        decided_on=deviation.plan_due + timedelta(days=22),
        acting_user=world.cast.alice,
    )
    assert second.amount_sek == world.clause.vite_per_week_sek * 2  # weeks 3 and 4


def test_call_off_stop_and_termination_need_a_contract_and_a_decision(world):
    followup = to_assessed(world, open_case(world))
    record(world, followup, zero_tolerance=True)
    with pytest.raises(ValidationError):
        services.record_sanction(followup, kind="call_off_stop", acting_user=world.cast.alice)
    with pytest.raises(ValidationError):
        services.record_sanction(
            followup,
            kind="termination",
            contract=world.contract_b,
            note="x",
            acting_user=world.cast.alice,
        )  # another supplier's contract
    services.record_sanction(
        followup,
        kind="call_off_stop",
        contract=world.contract_a,
        note="Beslut 2026-11-01",
        acting_user=world.cast.alice,
    )
    services.record_sanction(
        followup,
        kind="termination",
        contract=world.contract_a,
        note="Hävning enligt 8.3",
        acting_user=world.cast.alice,
    )
    assert Contract.objects.get(pk=world.contract_a.pk).status == "terminated"
    assert list(Sanction.objects.values_list("kind", flat=True)) == [
        "call_off_stop",
        "termination",
    ]


# --- publication ------------------------------------------------------------------------------


def test_the_summary_is_published_only_once_an_action_plan_exists_and_is_anonymised(world):
    followup = to_assessed(world, open_case(world))
    deviation = record(world, followup, area="workers_rights")
    record(world, followup, pr=2, confidential=True, description="Hemligt vittnesmål")
    followup.refresh_from_db()
    with pytest.raises(ValidationError, match="action plan"):
        services.publish_summary(followup, acting_user=world.cast.alice)
    services.save_action_plan(
        followup,
        actions=[
            {"deviation": d, "description": "x", "owner": "y", "deadline": later(5)}
            for d in Deviation.objects.all()
        ],
        submit=True,
        acting_user=world.cast.charlie,
    )
    followup.refresh_from_db()
    services.publish_summary(followup, acting_user=world.cast.alice)
    followup.refresh_from_db()
    summary = followup.summary
    assert followup.published_at is not None
    for secret in (
        world.supplier_a.name,
        "Medisupply",
        world.site_a1.name,
        world.site_a2.name,
        "Hemligt",
        deviation.description,
    ):
        assert secret not in summary
    assert "Malaysia" in summary and "handskar" in summary
    assert "2 avvikelser" in summary and "1 avvikelser är konfidentiella" in summary


def test_a_case_closed_without_deviations_may_be_published(world):
    followup = to_assessed(world, open_case(world))
    assert not services.can_publish(followup)
    services.close_followup(followup, acting_user=world.cast.alice)
    followup.refresh_from_db()
    assert services.can_publish(followup)
    services.publish_summary(followup, acting_user=world.cast.alice)
    followup.refresh_from_db()
    assert "Inga avvikelser" in followup.summary


# --- reports and grievances -------------------------------------------------------------------


def _item():
    return ZeroToleranceItem.objects.filter(code__status="published").first()


def test_a_zero_tolerance_report_is_triaged_into_the_open_case(
    world, django_capture_on_commit_callbacks
):
    followup = to_assessed(world, open_case(world))
    with django_capture_on_commit_callbacks(execute=True):
        report = services.submit_report(
            kind="zero_tolerance",
            supplier=world.supplier_a,
            zero_tolerance_item=_item(),
            description="Barnarbete upptäckt hos underleverantör",
            known_on=TODAY() - timedelta(days=2),
            acting_user=world.cast.charlie,
        )
    assert "karin@demo.hallbar.invalid" in mail.outbox[-1].to
    assert not services.report_is_late(report)
    services.triage_report(report, acting_user=world.cast.secretariat)
    report.refresh_from_db()
    followup.refresh_from_db()
    assert report.status == "triaged" and report.followup == followup
    deviation = followup.deviations.get()
    assert deviation.zero_tolerance and deviation.source == "report"
    assert followup.status == State.DEVIATIONS
    with pytest.raises(ValidationError):
        services.triage_report(report, acting_user=world.cast.secretariat)


def test_a_report_without_an_open_case_opens_one_and_late_reports_are_flagged(world):
    report = services.submit_report(
        kind="zero_tolerance",
        supplier=world.supplier_b,
        zero_tolerance_item=_item(),
        description="Tvångsarbete",
        known_on=TODAY() - timedelta(days=world.clause.reporting_days + 5),
        acting_user=world.cast.dave,
    )
    assert services.report_is_late(report)
    with pytest.raises(ValidationError):
        services.triage_report(report, acting_user=world.cast.secretariat)  # no lead region
    services.triage_report(report, lead_region=world.jamtland, acting_user=world.cast.secretariat)
    followup = FollowUp.objects.get(supplier=world.supplier_b)
    assert followup.lead_region == world.jamtland
    assert followup.deviations.get().zero_tolerance


def test_grievances_are_registered_confidential_and_can_be_dismissed_with_a_reason(world):
    grievance = services.submit_report(
        kind="grievance",
        supplier=world.supplier_a,
        area="workers_rights",
        description="Anonym arbetare: obetald övertid",
        known_on=TODAY(),
        channel="Leverantörens klagomålsmekanism",
        acting_user=world.cast.contact_jamtland,
    )
    other = services.submit_report(
        kind="grievance",
        supplier=world.supplier_a,
        area="environment",
        description="Oklart",
        known_on=TODAY(),
        acting_user=world.cast.contact_jamtland,
    )
    with pytest.raises(ValidationError):
        services.triage_report(other, dismiss=True, acting_user=world.cast.secretariat)
    services.triage_report(other, dismiss=True, note="Dubblett", acting_user=world.cast.secretariat)
    assert Report.objects.get(pk=other.pk).status == "dismissed"
    services.triage_report(
        grievance, lead_region=world.stockholm, acting_user=world.cast.secretariat
    )
    deviation = Deviation.objects.get()
    assert deviation.confidential and deviation.source == "grievance"
    with pytest.raises(ValidationError):
        services.submit_report(
            kind="zero_tolerance",
            supplier=world.supplier_a,
            description="x",
            known_on=TODAY(),
            acting_user=world.cast.charlie,
        )  # which zero-tolerance deviation?
