"""Self-assessments: questionnaires from the clause, sending, the supplier's answers with evidence, returning for completion, and the reviewer's assessment."""

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from hallbar.core.bilingual import text_in
from hallbar.core.deferred import deferred
from hallbar.followups import files, notifications, tasks
from hallbar.followups.models import (
    Answer,
    Assessment,
    CaseEvent,
    Document,
    FollowUp,
    Question,
    Questionnaire,
    Response,
)
from hallbar.followups.services.common import (
    ANSWER_DAYS,
    _discard,
    _document,
    _event,
    _locked,
    _move,
    _today,
)
from hallbar.followups.states import State
from hallbar.organisations.models import User
from hallbar.requirements.models import ClauseLevel, ContractClause


def questionnaire_for(clause: ContractClause, level: str) -> Questionnaire:
    """Return the newest questionnaire for the clause version and level, building the first."""
    existing = Questionnaire.objects.filter(clause=clause, level=level).order_by("-version").first()
    if existing:
        return existing
    return build_questionnaire(clause, level, acting_user=None)


def _both(build) -> tuple[str, str]:
    """Return (Swedish, English) of a text that build() makes in the active language."""
    with translation.override("sv"):
        swedish = build("sv")
    with translation.override("en"):
        english = build("en")
    return swedish, english


def _extras() -> list[tuple[str, str, list[str]]]:
    return [
        (
            _("How many production sites are there in the supply chain of the contracted goods?"),
            Question.Kind.NUMBER,
            [],
        ),
        (
            _("How far back in the supply chain has the company mapped its production sites?"),
            Question.Kind.CHOICE,
            [_("tier 1"), _("tier 2"), _("raw material")],
        ),
        (_("Other documents you want to share (optional)."), Question.Kind.FILE, []),
    ]


@transaction.atomic
def build_questionnaire(clause: ContractClause, level: str, *, acting_user: Any) -> Questionnaire:
    """Build a new questionnaire version from the clause's process requirements at level.

    Per process requirement: does the company meet it (yes/no, evidence with its date required),
    and how (text). Then a few facts about the supply chain. Every text is made in Swedish and
    in English, from the requirement's texts in each language; a requirement without an English
    text gives a question without one (shown as missing, never in Swedish instead).
    """
    last = Questionnaire.objects.filter(clause=clause, level=level).aggregate(v=Max("version"))
    title, title_en = _both(
        lambda language: (
            _("Self-assessment: %(clause)s (%(level)s)")
            % {"clause": text_in(clause, "title", language), "level": ClauseLevel(level).label}
            if text_in(clause, "title", language)
            else ""
        )
    )
    questionnaire = Questionnaire.objects.create(
        clause=clause,
        level=level,
        version=(last["v"] or 0) + 1,
        title=title,
        title_en=title_en,
        created_by=acting_user if getattr(acting_user, "pk", None) else None,
    )
    position = 0
    for requirement in clause.process_requirements.order_by("number"):
        position += 1
        text, text_en = _both(
            lambda language, r=requirement: (
                _("%(code)s %(title)s: does the company meet the requirement?")
                % {"code": r.code, "title": text_in(r, "title", language)}
                if text_in(r, "title", language)
                else ""
            )
        )
        Question.objects.create(
            questionnaire=questionnaire,
            position=position,
            requirement=requirement,
            text=text,
            text_en=text_en,
            help_text=requirement.text_for(level, "sv"),
            help_text_en=requirement.text_for(level, "en"),
            kind=Question.Kind.YES_NO,
            evidence_required=True,
        )
        position += 1
        text, text_en = _both(
            lambda language, r=requirement: (
                _("%(code)s: describe how the company works with this, and refer to the evidence.")
                % {"code": r.code}
            )
        )
        Question.objects.create(
            questionnaire=questionnaire,
            position=position,
            requirement=requirement,
            text=text,
            text_en=text_en,
            kind=Question.Kind.TEXT,
        )
    with translation.override("sv"):
        swedish = _extras()
    with translation.override("en"):
        english = _extras()
    for (text, kind, choices), (text_en, _kind, choices_en) in zip(swedish, english, strict=True):
        position += 1
        Question.objects.create(
            questionnaire=questionnaire,
            position=position,
            text=text,
            text_en=text_en,
            kind=kind,
            choices=choices,
            choices_en=choices_en,
            required=kind != Question.Kind.FILE,
        )
    return questionnaire


