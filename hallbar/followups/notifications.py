"""Emails about cases, sent after the transaction commits.

This module imports no follow-up services or tasks, so that services, deadlines and tasks can all
use it without an import cycle.
"""

from collections.abc import Iterable

from django.core.mail import send_mail
from django.db import transaction
from django.utils.translation import gettext as _

from hallbar.contracts.selectors import participating_regions
from hallbar.organisations.models import Membership, Role


def _emails(memberships) -> list[str]:
    return sorted({m.user.email for m in memberships.select_related("user") if m.user.email})


def supplier_recipients(followup) -> list[str]:
    """The supplier's contacts in hallbar, and the due-diligence contact of the case."""
    recipients = set()
    if followup.supplier.organisation_id:
        recipients.update(
            _emails(
                Membership.objects.filter(
                    organisation_id=followup.supplier.organisation_id,
                    role=Role.SUPPLIER_CONTACT,
                    is_active=True,
                )
            )
        )
    if followup.contact_email:
        recipients.add(followup.contact_email)
    return sorted(recipients)


def lead_recipients(followup) -> list[str]:
    """The lead region's contacts and the lead area's coordinator."""
    memberships = Membership.objects.filter(
        organisation__region=followup.lead_region,
        role__in=[Role.REGION_CONTACT, Role.AREA_COORDINATOR],
        is_active=True,
    )
    recipients = set(_emails(memberships))
    if followup.lead_area_id:
        recipients.update(
            _emails(
                Membership.objects.filter(
                    area_id=followup.lead_area_id, role=Role.AREA_COORDINATOR, is_active=True
                )
            )
        )
    return sorted(recipients)


def secretariat_recipients() -> list[str]:
    return _emails(Membership.objects.filter(role=Role.SECRETARIAT, is_active=True))


def buyer_recipients(followup) -> list[str]:
    """Buyers and contacts of every region with an active contract with the supplier."""
    regions = [r.pk for r in participating_regions(followup.supplier)]
    return _emails(
        Membership.objects.filter(
            organisation__region__in=regions,
            role__in=[Role.BUYER, Role.REGION_CONTACT],
            is_active=True,
        )
    )


def mail(recipients: Iterable[str], subject: str, body: str) -> int:
    recipients = sorted(set(recipients))
    if not recipients:
        return 0
    return send_mail(subject, body, None, recipients)


def on_commit_mail(recipients: Iterable[str], subject: str, body: str) -> None:
    recipients = [r for r in recipients if r]
    transaction.on_commit(lambda: mail(recipients, subject, body))


def on_commit_notify_sent(followup) -> None:
    subject = _("%(ref)s: self-assessment from the Swedish regions") % {"ref": followup.reference}
    body = _(
        "The Swedish regions follow up the contract clause on due diligence for sustainable "
        "supply chains. Log in to hallbar's supplier portal and answer the self-assessment by "
        "%(date)s."
    ) % {"date": followup.due_date.isoformat()}
    on_commit_mail(supplier_recipients(followup), subject, body)


def on_commit_notify_supplier(followup, subject: str, body: str) -> None:
    on_commit_mail(supplier_recipients(followup), subject, body)


def on_commit_notify_lead(followup, subject: str) -> None:
    on_commit_mail(lead_recipients(followup), subject, _("Open the case in hallbar."))


def on_commit_notify_participants(followup, subject: str) -> None:
    on_commit_mail(buyer_recipients(followup), subject, _("The result is shared in hallbar."))


def on_commit_notify_secretariat(subject: str) -> None:
    on_commit_mail(secretariat_recipients(), subject, _("Triage it in hallbar."))


def on_commit_notify_buyers(followup, deviation) -> None:
    subject = _("%(ref)s: zero-tolerance deviation at %(supplier)s") % {
        "ref": followup.reference,
        "supplier": followup.supplier.name,
    }
    body = _(
        "A zero-tolerance deviation has been recorded. Your contracts with the supplier are "
        "flagged for immediate termination; the decision is the buyer's. Open the case in hallbar."
    )
    on_commit_mail(buyer_recipients(followup), subject, body)
