"""Every change to a follow-up case: one atomic function per change, each writing the timeline.

Views, the API, commands and tasks call these. Each checks the state machine (states.py) and the
process's own rules (escalation, what must exist before a move), and raises ValidationError with
a message for the user when a rule says no.
"""

import contextlib
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from hallbar.contracts.models import Contract
from hallbar.core.history import record_change
from hallbar.followups import files, notifications
from hallbar.followups.models import (
    Action,
    ActionPlan,
    Answer,
    Assessment,
    Audit,
    CaseEvent,
    Deviation,
    Document,
    FollowUp,
    FollowUpType,
    Question,
    Questionnaire,
    Report,
    Response,
    Sanction,
)
from hallbar.followups.states import State, TransitionError, check_transition
from hallbar.organisations.models import Organisation, ProcurementArea, Region, Role, User
from hallbar.requirements.models import LEVEL_RANK, ClauseLevel, ContractClause
from hallbar.requirements.selectors import current_clause
from hallbar.suppliers.models import ProductionSite, Supplier

ANSWER_DAYS = 30  # default time to answer a self-assessment
PLAN_DAYS = 30  # time to submit an action plan after a deviation is recorded
ACTIVE = Contract.Status.ACTIVE

NO_CLAUSE = gettext_noop("There is no published contract clause to follow up against.")
OFFICE_AUDIT_NEEDS_SELF_ASSESSMENT = gettext_noop(
    "An office audit needs an assessed self-assessment first, unless the risk is critical."
)
FACTORY_AUDIT_NEEDS_OFFICE_AUDIT = gettext_noop(
    "A factory audit needs an office audit first, unless there is a zero-tolerance signal."
)


def _today() -> date:
    return timezone.localdate()


def _event(
    followup: FollowUp,
    kind: str,
    *,
    acting_user: Any,
    message: str = "",
    from_status: str = "",
    to_status: str = "",
    confidential: bool = False,
    visible_to_supplier: bool = True,
) -> CaseEvent:
    return CaseEvent.objects.create(
        followup=followup,
        kind=kind,
        actor=acting_user if getattr(acting_user, "pk", None) else None,
        message=message,
        from_status=from_status,
        to_status=to_status,
        confidential=confidential,
        visible_to_supplier=visible_to_supplier and not confidential,
    )


def _move(followup: FollowUp, target: str, *, acting_user: Any, message: str = "") -> None:
    """Move the case to target (checking the state machine) and write the timeline."""
    if followup.status == target:
        return
    try:
        check_transition(followup.status, target)
    except TransitionError as error:
        raise ValidationError(str(error)) from None
    before = followup.status
    followup.status = target
    fields = ["status", "updated_at"]
    if target in {State.CLOSED, State.CANCELLED}:
        followup.closed_at = timezone.now()
        fields.append("closed_at")
    followup.save(update_fields=fields)
    _event(
        followup,
        CaseEvent.Kind.STATUS,
        acting_user=acting_user,
        message=message,
        from_status=before,
        to_status=target,
    )
    record_change(
        followup, action="updated", acting_user=acting_user, changes={"status": [before, target]}
    )


def _locked(followup: FollowUp) -> FollowUp:
    """Re-read the case under a row lock so that two simultaneous moves cannot both pass."""
    return FollowUp.objects.select_for_update().get(pk=followup.pk)


# --- opening cases ---------------------------------------------------------------------------


def participating_regions(supplier: Supplier) -> list[Region]:
    """Return every region with an active contract with the supplier."""
    return list(
        Region.objects.filter(contracts__supplier=supplier, contracts__status=ACTIVE)
        .distinct()
        .select_related("organisation")
        .order_by("county_code")
    )


def next_reference(year: int) -> str:
    prefix = f"UF-{year}-"
    last = (
        FollowUp.objects.filter(reference__startswith=prefix)
        .aggregate(last=Max("reference"))
        .get("last")
    )
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:04d}"


def _lead_area_for(category, on: date) -> ProcurementArea | None:
    if category is None:
        return None
    ownership = (
        category.ownerships.filter(valid_from__lte=on)
        .exclude(valid_to__lt=on)
        .select_related("area")
        .order_by("-valid_from")
        .first()
    )
    return ownership.area if ownership else None