@transaction.atomic
def send_self_assessment(
    followup: FollowUp, *, acting_user: Any, due_date: date | None = None
) -> Response:
    """Send the self-assessment to the supplier's due-diligence contact, with a deadline."""
    followup = _locked(followup)
    due_date = due_date or _today() + timedelta(days=ANSWER_DAYS)
    if due_date <= _today():
        raise ValidationError({"due_date": _("The deadline must be after today.")})
    if followup.status not in {State.PLANNED}:
        raise ValidationError(
            _("Only a planned case can be sent; this one is “%(status)s”.")
            % {"status": followup.get_status_display()}
        )
    questionnaire = questionnaire_for(followup.clause, followup.clause_level)
    response, _created = Response.objects.update_or_create(
        followup=followup,
        defaults={"questionnaire": questionnaire, "status": Response.Status.DRAFT},
    )
    followup.questionnaire = questionnaire
    followup.due_date = due_date
    followup.sent_at = timezone.now()
    followup.save(update_fields=["questionnaire", "due_date", "sent_at", "updated_at"])
    _move(
        followup,
        State.SENT,
        acting_user=acting_user,
        message=deferred(gettext_noop("Answer due %(date)s."), date=due_date),
    )
    notifications.on_commit_notify_sent(followup)
    tasks.schedule_deadline_checks(
        followup, [due_date - timedelta(days=7), due_date + timedelta(days=1)]
    )
    return response


def _answer_valid(question: Question, value: str) -> str | None:
    if question.kind == Question.Kind.YES_NO and value not in {"yes", "no"}:
        return _("Answer yes or no.")
    if question.kind == Question.Kind.NUMBER:
        try:
            number = Decimal(value.replace(",", ".").replace(" ", ""))
        except ArithmeticError:
            return _("Give a number.")
        if number < 0:
            return _("Give a number of zero or more.")
    if question.kind == Question.Kind.CHOICE and value not in question.choices:
        return _("Choose one of the choices.")
    return None


def save_answers(
    followup: FollowUp,
    *,
    answers: dict[int, str],
    uploads: Iterable[tuple[int, Any, date | None, bool]] = (),
    submit: bool,
    acting_user: User,
) -> Response:
    """Save the supplier's answers and evidence; on submit check them all and mark it answered.

    uploads holds (question id, uploaded file, document date, confidential). Errors are a dict
    keyed "q<question id>" so the form can show each beside its question.

    What the supplier gave is kept even when the save fails: every valid upload is stored with
    its date (a refused answer or file is not, and then no answer is saved either), and a submit
    that misses answers or evidence keeps the answers and evidence as a draft. The supplier never
    uploads the same evidence twice.
    """
    response, errors = _save_answers(
        followup, answers=answers, uploads=uploads, submit=submit, acting_user=acting_user
    )
    if errors:
        raise ValidationError(errors)
    return response


def missing_answers(followup: FollowUp) -> dict[str, list[str]]:
    """Return what a submit of the saved answers would miss (empty when it can be submitted)."""
    response = followup.response
    return _missing_answers(response, response.questionnaire.questions.all())


@transaction.atomic
def _save_answers(
    followup: FollowUp,
    *,
    answers: dict[int, str],
    uploads: Iterable[tuple[int, Any, date | None, bool]],
    submit: bool,
    acting_user: User,
) -> tuple[Response, dict[str, list[str]]]:
    followup = _locked(followup)
    if followup.status != State.SENT:
        raise ValidationError(_("This self-assessment is not open for answers."))
    response = followup.response
    questions = {q.pk: q for q in response.questionnaire.questions.all()}
    errors: dict[str, list[str]] = {}
    for question_id, value in answers.items():
        question = questions.get(question_id)
        if question is None:
            continue
        value = value.strip()
        if value and (message := _answer_valid(question, value)):
            errors.setdefault(f"q{question_id}", []).append(message)
    stored: list[tuple[int, files.StoredFile, date | None, bool]] = []
    for question_id, upload, document_date, confidential in uploads:
        if question_id not in questions:
            continue
        if document_date is None:
            errors.setdefault(f"q{question_id}", []).append(
                _("Give the date of the document you upload.")
            )
            continue
        if document_date > _today():
            errors.setdefault(f"q{question_id}", []).append(
                _("The document date cannot be in the future.")
            )
            continue
        try:
            stored.append(
                (
                    question_id,
                    files.store_upload(upload, folder=str(followup.public_id)),
                    document_date,
                    confidential,
                )
            )
        except ValidationError as error:
            errors.setdefault(f"q{question_id}", []).extend(error.messages)
    try:
        # the evidence the supplier gave is kept whatever else is wrong
        for question_id, stored_file, document_date, confidential in stored:
            _document(
                followup,
                stored_file,
                purpose=Document.Purpose.EVIDENCE,
                question_id=question_id,
                document_date=document_date,
                confidential=confidential,
                acting_user=acting_user,
            )
    except Exception:
        _discard(stored)
        raise
    if errors:
        if stored:
            _event(
                followup,
                CaseEvent.Kind.ANSWER_SAVED,
                acting_user=acting_user,
                visible_to_supplier=True,
            )
        return response, errors
    for question_id, value in answers.items():
        if question_id in questions:
            Answer.objects.update_or_create(
                response=response, question_id=question_id, defaults={"value": value.strip()}
            )
    if submit:
        missing = _missing_answers(response, questions.values())
        if missing:
            _event(
                followup,
                CaseEvent.Kind.ANSWER_SAVED,
                acting_user=acting_user,
                visible_to_supplier=True,
            )
            return response, missing
        response.status = Response.Status.SUBMITTED
        response.submitted_at = timezone.now()
        response.submitted_by = acting_user
        response.save(update_fields=["status", "submitted_at", "submitted_by", "updated_at"])
        _event(followup, CaseEvent.Kind.SUBMITTED, acting_user=acting_user)
        _move(followup, State.ANSWERED, acting_user=acting_user)
        notifications.on_commit_notify_lead(
            followup,
            deferred(
                gettext_noop("%(ref)s: the supplier has answered the self-assessment."),
                ref=followup.reference,
            ),
        )
    else:
        _event(
            followup,
            CaseEvent.Kind.ANSWER_SAVED,
            acting_user=acting_user,
            visible_to_supplier=True,
        )
    return response, {}


