"""Deviations, action plans, their verification to closure, and sanctions under the clause."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext_lazy

from hallbar.contracts.models import Contract
from hallbar.core.deferred import choice_of, deferred, deferred_plural
from hallbar.core.history import record_change
from hallbar.followups import files, notifications, tasks
from hallbar.followups.models import (
    Action,
    ActionPlan,
    Audit,
    CaseEvent,
    Deviation,
    Document,
    FollowUp,
    Sanction,
)
from hallbar.followups.services.common import (
    PLAN_DAYS,
    _document,
    _event,
    _locked,
    _move,
    _today,
)
from hallbar.followups.states import State
from hallbar.organisations.models import User
from hallbar.requirements.models import ContractClause
from hallbar.suppliers.models import ProductionSite

DEVIATION_STATES = {
    State.ANSWERED,
    State.ASSESSED,
    State.OFFICE_AUDIT,
    State.FACTORY_AUDIT,
    State.DEVIATIONS,
    State.ACTION_PLAN,
    State.VERIFIED,
}

# makemessages finds plural forms only in ngettext calls: this one marks the timeline line that
# deferred_plural stores (core.deferred renders it in each reader's language).
ngettext_lazy(
    "Action plan submitted with %(count)s action.",
    "Action plan submitted with %(count)s actions.",
)


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
    supplier_description: str = "",
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
        supplier_description=supplier_description.strip(),
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
        message=deferred(
            gettext_noop("Deviation %(number)s (%(severity)s, zero tolerance): %(label)s.")
            if zero_tolerance
            else gettext_noop("Deviation %(number)s (%(severity)s%(zt)s): %(label)s."),
            number=str(number),
            severity=choice_of(deviation, "severity"),
            zt="",
            label=deviation.label,
        ),
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
        deferred(gettext_noop("%(ref)s: a deviation has been recorded"), ref=followup.reference),
        deferred(gettext_noop("Submit an action plan by %(date)s."), date=deviation.plan_due),
    )
    if zero_tolerance:
        notifications.on_commit_notify_buyers(followup, deviation)
    tasks.schedule_deadline_checks(
        followup, [deviation.plan_due - timedelta(days=7), deviation.plan_due + timedelta(days=1)]
    )
    return deviation


@transaction.atomic
def set_supplier_description(deviation: Deviation, *, text: str, acting_user: User) -> Deviation:
    """Write what the supplier reads of a confidential or grievance-based deviation.

    The supplier never reads such a deviation's own text, which may quote or identify the people
    who reported it; it reads this wording: what it must remedy.
    """
    deviation = Deviation.objects.select_for_update().get(pk=deviation.pk)
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write what the supplier must remedy.")})
    old = deviation.supplier_description
    if old == text:
        return deviation
    deviation.supplier_description = text
    deviation.save(update_fields=["supplier_description", "updated_at"])
    record_change(
        deviation,
        action="updated",
        acting_user=acting_user,
        changes={"supplier_description": [old, text]},
    )
    _event(
        deviation.followup,
        CaseEvent.Kind.DEVIATION,
        acting_user=acting_user,
        message=deferred(
            gettext_noop("Deviation %(number)s: the description for the supplier was written."),
            number=str(deviation.number),
        ),
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
    clean: list[tuple[Deviation, str, str, date]] = []
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
            continue
        if deadline < _today():
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
            message=deferred_plural(
                "Action plan submitted with %(count)s action.",
                "Action plan submitted with %(count)s actions.",
                plan.actions.count(),
            ),
        )
        _move(followup, State.ACTION_PLAN, acting_user=acting_user)
        notifications.on_commit_notify_lead(
            followup,
            deferred(
                gettext_noop("%(ref)s: the supplier has submitted an action plan."),
                ref=followup.reference,
            ),
        )
        deadlines = sorted({a.deadline for a in plan.actions.all()})
        tasks.schedule_deadline_checks(
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
        message=deferred(gettext_noop("Action plan accepted."))
        if accept
        else deferred(gettext_noop("Action plan not enough: %(c)s"), c=comment.strip()),
    )
    if not accept:
        _move(followup, State.DEVIATIONS, acting_user=acting_user)
        notifications.on_commit_notify_supplier(
            followup,
            deferred(gettext_noop("%(ref)s: your action plan needs more"), ref=followup.reference),
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
        message=deferred(
            gettext_noop("Action reported done: %(action)s"), action=action.description[:80]
        ),
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
        message=deferred(
            gettext_noop("Action verified: %(a)s")
            if accepted
            else gettext_noop("Action not enough: %(a)s"),
            a=action.description[:80],
        ),
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
            message=deferred(gettext_noop("Deviation %(d)s closed out."), d=str(deviation)),
            confidential=deviation.confidential,
        )
    if not followup.deviations.exclude(status=Deviation.Status.REMEDIED).exists():
        _move(
            followup,
            State.VERIFIED,
            acting_user=acting_user,
            message=deferred(gettext_noop("Every deviation is remedied.")),
        )
    return action


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
    if kind == Sanction.Kind.TERMINATION and contract is not None:  # required above
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
        message=deferred(
            gettext_noop("%(kind)s: %(amount)s kr."),
            kind=choice_of(sanction, "kind"),
            amount=amount,
        )
        if amount is not None
        else deferred(gettext_noop("%(kind)s."), kind=choice_of(sanction, "kind")),
        visible_to_supplier=True,
    )
    return sanction