@transaction.atomic
def open_followup(
    *,
    supplier: Supplier,
    year: int,
    followup_type: str,
    lead_region: Region,
    acting_user: User | None,
    lead_area: ProcurementArea | None = None,
    clause: ContractClause | None = None,
    clause_level: str = "",
    cost_sek: int = 0,
    sites: Iterable[ProductionSite] = (),
) -> FollowUp:
    """Open a planned case for the supplier, in scope every active contract it has."""
    if supplier.merged_into_id:
        raise ValidationError(
            _("%(name)s has been merged into another supplier.") % {"name": supplier}
        )
    contracts = list(
        Contract.objects.filter(supplier=supplier, status=ACTIVE).select_related(
            "clause", "category"
        )
    )
    if clause is None:
        clauses = [c.clause for c in contracts if c.clause_id]
        clause = max(clauses, key=lambda c: c.version) if clauses else current_clause()
    if clause is None:
        raise ValidationError(_(NO_CLAUSE))
    if not clause_level:
        levels = [c.clause_level for c in contracts if c.clause_level]
        clause_level = max(levels, key=lambda lv: LEVEL_RANK[lv]) if levels else "basic"
    category = max(contracts, key=lambda c: c.annual_value_sek).category if contracts else None
    if lead_area is None:
        lead_area = _lead_area_for(category, date(year, 1, 1))
    contact = supplier.dd_contact_email or next(
        (c.dd_contact_email for c in contracts if c.dd_contact_email), ""
    )
    followup = FollowUp(
        reference=next_reference(year),
        year=year,
        supplier=supplier,
        followup_type=followup_type,
        lead_region=lead_region,
        lead_area=lead_area,
        category=category,
        clause=clause,
        clause_level=clause_level,
        cost_sek=cost_sek,
        contact_email=contact,
        opened_by=acting_user if getattr(acting_user, "pk", None) else None,
    )
    followup.full_clean()
    followup.save()
    followup.contracts.set(contracts)
    followup.sites.set(list(sites) or list(supplier.sites.all()))
    _event(
        followup,
        CaseEvent.Kind.OPENED,
        acting_user=acting_user,
        message=_("%(type)s of %(supplier)s, led by %(region)s.")
        % {
            "type": followup.get_followup_type_display(),
            "supplier": supplier.name,
            "region": lead_region.name,
        },
        visible_to_supplier=False,
    )
    record_change(followup, action="created", acting_user=acting_user)
    return followup


def find_suppliers(lines: Iterable[str]) -> tuple[list[Supplier], list[str]]:
    """Resolve one supplier per line (org number, VAT number, other id or exact name)."""
    found: list[Supplier] = []
    errors: list[str] = []
    for number, raw in enumerate(lines, start=1):
        text = raw.strip()
        if not text:
            continue
        digits = text.replace("-", "").replace(" ", "")
        candidates = Supplier.objects.current().filter(
            Q(org_number=digits)
            | Q(org_number=text)
            | Q(vat_number__iexact=digits)
            | Q(other_id__iexact=text)
            | Q(name__iexact=text)
        )
        matches = list(candidates[:2])
        if len(matches) == 1:
            if matches[0] not in found:
                found.append(matches[0])
        elif not matches:
            errors.append(
                _("Line %(line)s: no supplier “%(text)s”.") % {"line": number, "text": text}
            )
        else:
            errors.append(
                _("Line %(line)s: “%(text)s” matches several suppliers; give the org number.")
                % {"line": number, "text": text}
            )
    return found, errors


@transaction.atomic
def open_followups(*, lines: Iterable[str], acting_user: User, **options: Any) -> list[FollowUp]:
    """Open one case per supplier in lines; all or nothing."""
    suppliers, errors = find_suppliers(lines)
    if errors:
        raise ValidationError(errors)
    if not suppliers:
        raise ValidationError(_("Give at least one supplier."))
    return [open_followup(supplier=s, acting_user=acting_user, **options) for s in suppliers]


# --- self-assessment ---------------------------------------------------------------------------


def questionnaire_for(clause: ContractClause, level: str) -> Questionnaire:
    """Return the newest questionnaire for the clause version and level, building the first."""
    existing = Questionnaire.objects.filter(clause=clause, level=level).order_by("-version").first()
    if existing:
        return existing
    return build_questionnaire(clause, level, acting_user=None)


