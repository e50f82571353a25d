"""The portal keeps what the supplier gave, asks before the final submission and gives a receipt;
overdue cases say which deadline has passed."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from hallbar.followups import services
from hallbar.followups.models import Action, Document, FollowUp
from hallbar.followups.tests.conftest import later, open_case, pdf, record, to_assessed

pytestmark = pytest.mark.django_db


def _sent(world):
    followup = open_case(world)
    services.send_self_assessment(followup, acting_user=world.cast.secretariat, due_date=later(20))
    followup.refresh_from_db()
    return followup


def test_a_failed_submit_keeps_the_evidence_and_its_date(world, client):
    # Given a sent self-assessment
    followup = _sent(world)
    questions = list(followup.response.questionnaire.questions.all())
    evidence_question = next(q for q in questions if q.evidence_required)
    client.force_login(world.cast.charlie)
    portal = reverse("portal:case", args=[followup.public_id])
    # When the supplier submits one answer with its evidence and nothing else
    page = client.post(
        portal,
        {
            "answers": "submit",
            f"q{evidence_question.pk}": "yes",
            f"file{evidence_question.pk}": pdf("policy.pdf"),
            f"date{evidence_question.pk}": "2025-03-01",
        },
    ).content.decode()
    # Then the submit fails, but the evidence and its date are kept and shown
    followup.refresh_from_db()
    assert followup.status == "sent"
    document = Document.objects.get(question=evidence_question)
    assert document.document_date == date(2025, 3, 1)
    assert "policy.pdf" in page and "2025-03-01" in page
    assert followup.response.answers.get(question=evidence_question).value == "yes"
    # and a second failed submit does not lose it either
    client.post(portal, {"answers": "submit"})
    assert Document.objects.filter(question=evidence_question).count() == 1


def test_a_refused_answer_keeps_the_valid_evidence(world):
    followup = _sent(world)
    questions = {q.kind: q for q in followup.response.questionnaire.questions.all()}
    evidence_question = next(
        q for q in followup.response.questionnaire.questions.all() if q.evidence_required
    )
    with pytest.raises(Exception):  # noqa: B017 - ValidationError, with the bad answer's key
        services.save_answers(
            followup,
            answers={questions["number"].pk: "many"},
            uploads=[(evidence_question.pk, pdf(), date(2025, 1, 1), False)],
            submit=False,
            acting_user=world.cast.charlie,
        )
    assert Document.objects.filter(question=evidence_question).exists()
    assert not followup.response.answers.exists()


def test_final_submission_asks_for_confirmation_and_gives_a_receipt(world, client):
    followup = _sent(world)
    data = {"answers": "submit"}
    for q in followup.response.questionnaire.questions.all():
        data[f"q{q.pk}"] = {"yes_no": "yes", "text": "Svar", "number": "2", "file": ""}.get(
            q.kind, q.choices[0] if q.choices else ""
        )
        if q.evidence_required:
            data[f"file{q.pk}"] = pdf(f"e{q.pk}.pdf")
            data[f"date{q.pk}"] = "2025-03-01"
    client.force_login(world.cast.charlie)
    portal = reverse("portal:case", args=[followup.public_id])
    receipt = reverse("portal:receipt", args=[followup.public_id])
    # no receipt before submission
    assert client.get(receipt).status_code == 404
    confirm = client.post(portal, data).content.decode()
    assert 'value="confirm"' in confirm
    followup.refresh_from_db()
    assert followup.status == "sent"  # saved as a draft until confirmed
    response = client.post(portal, {"answers": "confirm"})
    assert response["Location"] == receipt
    followup.refresh_from_db()
    assert followup.status == "answered"
    page = client.get(receipt).content.decode()
    stamp = timezone.localtime(followup.response.submitted_at)  # the receipt shows local time
    assert 'data-testid="submitted-at"' in page and stamp.date().isoformat() in page
    assert "Svar" in page and "e" in page
    for q in followup.response.questionnaire.questions.filter(evidence_required=True):
        assert f"e{q.pk}.pdf" in page
    # the receipt is the supplier's: another company and a buyer do not reach it
    client.force_login(world.cast.dave)
    assert client.get(receipt).status_code == 404
    client.force_login(world.cast.alice)
    assert client.get(receipt).status_code == 404


def test_an_overdue_case_says_which_deadline_has_passed(world, client):
    # Given an answered case with a deviation whose action plan is late, and a late questionnaire
    followup = to_assessed(world, open_case(world), verdict="deviation")
    record(world, followup)
    followup.deviations.update(plan_due=later(-2))
    late_answer = _sent(world)
    FollowUp.objects.filter(pk=late_answer.pk).update(due_date=later(-1))
    client.force_login(world.cast.alice)
    client.cookies["django_language"] = "en"
    plan_text = f"Action plan due {later(-2).isoformat()} not received"
    answer_text = f"Self-assessment due {later(-1).isoformat()} not received"
    # Then the list and the case page say so
    listing = client.get(reverse("followups:followup-list") + "?overdue=1").content.decode()
    assert plan_text in listing and answer_text in listing
    case = client.get(reverse("followups:followup-detail", args=[followup.public_id]))
    assert plan_text in case.content.decode()
    assert answer_text not in case.content.decode()


def test_a_late_action_is_named_and_a_submitted_plan_is_no_longer_late(world, client):
    followup = to_assessed(world, open_case(world), verdict="deviation")
    deviation = record(world, followup)
    services.save_action_plan(
        followup,
        actions=[
            {
                "deviation": deviation,
                "description": "Kartlägga leden",
                "owner": "Hållbarhetschef",
                "deadline": later(30),
            }
        ],
        submit=True,
        acting_user=world.cast.charlie,
    )
    followup.deviations.update(plan_due=later(-10))
    followup.refresh_from_db()
    services.review_action_plan(followup, accept=True, comment="", acting_user=world.cast.alice)
    Action.objects.update(deadline=later(-4))
    client.force_login(world.cast.alice)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("followups:followup-detail", args=[followup.public_id]))
    text = page.content.decode()
    assert f"Action due {later(-4).isoformat()} not done" in text
    assert "Action plan due" not in text.split("Deadlines passed")[1][:400]
