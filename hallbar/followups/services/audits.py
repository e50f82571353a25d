"""Audits: escalation to an office or factory audit, and the auditor's work."""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from hallbar.core.deferred import choice_of, deferred
from hallbar.followups import files, notifications
from hallbar.followups.models import (
    Audit,
    CaseEvent,
    Document,
    FollowUp,
)
from hallbar.followups.services.common import (
    FACTORY_AUDIT_NEEDS_OFFICE_AUDIT,
    OFFICE_AUDIT_NEEDS_SELF_ASSESSMENT,
    _document,
    _event,
    _locked,
    _move,
    _today,
)
from hallbar.followups.states import State
from hallbar.organisations.models import Organisation, Role, User
from hallbar.suppliers.models import ProductionSite


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
    reason: str | dict = ""
    if critical and kind == Audit.Kind.OFFICE and followup.status != State.ASSESSED:
        reason = deferred(gettext_noop("Critical risk: straight to an office audit."))
    elif zero_tolerance_signal and kind == Audit.Kind.FACTORY:
        reason = deferred(gettext_noop("Zero-tolerance signal: straight to a factory audit."))
    _event(
        followup,
        CaseEvent.Kind.AUDIT,
        acting_user=acting_user,
        message=deferred(
            gettext_noop("%(kind)s assigned to %(firm)s. %(reason)s"),
            kind=choice_of(audit, "kind"),
            firm=firm.name,
            reason=reason,
        ),
    )
    _move(followup, target, acting_user=acting_user)
    notifications.on_commit_notify_auditor(
        audit,
        deferred(gettext_noop("%(ref)s: an audit is assigned to you"), ref=followup.reference),
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
            audit=audit,
            document_date=performed_date,
            confidential=True,
            acting_user=acting_user,
        )
    _event(
        audit.followup,
        CaseEvent.Kind.AUDIT,
        acting_user=acting_user,
        message=deferred(
            gettext_noop("%(kind)s: %(status)s."),
            kind=choice_of(audit, "kind"),
            status=choice_of(audit, "status"),
        ),
        visible_to_supplier=False,
    )
    return audit
