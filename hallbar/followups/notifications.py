"""Emails about cases, sent after the transaction commits.

This module imports no follow-up services or tasks, so that services, deadlines and tasks can all
use it without an import cycle.

Who is told follows the access rules (``access.supplier_contacts_of``, ``lead_contacts_of``,
``participants_of``): a recipient always may see the case, and a supplier's mail says only what
its portal shows (a deadline, a reference; never a deviation's text).
"""

from collections.abc import Iterable

from django.core.mail import send_mail
from django.db import transaction
from django.utils.translation import gettext as _

from hallbar.followups import access


def _emails(users) -> list[str]:
    return sorted({user.email for user in users if user.email})


def supplier_recipients(followup) -> list[str]:
    """The supplier's contacts in hallbar, and the due-diligence contact of the case."""
    recipients = set(_emails(access.supplier_contacts_of(followup)))
    if followup.contact_email:
        recipients.add(followup.contact_email)
    return sorted(recipients)


def lead_recipients(followup) -> list[str]:
    """The lead region's contacts and the lead area's coordinator."""
    return _emails(access.lead_contacts_of(followup))


def secretariat_recipients() -> list[str]:
    return _emails(access.secretariat_users())


def buyer_recipients(followup) -> list[str]:
    """Buyers and contacts of every region with an active contract with the supplier."""
    return _emails(access.participants_of(followup))


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