def _missing_answers(response: Response, questions: Iterable[Question]) -> dict[str, list[str]]:
    values = dict(response.answers.values_list("question_id", "value"))
    evidence = set(
        response.followup.documents.filter(purpose=Document.Purpose.EVIDENCE).values_list(
            "question_id", flat=True
        )
    )
    missing: dict[str, list[str]] = {}
    for question in questions:
        if (
            question.required
            and question.kind != Question.Kind.FILE
            and not values.get(question.pk)
        ):
            missing.setdefault(f"q{question.pk}", []).append(_("This question needs an answer."))
        if question.evidence_required and question.pk not in evidence:
            if values.get(question.pk) == "no":
                continue  # nothing to evidence; the reviewer sees the gap
            missing.setdefault(f"q{question.pk}", []).append(
                _("Upload the evidence for this answer, with the document's date.")
            )
    return missing


@transaction.atomic
def return_for_completion(followup: FollowUp, *, comment: str, acting_user: User) -> None:
    """Send the answers back to the supplier with what to complete."""
    followup = _locked(followup)
    if not comment.strip():
        raise ValidationError({"comment": _("Say what the supplier should complete.")})
    if followup.status != State.ANSWERED:
        raise ValidationError(_("Only answered self-assessments can be returned."))
    response = followup.response
    response.status = Response.Status.RETURNED
    response.return_comment = comment.strip()
    response.save(update_fields=["status", "return_comment", "updated_at"])
    _event(followup, CaseEvent.Kind.RETURNED, acting_user=acting_user, message=comment.strip())
    _move(followup, State.SENT, acting_user=acting_user)
    notifications.on_commit_notify_supplier(
        followup,
        deferred(
            gettext_noop("%(ref)s: please complete your self-assessment."), ref=followup.reference
        ),
        comment.strip(),
    )


@transaction.atomic
def assess(
    followup: FollowUp, *, verdicts: dict[int, tuple[str, str]], acting_user: User
) -> list[Assessment]:
    """Record the verdict on every process requirement of the case's clause.

    verdicts maps a process requirement id to (verdict, comment). A gap or a deviation needs a
    comment. The case becomes "assessed"; deviations are then recorded one by one.
    """
    followup = _locked(followup)
    if followup.status not in {State.ANSWERED, State.ASSESSED}:
        raise ValidationError(_("Only an answered self-assessment can be assessed."))
    requirements = list(followup.clause.process_requirements.order_by("number"))
    errors: dict[str, list[str]] = {}
    for requirement in requirements:
        verdict, comment = verdicts.get(requirement.pk, ("", ""))
        if verdict not in Assessment.Verdict.values:
            errors.setdefault(f"r{requirement.pk}", []).append(
                _("Choose approved, gap or deviation.")
            )
        elif verdict != Assessment.Verdict.APPROVED and not comment.strip():
            errors.setdefault(f"r{requirement.pk}", []).append(
                _("Explain the gap or deviation in a comment.")
            )
    if errors:
        raise ValidationError(errors)
    saved = []
    for requirement in requirements:
        verdict, comment = verdicts[requirement.pk]
        assessment, _created = Assessment.objects.update_or_create(
            followup=followup,
            requirement=requirement,
            defaults={"verdict": verdict, "comment": comment.strip(), "assessed_by": acting_user},
        )
        saved.append(assessment)
    counts = {v: sum(1 for a in saved if a.verdict == v) for v in Assessment.Verdict.values}
    _event(
        followup,
        CaseEvent.Kind.ASSESSED,
        acting_user=acting_user,
        message=deferred(
            gettext_noop("%(approved)s approved, %(gap)s gaps, %(deviation)s deviations."),
            **counts,
        ),
    )
    _move(followup, State.ASSESSED, acting_user=acting_user)
    return saved
