"""Zero-tolerance reports from suppliers and grievances, triaged into cases."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from hallbar.core.deferred import choice_of, deferred
from hallbar.core.history import record_change
from hallbar.followups import files, notifications
from hallbar.followups.models import (
    CaseEvent,
    Deviation,
    Document,
    FollowUp,
    FollowUpType,
    Report,
)
from hallbar.followups.services.cases import open_followup
from hallbar.followups.services.common import (
    _document,
    _event,
    _today,
)
from hallbar.followups.services.deviations import DEVIATION_STATES, record_deviation
from hallbar.followups.states import State
from hallbar.organisations.models import Region, User
from hallbar.requirements.selectors import current_clause
from hallbar.suppliers.models import Supplier


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
        deferred(
            gettext_noop("New %(kind)s about %(supplier)s"),
            kind=choice_of(report, "kind"),
            supplier=supplier.name,
        ),
        notifications.absolute_url("followups:report-detail", report.public_id),
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
    supplier_description: str = "",
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
            message=deferred(gettext_noop("The case continues from the report.")),
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
        supplier_description=supplier_description,
    )
    report.status = Report.Status.TRIAGED
    report.followup = followup
    report.triage_note = note.strip()
    report.save(update_fields=["status", "followup", "triage_note", "updated_at"])
    _event(
        followup,
        CaseEvent.Kind.REPORT,
        acting_user=acting_user,
        message=deferred(
            gettext_noop("%(kind)s received %(date)s triaged into this case."),
            kind=choice_of(report, "kind"),
            date=report.received_on,
        ),
        confidential=report.kind == Report.Kind.GRIEVANCE,
    )
    return report
