"""The follow-up case chain: every state change and the rules the process puts on it."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from hallbar.followups import services
from hallbar.followups.models import (
    Action,
    ActionPlan,
    CaseEvent,
    Deviation,
    Document,
    FollowUp,
    Question,
    Response,
)
from hallbar.followups.states import TRANSITIONS, State, TransitionError, check_transition
from hallbar.followups.tests.conftest import answer_all, later, open_case, pdf, record, to_assessed

pytestmark = pytest.mark.django_db


def test_the_state_machine_allows_only_its_moves():
    check_transition(State.PLANNED, State.SENT)
    check_transition(State.ASSESSED, State.CLOSED)  # the shortcut when nothing is found
    with pytest.raises(TransitionError):
        check_transition(State.PLANNED, State.CLOSED)
    with pytest.raises(TransitionError):
        check_transition(State.CLOSED, State.SENT)
    assert TRANSITIONS[State.CLOSED] == frozenset()
    assert TRANSITIONS[State.CANCELLED] == frozenset()
    # Every state can be reached from planned.
    reached, todo = {State.PLANNED}, [State.PLANNED]
    while todo:
        for target in TRANSITIONS[todo.pop()]:
            if target not in reached:
                reached.add(target)
                todo.append(target)
    assert reached == set(State)


def test_opening_a_case_scopes_the_active_contracts_and_takes_the_highest_level(world):
    followup = open_case(world)
    assert followup.reference == f"UF-{timezone.localdate().year}-0001"
    assert followup.status == State.PLANNED
    assert list(followup.contracts.all()) == [world.contract_a]  # not the expired one
    assert followup.clause_level == "advanced"
    assert followup.lead_area is not None and followup.category.slug == "general-consumables"
    assert set(followup.sites.all()) == {world.site_a1, world.site_a2}
    assert followup.contact_email == "dd@medisupply.example"
    assert [r.county_code for r in services.participating_regions(world.supplier_a)] == [
        "01",
        "23",
    ]
    assert followup.events.get().kind == CaseEvent.Kind.OPENED
    assert open_case(world).reference.endswith("-0002")


def test_opening_from_a_list_is_all_or_nothing(world):
    with pytest.raises(ValidationError) as error:
        services.open_followups(
            lines=["5560000001", "No Such Company AB"],
            year=2026,
            followup_type="self_assessment",
            lead_region=world.stockholm,
            acting_user=world.cast.secretariat,
        )
    assert "No Such Company AB" in str(error.value)
    assert not FollowUp.objects.exists()
    created = services.open_followups(
        lines=["556000-0001", "", "globex-1"],
        year=2026,
        followup_type="self_assessment",
        lead_region=world.stockholm,
        acting_user=world.cast.secretariat,
    )
    assert [f.supplier for f in created] == [world.supplier_a, world.supplier_b]


def test_sending_builds_the_questionnaire_from_the_clause_and_mails_the_supplier(
    world, django_capture_on_commit_callbacks
):
    followup = open_case(world)
    with pytest.raises(ValidationError):
        services.send_self_assessment(
            followup, due_date=timezone.localdate(), acting_user=world.cast.secretariat
        )
    with django_capture_on_commit_callbacks(execute=True):
        response = services.send_self_assessment(
            followup, due_date=later(30), acting_user=world.cast.secretariat
        )
    followup.refresh_from_db()
    assert followup.status == State.SENT and followup.due_date == later(30)
    questions = list(response.questionnaire.questions.all())
    requirements = list(world.clause.process_requirements.all())
    linked = [q for q in questions if q.requirement_id]
    assert len(linked) == 2 * len(requirements)
    assert {q.kind for q in questions} == set(Question.Kind.values)
    # Advanced level: the guidance is the requirement's advanced text.
    first = next(q for q in linked if q.kind == "yes_no")
    assert first.help_text == first.requirement.advanced_text and first.evidence_required
    assert len(mail.outbox) == 1
    assert set(mail.outbox[0].to) == {"charlie@demo.hallbar.invalid", "dd@medisupply.example"}
    with pytest.raises(ValidationError):
        services.send_self_assessment(followup, acting_user=world.cast.secretariat)


def test_a_questionnaire_version_is_kept_once_sent(world):
    followup = open_case(world)
    response = services.send_self_assessment(followup, acting_user=world.cast.secretariat)
    newer = services.build_questionnaire(world.clause, "advanced", acting_user=None)
    assert newer.version == response.questionnaire.version + 1
    response.refresh_from_db()
    assert response.questionnaire.version == 1


def test_answers_save_as_draft_and_submit_only_when_complete_with_dated_evidence(world):
    followup = open_case(world)
    services.send_self_assessment(followup, acting_user=world.cast.secretariat)
    followup.refresh_from_db()
    questions = list(followup.response.questionnaire.questions.all())
    text_question = next(q for q in questions if q.kind == "text")
    services.save_answers(
        followup,
        answers={text_question.pk: "Utkast"},
        submit=False,
        acting_user=world.cast.charlie,
    )
    followup.refresh_from_db()
    assert followup.status == State.SENT
    assert followup.response.answers.get(question=text_question).value == "Utkast"
    with pytest.raises(ValidationError) as error:
        services.save_answers(followup, answers={}, submit=True, acting_user=world.cast.charlie)
    evidence_question = next(q for q in questions if q.evidence_required)
    assert f"q{evidence_question.pk}" in error.value.message_dict
    followup.refresh_from_db()
    assert followup.status == State.SENT
    answer_all(followup, world.cast.charlie)
    followup.refresh_from_db()
    assert followup.status == State.ANSWERED
    assert followup.response.status == Response.Status.SUBMITTED
    assert followup.documents.filter(purpose="evidence").count() == len(
        [q for q in questions if q.evidence_required]
    )
    with pytest.raises(ValidationError):
        answer_all(followup, world.cast.charlie)  # no longer open


def test_an_answer_of_the_wrong_kind_is_refused(world):
    followup = open_case(world)
    services.send_self_assessment(followup, acting_user=world.cast.secretariat)
    followup.refresh_from_db()
    questions = {q.kind: q for q in followup.response.questionnaire.questions.all()}
    with pytest.raises(ValidationError) as error:
        services.save_answers(
            followup,
            answers={questions["number"].pk: "many", questions["yes_no"].pk: "maybe"},
            submit=False,
            acting_user=world.cast.charlie,
        )
    assert set(error.value.message_dict) == {
        f"q{questions['number'].pk}",
        f"q{questions['yes_no'].pk}",
    }
    assert not followup.response.answers.exists()


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("fake.pdf", b"MZ\x90\x00 not a pdf at all", "not a PDF"),
        ("empty.pdf", b"", "empty"),
        ("macro.docx", b"PK\x03\x04 broken zip", "not a PDF"),
    ],
)
def test_evidence_type_is_read_from_the_content(world, name, content, reason):
    followup = open_case(world)
    services.send_self_assessment(followup, acting_user=world.cast.secretariat)
    followup.refresh_from_db()
    question = followup.response.questionnaire.questions.filter(evidence_required=True).first()
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    with pytest.raises(ValidationError) as error:
        services.save_answers(
            followup,
            answers={question.pk: "yes"},
            uploads=[(question.pk, upload, date(2025, 1, 1), False)],
            submit=False,
            acting_user=world.cast.charlie,
        )
    assert reason in " ".join(error.value.messages)
    assert not Document.objects.exists()
    assert not followup.response.answers.exists()  # nothing saved when a file is refused


def test_evidence_needs_a_past_document_date_and_respects_the_size_limit(world, settings):
    followup = open_case(world)
    services.send_self_assessment(followup, acting_user=world.cast.secretariat)
    followup.refresh_from_db()
    question = followup.response.questionnaire.questions.filter(evidence_required=True).first()
    for document_date in (None, later(3)):
        with pytest.raises(ValidationError):
            services.save_answers(
                followup,
                answers={},
                uploads=[(question.pk, pdf(), document_date, False)],
                submit=False,
                acting_user=world.cast.charlie,
            )
    settings.HALLBAR_MAX_UPLOAD_BYTES = 10
    with pytest.raises(ValidationError) as error:
        services.save_answers(
            followup,
            answers={},
            uploads=[(question.pk, pdf(), date(2025, 1, 1), False)],
            submit=False,
            acting_user=world.cast.charlie,
        )
    assert "at most" in error.value.messages[0] or "larger" in error.value.messages[0]
    assert not Document.objects.exists()
    stored = settings.DATA_DIR / "documents"
    assert not [path for path in stored.rglob("*") if path.is_file()]


def test_stored_files_live_outside_the_web_root_under_random_names(world, settings):
    followup = open_case(world)
    services.send_self_assessment(followup, acting_user=world.cast.secretariat)
    followup.refresh_from_db()
    answer_all(followup, world.cast.charlie, submit=False)
    document = Document.objects.first()
    assert document.content_type == "application/pdf"
    assert document.stored_path.startswith("documents/")
    assert "evidence" not in document.stored_path  # the uploader's name is not the file's
    assert (settings.DATA_DIR / document.stored_path).read_bytes().startswith(b"%PDF-")
    assert not str(settings.DATA_DIR).startswith(str(settings.STATIC_ROOT))


def test_returning_for_completion_reopens_the_answers(world):
    followup = open_case(world)
    services.send_self_assessment(followup, acting_user=world.cast.secretariat)
    followup.refresh_from_db()
    answer_all(followup, world.cast.charlie)
    followup.refresh_from_db()
    with pytest.raises(ValidationError):
        services.return_for_completion(followup, comment=" ", acting_user=world.cast.alice)
    services.return_for_completion(
        followup, comment="Bifoga uppförandekoden.", acting_user=world.cast.alice
    )
    followup.refresh_from_db()
    assert followup.status == State.SENT
    assert followup.response.status == Response.Status.RETURNED
    answer_all(followup, world.cast.charlie)
    followup.refresh_from_db()
    assert followup.status == State.ANSWERED


def test_assessment_needs_every_requirement_and_a_comment_on_gaps(world):
    followup = open_case(world)
    services.send_self_assessment(followup, acting_user=world.cast.secretariat)
    followup.refresh_from_db()
    answer_all(followup, world.cast.charlie)
    followup.refresh_from_db()
    requirements = list(world.clause.process_requirements.all())
    with pytest.raises(ValidationError) as error:
        services.assess(
            followup,
            verdicts={requirements[0].pk: ("gap", "")},
            acting_user=world.cast.alice,
        )
    assert len(error.value.message_dict) == len(requirements)
    followup = to_assessed(world, open_case(world), verdict="deviation")
    assert followup.status == State.ASSESSED
    assert followup.assessments.filter(verdict="deviation").count() == 1


def test_escalation_rules_for_audits(world):
    followup = open_case(world)
    with pytest.raises(ValidationError, match="self-assessment first"):
        services.order_audit(
            followup, kind="office", firm=world.firm, acting_user=world.cast.secretariat
        )
    with pytest.raises(ValidationError, match="office audit first"):
        services.order_audit(
            followup,
            kind="factory",
            firm=world.firm,
            sites=[world.site_a1],
            acting_user=world.cast.secretariat,
        )
    with pytest.raises(ValidationError):
        services.order_audit(
            followup,
            kind="office",
            firm=world.firm,
            auditor=world.cast.alice,  # not an auditor of the firm
            critical=True,
            acting_user=world.cast.secretariat,
        )
    audit = services.order_audit(
        followup,
        kind="office",
        firm=world.firm,
        auditor=world.cast.auditor,
        critical=True,
        acting_user=world.cast.secretariat,
    )
    followup.refresh_from_db()
    assert followup.status == State.OFFICE_AUDIT and audit.auditor == world.cast.auditor
    services.order_audit(
        followup,
        kind="factory",
        firm=world.firm,
        sites=[world.site_a1],
        acting_user=world.cast.secretariat,
    )
    followup.refresh_from_db()
    assert followup.status == State.FACTORY_AUDIT
    other = open_case(world)
    services.order_audit(
        other,
        kind="factory",
        firm=world.firm,
        sites=[world.site_a2],
        zero_tolerance_signal=True,
        acting_user=world.cast.secretariat,
    )
    other.refresh_from_db()
    assert other.status == State.FACTORY_AUDIT


def test_after_assessment_an_office_audit_needs_no_critical_flag(world):
    followup = to_assessed(world, open_case(world))
    services.order_audit(followup, kind="office", firm=world.firm, acting_user=world.cast.alice)
    followup.refresh_from_db()
    assert followup.status == State.OFFICE_AUDIT


def test_the_auditor_saves_the_report_and_finishing_needs_date_and_report(world):
    followup = open_case(world)
    audit = services.order_audit(
        followup,
        kind="office",
        firm=world.firm,
        auditor=world.cast.auditor,
        critical=True,
        acting_user=world.cast.secretariat,
    )
    with pytest.raises(ValidationError):
        services.save_audit(
            audit,
            acting_user=world.cast.auditor,
            documents_reviewed="",
            interviews="",
            report="",
            performed_date=None,
            finish=True,
        )
    services.save_audit(
        audit,
        acting_user=world.cast.auditor,
        documents_reviewed="Policy, riskanalys",
        interviews="Intervju med 5 arbetare (konfidentiellt)",
        report="Rapport",
        performed_date=timezone.localdate(),
        report_file=pdf("rapport.pdf"),
        finish=True,
    )
    audit.refresh_from_db()
    assert audit.status == "reported"
    document = followup.documents.get(purpose="audit_report")
    assert document.confidential


def test_a_deviation_sets_deadlines_and_zero_tolerance_flags_the_contracts(
    world, django_capture_on_commit_callbacks
):
    followup = to_assessed(world, open_case(world))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        deviation = record(world, followup, zero_tolerance=True, severity="critical")
    followup.refresh_from_db()
    assert followup.status == State.DEVIATIONS
    today = timezone.localdate()
    assert deviation.plan_due == today + timedelta(days=services.PLAN_DAYS)
    assert deviation.report_due == today + timedelta(days=world.clause.reporting_days)
    from hallbar.followups.selectors import flagged_contracts, open_zero_tolerance

    assert list(flagged_contracts(followup)) == [world.contract_a]
    assert open_zero_tolerance(world.contract_a) and not open_zero_tolerance(world.contract_b)
    recipients = {address for message in mail.outbox for address in message.to}
    assert "alice@demo.hallbar.invalid" in recipients  # a buyer in Stockholm
    assert "bob@demo.hallbar.invalid" in recipients  # a buyer in Jämtland (joint contract)
    assert record(world, followup, pr=2).number == 2


def test_a_deviation_must_name_a_requirement_of_the_clause_or_a_commitment(world):
    followup = to_assessed(world, open_case(world))
    with pytest.raises(ValidationError):
        services.record_deviation(
            followup,
            acting_user=world.cast.alice,
            area="environment",
            severity="minor",
            description="x",
            source="assessment",
        )
    with pytest.raises(ValidationError):
        record(world, followup, found_on=later(1))
    deviation = services.record_deviation(
        followup,
        acting_user=world.cast.alice,
        commitment="Miljö: utsläpp till vatten",
        area="environment",
        severity="minor",
        description="x",
        source="assessment",
    )
    assert deviation.label.startswith("Miljö")


def test_no_deviation_before_the_supplier_has_answered(world):
    followup = open_case(world)
    with pytest.raises(ValidationError):
        record(world, followup)


def _plan(world, followup, deviations, days=20, submit=True):
    return services.save_action_plan(
        followup,
        actions=[
            {
                "deviation": d,
                "description": f"Åtgärd för {d}",
                "owner": "Hållbarhetschef",
                "deadline": later(days),
            }
            for d in deviations
        ],
        submit=submit,
        acting_user=world.cast.charlie,
    )


def test_the_action_plan_runs_to_verified_closure(world):
    followup = to_assessed(world, open_case(world))
    first = record(world, followup)
    second = record(world, followup, pr=3)
    followup.refresh_from_db()
    with pytest.raises(ValidationError, match="Every open deviation"):
        _plan(world, followup, [first])
    followup.refresh_from_db()
    assert followup.status == State.DEVIATIONS
    plan = _plan(world, followup, [first, second])
    followup.refresh_from_db()
    assert followup.status == State.ACTION_PLAN and plan.status == ActionPlan.Status.SUBMITTED
    assert set(Deviation.objects.values_list("status", flat=True)) == {"planned"}
    with pytest.raises(ValidationError):
        services.close_followup(followup, acting_user=world.cast.alice)
    services.review_action_plan(followup, accept=True, comment="", acting_user=world.cast.alice)
    actions = list(Action.objects.order_by("pk"))
    services.report_action_done(actions[0], note="Klar", acting_user=world.cast.charlie)
    services.verify_action(
        actions[0], accepted=True, verification="Granskat underlag", acting_user=world.cast.alice
    )
    first.refresh_from_db()
    assert first.status == Deviation.Status.REMEDIED and first.closed_out_on == timezone.localdate()
    followup.refresh_from_db()
    assert followup.status == State.ACTION_PLAN
    services.verify_action(
        actions[1], accepted=True, verification="Besök", acting_user=world.cast.alice
    )
    followup.refresh_from_db()
    assert followup.status == State.VERIFIED
    services.close_followup(followup, acting_user=world.cast.alice, note="Klart")
    followup.refresh_from_db()
    assert followup.status == State.CLOSED and followup.closed_at is not None
    kinds = list(followup.events.values_list("to_status", flat=True).exclude(to_status=""))
    assert kinds == [
        "sent",
        "answered",
        "assessed",
        "deviations",
        "action_plan",
        "verified",
        "closed",
    ]
    with pytest.raises(ValidationError):
        record(world, followup)  # a closed case takes no more deviations


def test_a_plan_that_is_not_enough_goes_back_and_turns_the_light_red(world):
    from hallbar.followups.deadlines import case_light

    followup = to_assessed(world, open_case(world))
    deviation = record(world, followup)
    followup.refresh_from_db()
    assert case_light(followup) == "yellow"
    _plan(world, followup, [deviation])
    followup.refresh_from_db()
    with pytest.raises(ValidationError):
        services.review_action_plan(
            followup, accept=False, comment="", acting_user=world.cast.alice
        )
    services.review_action_plan(
        followup, accept=False, comment="För vag.", acting_user=world.cast.alice
    )
    followup.refresh_from_db()
    assert followup.status == State.DEVIATIONS
    assert case_light(followup) == "red"
    _plan(world, followup, [deviation])  # the supplier revises and resubmits
    followup.refresh_from_db()
    assert followup.status == State.ACTION_PLAN
    assert case_light(followup) == "yellow"


def test_closing_directly_after_an_assessment_without_deviations(world):
    followup = to_assessed(world, open_case(world))
    services.close_followup(followup, acting_user=world.cast.alice)
    followup.refresh_from_db()
    assert followup.status == State.CLOSED


def test_cancelling_needs_a_reason_and_ends_the_case(world):
    followup = open_case(world)
    with pytest.raises(ValidationError):
        services.cancel_followup(followup, reason="", acting_user=world.cast.secretariat)
    services.cancel_followup(followup, reason="Avtalet upphör", acting_user=world.cast.secretariat)
    followup.refresh_from_db()
    assert followup.status == State.CANCELLED
    with pytest.raises(ValidationError):
        services.send_self_assessment(followup, acting_user=world.cast.secretariat)


def test_the_timeline_says_who_did_what(world):
    followup = to_assessed(world, open_case(world))
    events = list(followup.events.all())
    assert events[0].kind == "opened" and events[0].actor == world.cast.secretariat
    submitted = next(e for e in events if e.kind == "submitted")
    assert submitted.actor == world.cast.charlie
    assessed = next(e for e in events if e.kind == "assessed")
    assert assessed.actor == world.cast.alice and "approved" in assessed.message


def test_opening_in_bulk_makes_the_same_cases_as_one_by_one(world):
    single = open_case(world)
    bulk = services.open_followups_in_bulk(
        [
            services.CaseSpec(world.supplier_a, "self_assessment", world.stockholm),
            services.CaseSpec(world.supplier_b, "dialogue", world.jamtland, cost_sek=4000),
        ],
        year=single.year,
        acting_user=world.cast.secretariat,
    )
    a, b = bulk
    assert [a.reference[-4:], b.reference[-4:]] == ["0002", "0003"]
    for field in ("clause_id", "clause_level", "lead_area_id", "category_id", "contact_email"):
        assert getattr(a, field) == getattr(single, field), field
    assert set(a.contracts.all()) == set(single.contracts.all())
    assert set(a.sites.all()) == set(single.sites.all())
    assert b.cost_sek == 4000 and list(b.contracts.all()) == [world.contract_b]
    assert a.events.get().kind == single.events.get().kind == "opened"
    assert a.events.get().message == single.events.get().message