@transaction.atomic
def build_questionnaire(clause: ContractClause, level: str, *, acting_user: Any) -> Questionnaire:
    """Build a new questionnaire version from the clause's process requirements at level.

    Per process requirement: does the company meet it (yes/no, evidence with its date required),
    and how (text). Then a few facts about the supply chain.
    """
    last = Questionnaire.objects.filter(clause=clause, level=level).aggregate(v=Max("version"))
    questionnaire = Questionnaire.objects.create(
        clause=clause,
        level=level,
        version=(last["v"] or 0) + 1,
        title=_("Self-assessment: %(clause)s (%(level)s)")
        % {"clause": clause.title, "level": ClauseLevel(level).label},
        created_by=acting_user if getattr(acting_user, "pk", None) else None,
    )
    position = 0
    for requirement in clause.process_requirements.order_by("number"):
        position += 1
        Question.objects.create(
            questionnaire=questionnaire,
            position=position,
            requirement=requirement,
            text=_("%(code)s %(title)s: does the company meet the requirement?")
            % {"code": requirement.code, "title": requirement.title},
            help_text=requirement.text_for(level),
            kind=Question.Kind.YES_NO,
            evidence_required=True,
        )
        position += 1
        Question.objects.create(
            questionnaire=questionnaire,
            position=position,
            requirement=requirement,
            text=_("%(code)s: describe how the company works with this, and refer to the evidence.")
            % {"code": requirement.code},
            kind=Question.Kind.TEXT,
        )
    extras = [
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
    for text, kind, choices in extras:
        position += 1
        Question.objects.create(
            questionnaire=questionnaire,
            position=position,
            text=text,
            kind=kind,
            choices=choices,
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
        message=_("Answer due %(date)s.") % {"date": due_date.isoformat()},
    )
    notifications.on_commit_notify_sent(followup)
    notifications.schedule_deadline_checks(
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


@transaction.atomic
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
    """
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
    if errors:
        _discard(stored)
        raise ValidationError(errors)
    for question_id, value in answers.items():
        if question_id in questions:
            Answer.objects.update_or_create(
                response=response, question_id=question_id, defaults={"value": value.strip()}
            )
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
    if submit:
        missing = _missing_answers(response, questions.values())
        if missing:
            transaction.set_rollback(True)
            _discard(stored)
            raise ValidationError(missing)
        response.status = Response.Status.SUBMITTED
        response.submitted_at = timezone.now()
        response.submitted_by = acting_user
        response.save(update_fields=["status", "submitted_at", "submitted_by", "updated_at"])
        _event(followup, CaseEvent.Kind.SUBMITTED, acting_user=acting_user)
        _move(followup, State.ANSWERED, acting_user=acting_user)
        notifications.on_commit_notify_lead(
            followup,
            _("%(ref)s: the supplier has answered the self-assessment.")
            % {"ref": followup.reference},
        )
    else:
        _event(
            followup,
            CaseEvent.Kind.ANSWER_SAVED,
            acting_user=acting_user,
            visible_to_supplier=True,
        )
    return response


def _discard(stored) -> None:
    for item in stored:
        with contextlib.suppress(FileNotFoundError):
            files.absolute_path(item[1].stored_path).unlink(missing_ok=True)


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


def _document(
    followup: FollowUp | None,
    stored_file: files.StoredFile,
    *,
    purpose: str,
    acting_user: Any,
    question_id: int | None = None,
    action: Action | None = None,
    report: Report | None = None,
    document_date: date | None = None,
    confidential: bool = False,
) -> Document:
    return Document.objects.create(
        followup=followup,
        purpose=purpose,
        question_id=question_id,
        action=action,
        report=report,
        filename=stored_file.filename,
        stored_path=stored_file.stored_path,
        content_type=stored_file.content_type,
        size=stored_file.size,
        sha256=stored_file.sha256,
        document_date=document_date,
        confidential=confidential,
        uploaded_by=acting_user if getattr(acting_user, "pk", None) else None,
    )


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
        _("%(ref)s: please complete your self-assessment.") % {"ref": followup.reference},
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
        message=_("%(approved)s approved, %(gap)s gaps, %(deviation)s deviations.") % counts,
    )
    _move(followup, State.ASSESSED, acting_user=acting_user)
    return saved


# --- audits --------------------------------------------------------------------------------


@transaction.atomic
def order_audit(
    followup: FollowUp,
    *,
    kind: str,
    firm: Organisation,
    acting_user: User,
    auditor: User | None = None,
    sites: Iterable[ProductionSite] = (),
    planned_date: date | None = None,
    critical: bool = False,
    zero_tolerance_signal: bool = False,
    cost_sek: int = 0,
) -> Audit:
    """Escalate the case to an office or factory audit and assign it to an audit firm.

    Escalation: an office audit needs an assessed self-assessment unless the risk is critical;
    a factory audit needs an office audit unless there is a zero-tolerance signal (a
    zero-tolerance deviation or report counts as one).
    """
    followup = _locked(followup)
    if firm.kind != Organisation.Kind.AUDIT_FIRM:
        raise ValidationError({"firm": _("Choose an audit firm.")})
    if (
        auditor is not None
        and not auditor.memberships.filter(
            organisation=firm, role=Role.AUDITOR, is_active=True
        ).exists()
    ):
        raise ValidationError({"auditor": _("The auditor must work at the chosen audit firm.")})
    sites = list(sites)
    if any(site.supplier_id != followup.supplier_id for site in sites):
        raise ValidationError({"sites": _("Choose sites of the case's supplier.")})
    if kind == Audit.Kind.OFFICE:
        target = State.OFFICE_AUDIT
        if followup.status != State.ASSESSED and not critical:
            raise ValidationError(_(OFFICE_AUDIT_NEEDS_SELF_ASSESSMENT))
    elif kind == Audit.Kind.FACTORY:
        target = State.FACTORY_AUDIT
        signal = zero_tolerance_signal or followup.deviations.filter(zero_tolerance=True).exists()
        had_office = followup.audits.filter(kind=Audit.Kind.OFFICE).exists()
        if not (had_office or signal):
            raise ValidationError(_(FACTORY_AUDIT_NEEDS_OFFICE_AUDIT))
        if not sites:
            raise ValidationError({"sites": _("A factory audit needs at least one site.")})
    else:
        raise ValidationError({"kind": _("Choose an office or a factory audit.")})
    audit = Audit.objects.create(
        followup=followup,
        kind=kind,
        firm=firm,
        auditor=auditor,
        planned_date=planned_date,
        cost_sek=cost_sek,
    )
    audit.sites.set(sites)
    reason = ""
    if critical and kind == Audit.Kind.OFFICE and followup.status != State.ASSESSED:
        reason = _("Critical risk: straight to an office audit.")
    elif zero_tolerance_signal and kind == Audit.Kind.FACTORY:
        reason = _("Zero-tolerance signal: straight to a factory audit.")
    _event(
        followup,
        CaseEvent.Kind.AUDIT,
        acting_user=acting_user,
        message=_("%(kind)s assigned to %(firm)s. %(reason)s")
        % {"kind": audit.get_kind_display(), "firm": firm.name, "reason": reason},
    )
    _move(followup, target, acting_user=acting_user)
    if auditor is not None:
        notifications.on_commit_mail(
            [auditor.email],
            _("%(ref)s: an audit is assigned to you") % {"ref": followup.reference},
            _("Open the audit in hallbar to see its scope."),
        )
    return audit


@transaction.atomic
def save_audit(
    audit: Audit,
    *,
    acting_user: User,
    documents_reviewed: str,
    interviews: str,
    report: str,
    performed_date: date | None,
    report_file=None,
    finish: bool = False,
) -> Audit:
    """Save the auditor's work; finishing needs the date performed and the report."""
    if not audit.followup.is_open:
        raise ValidationError(_("The case is closed."))
    if performed_date and performed_date > _today():
        raise ValidationError({"performed_date": _("The audit cannot be performed in the future.")})
    audit.documents_reviewed = documents_reviewed.strip()
    audit.interviews = interviews.strip()
    audit.report = report.strip()
    audit.performed_date = performed_date
    if performed_date and audit.status == Audit.Status.ASSIGNED:
        audit.status = Audit.Status.PERFORMED
    if finish:
        if not (performed_date and (audit.report or report_file)):
            raise ValidationError(_("A finished audit needs the date performed and a report."))
        audit.status = Audit.Status.REPORTED
    audit.save()
    if report_file is not None:
        stored = files.store_upload(report_file, folder=str(audit.followup.public_id))
        _document(
            audit.followup,
            stored,
            purpose=Document.Purpose.AUDIT_REPORT,
            document_date=performed_date,
            confidential=True,
            acting_user=acting_user,
        )
    _event(
        audit.followup,
        CaseEvent.Kind.AUDIT,
        acting_user=acting_user,
        message=_("%(kind)s: %(status)s.")
        % {"kind": audit.get_kind_display(), "status": audit.get_status_display()},
        visible_to_supplier=False,
    )
    return audit


# --- deviations, action plans, sanctions ------------------------------------------------------

DEVIATION_STATES = {
    State.ANSWERED,
    State.ASSESSED,
    State.OFFICE_AUDIT,
    State.FACTORY_AUDIT,
    State.DEVIATIONS,
    State.ACTION_PLAN,
    State.VERIFIED,
}


@transaction.atomic
def record_deviation(
    followup: FollowUp,
    *,
    acting_user: User,
    area: str,
    severity: str,
    description: str,
    source: str,
    requirement=None,
    commitment: str = "",
    zero_tolerance: bool = False,
    confidential: bool = False,
    audit: Audit | None = None,
    site: ProductionSite | None = None,
    found_on: date | None = None,
) -> Deviation:
    """Record a deviation; the supplier then has PLAN_DAYS to submit an action plan.

    A zero-tolerance deviation also gets the clause's reporting deadline and flags the supplier's
    active contracts for immediate termination, for each buyer's decision.
    """
    followup = _locked(followup)
    if followup.status not in DEVIATION_STATES:
        raise ValidationError(
            _("Deviations are recorded once the supplier has answered or been audited.")
        )
    found_on = found_on or _today()
    if found_on > _today():
        raise ValidationError({"found_on": _("The date found cannot be in the future.")})
    if requirement is not None and requirement.clause_id != followup.clause_id:
        raise ValidationError({"requirement": _("Choose a requirement of the case's clause.")})
    if site is not None and site.supplier_id != followup.supplier_id:
        raise ValidationError({"site": _("Choose a site of the case's supplier.")})
    if audit is not None and audit.followup_id != followup.pk:
        raise ValidationError({"audit": _("Choose an audit of this case.")})
    number = (followup.deviations.aggregate(n=Max("number"))["n"] or 0) + 1
    deviation = Deviation(
        followup=followup,
        number=number,
        requirement=requirement,
        commitment=commitment.strip(),
        area=area,
        severity=severity,
        zero_tolerance=zero_tolerance,
        confidential=confidential,
        description=description.strip(),
        source=source,
        audit=audit,
        site=site,
        found_on=found_on,
        report_due=found_on + timedelta(days=followup.clause.reporting_days)
        if zero_tolerance
        else None,
        plan_due=found_on + timedelta(days=PLAN_DAYS),
        recorded_by=acting_user,
    )
    deviation.full_clean(exclude=["followup"])
    deviation.save()
    _event(
        followup,
        CaseEvent.Kind.DEVIATION,
        acting_user=acting_user,
        message=_("Deviation %(number)s (%(severity)s%(zt)s): %(label)s.")
        % {
            "number": number,
            "severity": deviation.get_severity_display(),
            "zt": ", " + _("zero tolerance") if zero_tolerance else "",
            "label": deviation.label,
        },
        confidential=confidential,
    )
    if followup.status == State.ANSWERED:
        _move(followup, State.ASSESSED, acting_user=acting_user)
    _move(followup, State.DEVIATIONS, acting_user=acting_user)
    if (
        hasattr(followup, "action_plan")
        and followup.action_plan.status == ActionPlan.Status.ACCEPTED
    ):
        # A new deviation reopens the plan: the supplier adds actions for it.
        followup.action_plan.status = ActionPlan.Status.DRAFT
        followup.action_plan.save(update_fields=["status", "updated_at"])
    notifications.on_commit_notify_supplier(
        followup,
        _("%(ref)s: a deviation has been recorded") % {"ref": followup.reference},
        _("Submit an action plan by %(date)s.") % {"date": deviation.plan_due.isoformat()},
    )
    if zero_tolerance:
        notifications.on_commit_notify_buyers(followup, deviation)
    notifications.schedule_deadline_checks(
        followup, [deviation.plan_due - timedelta(days=7), deviation.plan_due + timedelta(days=1)]
    )
    return deviation


@transaction.atomic
def save_action_plan(
    followup: FollowUp,
    *,
    actions: list[dict[str, Any]],
    submit: bool,
    acting_user: User,
) -> ActionPlan:
    """Replace the open actions of the supplier's plan; on submit every open deviation needs one.

    Each action is {"deviation": Deviation, "description", "owner", "deadline": date}.
    """
    followup = _locked(followup)
    if followup.status not in {State.DEVIATIONS, State.ACTION_PLAN}:
        raise ValidationError(_("There is no action plan to write for this case now."))
    plan, _created = ActionPlan.objects.get_or_create(followup=followup)
    if plan.status == ActionPlan.Status.SUBMITTED:
        raise ValidationError(_("The plan has been submitted and waits for the lead's review."))
    open_deviations = {
        d.pk: d
        for d in followup.deviations.filter(
            status__in=[Deviation.Status.OPEN, Deviation.Status.PLANNED]
        )
    }
    errors: dict[str, list[str]] = {}
    clean = []
    for index, item in enumerate(actions):
        key = f"a{index}"
        deviation = item.get("deviation")
        if deviation is None or deviation.pk not in open_deviations:
            errors.setdefault(key, []).append(_("Choose an open deviation of this case."))
            continue
        description = (item.get("description") or "").strip()
        owner = (item.get("owner") or "").strip()
        deadline = item.get("deadline")
        if not description:
            errors.setdefault(key, []).append(_("Describe the action."))
        if not owner:
            errors.setdefault(key, []).append(_("Name who is responsible."))
        if deadline is None:
            errors.setdefault(key, []).append(_("Give a deadline."))
        elif deadline < _today():
            errors.setdefault(key, []).append(_("The deadline cannot be in the past."))
        clean.append((deviation, description, owner, deadline))
    if errors:
        raise ValidationError(errors)
    plan.actions.filter(status=Action.Status.OPEN).delete()
    for deviation, description, owner, deadline in clean:
        Action.objects.create(
            plan=plan, deviation=deviation, description=description, owner=owner, deadline=deadline
        )
    if submit:
        covered = set(
            plan.actions.exclude(status=Action.Status.REJECTED).values_list(
                "deviation_id", flat=True
            )
        )
        uncovered = [d for pk, d in open_deviations.items() if pk not in covered]
        if uncovered:
            raise ValidationError(
                _("Every open deviation needs at least one action: %(list)s.")
                % {"list": ", ".join(str(d) for d in uncovered)}
            )
        plan.status = ActionPlan.Status.SUBMITTED
        plan.submitted_at = timezone.now()
        plan.submitted_by = acting_user
        plan.save(update_fields=["status", "submitted_at", "submitted_by", "updated_at"])
        Deviation.objects.filter(pk__in=open_deviations).update(status=Deviation.Status.PLANNED)
        _event(
            followup,
            CaseEvent.Kind.ACTION_PLAN,
            acting_user=acting_user,
            message=ngettext(
                "Action plan submitted with %(count)s action.",
                "Action plan submitted with %(count)s actions.",
                plan.actions.count(),
            )
            % {"count": plan.actions.count()},
        )
        _move(followup, State.ACTION_PLAN, acting_user=acting_user)
        notifications.on_commit_notify_lead(
            followup,
            _("%(ref)s: the supplier has submitted an action plan.") % {"ref": followup.reference},
        )
        deadlines = sorted({a.deadline for a in plan.actions.all()})
        notifications.schedule_deadline_checks(
            followup,
            [d - timedelta(days=7) for d in deadlines] + [d + timedelta(days=1) for d in deadlines],
        )
    else:
        plan.save(update_fields=["updated_at"])
    return plan


@transaction.atomic
def review_action_plan(
    followup: FollowUp, *, accept: bool, comment: str, acting_user: User
) -> ActionPlan:
    """Accept the supplier's plan, or send it back as not enough (the supplier revises it)."""
    followup = _locked(followup)
    plan = getattr(followup, "action_plan", None)
    if plan is None or plan.status != ActionPlan.Status.SUBMITTED:
        raise ValidationError(_("There is no submitted action plan to review."))
    if not accept and not comment.strip():
        raise ValidationError({"comment": _("Say why the plan is not enough.")})
    plan.status = ActionPlan.Status.ACCEPTED if accept else ActionPlan.Status.REJECTED
    plan.review_comment = comment.strip()
    plan.save(update_fields=["status", "review_comment", "updated_at"])
    _event(
        followup,
        CaseEvent.Kind.ACTION_PLAN,
        acting_user=acting_user,
        message=(_("Action plan accepted.") if accept else _("Action plan not enough: %(c)s"))
        % {"c": comment.strip()},
    )
    if not accept:
        _move(followup, State.DEVIATIONS, acting_user=acting_user)
        notifications.on_commit_notify_supplier(
            followup,
            _("%(ref)s: your action plan needs more") % {"ref": followup.reference},
            comment.strip(),
        )
    return plan


@transaction.atomic
def report_action_done(
    action: Action, *, note: str, acting_user: User, evidence=None, document_date=None
) -> Action:
    """The supplier reports an action done, with evidence."""
    followup = _locked(action.plan.followup)
    if followup.status != State.ACTION_PLAN or action.plan.status not in {
        ActionPlan.Status.SUBMITTED,
        ActionPlan.Status.ACCEPTED,
    }:
        raise ValidationError(_("Actions are reported once the action plan is submitted."))
    if action.status not in {Action.Status.OPEN, Action.Status.REJECTED}:
        raise ValidationError(_("This action has already been reported done."))
    if not note.strip():
        raise ValidationError({"note": _("Say what was done.")})
    if evidence is not None:
        if document_date is None:
            raise ValidationError({"document_date": _("Give the date of the document you upload.")})
        stored = files.store_upload(evidence, folder=str(followup.public_id))
        _document(
            followup,
            stored,
            purpose=Document.Purpose.ACTION_EVIDENCE,
            action=action,
            document_date=document_date,
            acting_user=acting_user,
        )
    action.status = Action.Status.DONE
    action.done_on = _today()
    action.done_note = note.strip()
    action.save(update_fields=["status", "done_on", "done_note", "updated_at"])
    _event(
        followup,
        CaseEvent.Kind.ACTION,
        acting_user=acting_user,
        message=_("Action reported done: %(action)s") % {"action": action.description[:80]},
    )
    return action


@transaction.atomic
def verify_action(
    action: Action, *, accepted: bool, verification: str, acting_user: User
) -> Action:
    """Verify an action (or find it not enough); a deviation whose actions are all verified is
    closed out (släckt), and a case whose deviations are all closed out becomes verified."""
    followup = _locked(action.plan.followup)
    if followup.status != State.ACTION_PLAN:
        raise ValidationError(_("Actions are verified while the action plan runs."))
    if action.status == Action.Status.VERIFIED:
        raise ValidationError(_("This action is already verified."))
    if not verification.strip():
        raise ValidationError({"verification": _("Say how the action was verified.")})
    action.verification = verification.strip()
    action.verified_by = acting_user
    if accepted:
        action.status = Action.Status.VERIFIED
        action.verified_on = _today()
    else:
        action.status = Action.Status.REJECTED
    action.save()
    _event(
        followup,
        CaseEvent.Kind.ACTION,
        acting_user=acting_user,
        message=(_("Action verified: %(a)s") if accepted else _("Action not enough: %(a)s"))
        % {"a": action.description[:80]},
    )
    deviation = action.deviation
    if accepted and not deviation.actions.exclude(status=Action.Status.VERIFIED).exists():
        deviation.status = Deviation.Status.REMEDIED
        deviation.closed_out_on = _today()
        deviation.save(update_fields=["status", "closed_out_on", "updated_at"])
        _event(
            followup,
            CaseEvent.Kind.ACTION,
            acting_user=acting_user,
            message=_("Deviation %(d)s closed out.") % {"d": deviation},
            confidential=deviation.confidential,
        )
    if not followup.deviations.exclude(status=Deviation.Status.REMEDIED).exists():
        _move(
            followup,
            State.VERIFIED,
            acting_user=acting_user,
            message=_("Every deviation is remedied."),
        )
    return action


@transaction.atomic
def close_followup(followup: FollowUp, *, acting_user: User, note: str = "") -> FollowUp:
    """Close the case: after verification, or after an assessment or audit with no deviations."""
    followup = _locked(followup)
    if followup.deviations.exclude(status=Deviation.Status.REMEDIED).exists():
        raise ValidationError(_("The case has deviations that are not remedied."))
    after_finding = {State.ASSESSED, State.OFFICE_AUDIT, State.FACTORY_AUDIT}
    if followup.status in after_finding and followup.deviations.exists():
        raise ValidationError(_("Verify the action plan before closing."))
    _move(followup, State.CLOSED, acting_user=acting_user, message=note.strip())
    notifications.on_commit_notify_participants(
        followup, _("%(ref)s is closed") % {"ref": followup.reference}
    )
    return followup


@transaction.atomic
def cancel_followup(followup: FollowUp, *, reason: str, acting_user: User) -> FollowUp:
    followup = _locked(followup)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the case is cancelled.")})
    _move(followup, State.CANCELLED, acting_user=acting_user, message=reason.strip())
    return followup


def vite_weeks(deadline: date, until: date) -> int:
    """Return the started weeks late between deadline and until (0 when not late)."""
    return ContractClause.started_weeks(max(0, (until - deadline).days))


def vite_due(deviation: Deviation, on: date) -> tuple[int, Decimal]:
    """Return (started weeks late, vite) for the deviation on the given day, capped by the clause.

    Late is measured from the action-plan deadline while no plan is submitted, then from the
    latest action deadline while any action is unverified, until the day it was remedied.
    """
    clause = deviation.followup.clause
    if deviation.status == Deviation.Status.REMEDIED and deviation.closed_out_on:
        on = min(on, deviation.closed_out_on)
    actions = list(deviation.actions.all())
    if not actions:
        weeks = vite_weeks(deviation.plan_due, on)
    else:
        late = [a for a in actions if a.status != Action.Status.VERIFIED or a.verified_on]
        weeks = max(
            (vite_weeks(a.deadline, min(on, a.verified_on) if a.verified_on else on) for a in late),
            default=0,
        )
    return weeks, clause.vite_for(weeks)


@transaction.atomic
def record_sanction(
    followup: FollowUp,
    *,
    kind: str,
    acting_user: User,
    deviation: Deviation | None = None,
    contract: Contract | None = None,
    note: str = "",
    decided_on: date | None = None,
) -> Sanction:
    """Record a sanction under the clause; vite is computed from the deviation's lateness."""
    decided_on = decided_on or _today()
    if deviation is not None and deviation.followup_id != followup.pk:
        raise ValidationError({"deviation": _("Choose a deviation of this case.")})
    if contract is not None and contract.supplier_id != followup.supplier_id:
        raise ValidationError({"contract": _("Choose a contract with the case's supplier.")})
    weeks = amount = None
    if kind == Sanction.Kind.VITE:
        if deviation is None:
            raise ValidationError({"deviation": _("Vite is decided for a deviation.")})
        weeks, amount = vite_due(deviation, decided_on)
        already = sum(
            (s.amount_sek or 0) for s in deviation.sanctions.filter(kind=Sanction.Kind.VITE)
        )
        amount = max(Decimal(0), amount - already)
        if not amount:
            raise ValidationError(
                _("No vite is due: the deviation is not late, or the cap is reached.")
            )
    elif kind in {Sanction.Kind.CALL_OFF_STOP, Sanction.Kind.TERMINATION}:
        if contract is None:
            raise ValidationError({"contract": _("Choose the contract the sanction applies to.")})
        if not note.strip():
            raise ValidationError({"note": _("Refer to the decision.")})
    else:
        raise ValidationError({"kind": _("Choose a sanction.")})
    sanction = Sanction.objects.create(
        followup=followup,
        deviation=deviation,
        contract=contract,
        kind=kind,
        weeks=weeks,
        amount_sek=amount,
        decided_on=decided_on,
        note=note.strip(),
        decided_by=acting_user,
    )
    if kind == Sanction.Kind.TERMINATION:
        Contract.objects.filter(pk=contract.pk).update(status=Contract.Status.TERMINATED)
        record_change(
            contract,
            action="updated",
            acting_user=acting_user,
            changes={"status": [contract.status, Contract.Status.TERMINATED]},
        )
    _event(
        followup,
        CaseEvent.Kind.SANCTION,
        acting_user=acting_user,
        message=_("%(kind)s%(amount)s.")
        % {
            "kind": sanction.get_kind_display(),
            "amount": f": {amount:,.0f} kr".replace(",", " ") if amount is not None else "",
        },
        visible_to_supplier=True,
    )
    return sanction


# --- reports and grievances ---------------------------------------------------------------------


@transaction.atomic
def submit_report(
    *,
    kind: str,
    supplier: Supplier,
    description: str,
    known_on: date,
    acting_user: User,
    zero_tolerance_item=None,
    area: str = "",
    country: str = "",
    channel: str = "",
    attachment=None,
) -> Report:
    """Register a supplier's zero-tolerance report or a grievance received under PR6."""
    if known_on > _today():
        raise ValidationError({"known_on": _("The date cannot be in the future.")})
    if not description.strip():
        raise ValidationError({"description": _("Describe what happened.")})
    if kind == Report.Kind.ZERO_TOLERANCE and zero_tolerance_item is None:
        raise ValidationError({"zero_tolerance_item": _("Choose the zero-tolerance deviation.")})
    report = Report.objects.create(
        kind=kind,
        supplier=supplier,
        description=description.strip(),
        known_on=known_on,
        received_on=_today(),
        zero_tolerance_item=zero_tolerance_item,
        area=area or (zero_tolerance_item.area if zero_tolerance_item else ""),
        country=country,
        channel=channel.strip(),
        reported_by=acting_user,
    )
    if attachment is not None:
        stored = files.store_upload(attachment, folder=f"reports/{report.public_id}")
        _document(
            None, stored, purpose=Document.Purpose.REPORT, report=report, acting_user=acting_user
        )
    record_change(report, action="created", acting_user=acting_user)
    notifications.on_commit_notify_secretariat(
        _("New %(kind)s about %(supplier)s")
        % {"kind": report.get_kind_display(), "supplier": supplier.name}
    )
    return report


def report_is_late(report: Report) -> bool:
    """Return whether a zero-tolerance report came after the clause's reporting duty."""
    clause = current_clause()
    if report.kind != Report.Kind.ZERO_TOLERANCE or clause is None:
        return False
    return (report.received_on - report.known_on).days > clause.reporting_days


@transaction.atomic
def triage_report(
    report: Report,
    *,
    acting_user: User,
    dismiss: bool = False,
    note: str = "",
    followup: FollowUp | None = None,
    lead_region: Region | None = None,
    severity: str = Deviation.Severity.CRITICAL,
) -> Report:
    """Dismiss the report, or turn it into a deviation of an open case of the supplier (opening
    one, led by lead_region, when there is none)."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status != Report.Status.NEW:
        raise ValidationError(_("The report has already been triaged."))
    if dismiss:
        if not note.strip():
            raise ValidationError({"note": _("Say why the report is dismissed.")})
        report.status = Report.Status.DISMISSED
        report.triage_note = note.strip()
        report.save(update_fields=["status", "triage_note", "updated_at"])
        record_change(
            report, action="updated", acting_user=acting_user, changes={"status": "dismissed"}
        )
        return report
    if followup is None:
        followup = (
            FollowUp.objects.filter(supplier=report.supplier, status__in=DEVIATION_STATES)
            .order_by("-created_at")
            .first()
        )
    if followup is None:
        if lead_region is None:
            raise ValidationError({"lead_region": _("Choose the region to lead the new case.")})
        followup = open_followup(
            supplier=report.supplier,
            year=_today().year,
            followup_type=FollowUpType.DIALOGUE,
            lead_region=lead_region,
            acting_user=acting_user,
        )
    elif followup.supplier_id != report.supplier_id or followup.status not in DEVIATION_STATES:
        raise ValidationError({"followup": _("Choose an open case of the same supplier.")})
    if followup.status in {State.PLANNED, State.SENT}:
        # A report is itself the finding: the case skips straight to its deviations.
        _event(
            followup,
            CaseEvent.Kind.REPORT,
            acting_user=acting_user,
            message=_("The case continues from the report."),
        )
        followup.status = State.ASSESSED
        followup.save(update_fields=["status", "updated_at"])
    zero = report.kind == Report.Kind.ZERO_TOLERANCE
    item = report.zero_tolerance_item
    record_deviation(
        followup,
        acting_user=acting_user,
        area=report.area or "human_rights",
        severity=severity,
        description=report.description,
        source=Deviation.Source.REPORT if zero else Deviation.Source.GRIEVANCE,
        commitment=item.title if item else _("Grievance received under PR6"),
        zero_tolerance=zero,
        confidential=report.kind == Report.Kind.GRIEVANCE,
        found_on=report.known_on,
    )
    report.status = Report.Status.TRIAGED
    report.followup = followup
    report.triage_note = note.strip()
    report.save(update_fields=["status", "followup", "triage_note", "updated_at"])
    _event(
        followup,
        CaseEvent.Kind.REPORT,
        acting_user=acting_user,
        message=_("%(kind)s received %(date)s triaged into this case.")
        % {"kind": report.get_kind_display(), "date": report.received_on.isoformat()},
        confidential=report.kind == Report.Kind.GRIEVANCE,
    )
    return report


# --- publication -------------------------------------------------------------------------------


def can_publish(followup: FollowUp) -> bool:
    """A summary is published once an action plan exists (or the case closed without deviations)."""
    plan = getattr(followup, "action_plan", None)
    if plan is not None and plan.status in {
        ActionPlan.Status.SUBMITTED,
        ActionPlan.Status.ACCEPTED,
    }:
        return True
    if plan is not None and plan.submitted_at:
        return True
    return followup.status == State.CLOSED and not followup.deviations.exists()


@transaction.atomic
def publish_summary(followup: FollowUp, *, acting_user: User) -> FollowUp:
    """Publish the case's anonymised summary (built from its data, never from free text)."""
    from hallbar.followups.publication import build_summary

    followup = _locked(followup)
    if not can_publish(followup):
        raise ValidationError(_("A summary is published only once an action plan exists."))
    followup.summary = build_summary(followup)
    followup.published_at = timezone.now()
    followup.save(update_fields=["summary", "published_at", "updated_at"])
    _event(followup, CaseEvent.Kind.PUBLISHED, acting_user=acting_user)
    return followup
