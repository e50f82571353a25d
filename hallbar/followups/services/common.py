"""What every follow-up service shares: deadlines, the timeline, moves of the state machine."""

import contextlib
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_noop

from hallbar.contracts.models import Contract
from hallbar.core.deferred import Deferred, render
from hallbar.core.history import record_change
from hallbar.followups import files
from hallbar.followups.models import (
    Action,
    Audit,
    CaseEvent,
    Document,
    FollowUp,
    Report,
)
from hallbar.followups.states import State, TransitionError, check_transition

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
    message: str | Deferred = "",
    from_status: str = "",
    to_status: str = "",
    confidential: bool = False,
    visible_to_supplier: bool = True,
) -> CaseEvent:
    """Write a line of the timeline. A generated message is a deferred one (core.deferred), so
    that each reader reads it in their language; a person's own words are a plain string."""
    text: Deferred = {}
    if isinstance(message, dict):
        text = message
        message = render(text)  # as written (the writer's language); readers get their own
    return CaseEvent.objects.create(
        followup=followup,
        kind=kind,
        actor=acting_user if getattr(acting_user, "pk", None) else None,
        message=message,
        text=text,
        from_status=from_status,
        to_status=to_status,
        confidential=confidential,
        visible_to_supplier=visible_to_supplier and not confidential,
    )


def _move(
    followup: FollowUp, target: str, *, acting_user: Any, message: str | Deferred = ""
) -> None:
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


def _discard(stored) -> None:
    for item in stored:
        with contextlib.suppress(FileNotFoundError):
            files.absolute_path(item[1].stored_path).unlink(missing_ok=True)


def _document(
    followup: FollowUp | None,
    stored_file: files.StoredFile,
    *,
    purpose: str,
    acting_user: Any,
    question_id: int | None = None,
    action: Action | None = None,
    report: Report | None = None,
    audit: Audit | None = None,
    document_date: date | None = None,
    confidential: bool = False,
) -> Document:
    return Document.objects.create(
        followup=followup,
        purpose=purpose,
        question_id=question_id,
        action=action,
        report=report,
        audit=audit,
        filename=stored_file.filename,
        stored_path=stored_file.stored_path,
        content_type=stored_file.content_type,
        size=stored_file.size,
        sha256=stored_file.sha256,
        document_date=document_date,
        confidential=confidential,
        uploaded_by=acting_user if getattr(acting_user, "pk", None) else None,
    )
