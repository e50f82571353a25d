"""Emails about cases, sent after the transaction commits, each in its recipient's language.

This module imports no follow-up services or tasks, so that services, deadlines and tasks can all
use it without an import cycle.

Who is told follows the access rules (``access.supplier_contacts_of``, ``lead_contacts_of``,
``participants_of``): a recipient always may see the case, and a supplier's mail says only what
its portal shows (a deadline, a reference; never a deviation's text).

Subjects and bodies are deferred messages (``core.deferred``), rendered once per language under
``translation.override``: recipients who read the same language share one mail. A person's own
words (a reviewer's comment) are a plain string and go as written. Every mail ends with the
absolute link (``HALLBAR_BASE_URL``) to the page where the work is done.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_noop

from hallbar.core.deferred import Deferred, deferred, render
from hallbar.followups import access
from hallbar.organisations.models import User

Text = str | Deferred


@dataclass(frozen=True, order=True)
class Recipient:
    email: str
    language: str


def _recipients(users: Iterable[User]) -> list[Recipient]:
    return sorted({Recipient(user.email, user.mail_language) for user in users if user.email})


def absolute_url(name: str, *args: object) -> str:
    """Return the absolute address of a page, for mails (settings.HALLBAR_BASE_URL)."""
    return settings.HALLBAR_BASE_URL + reverse(name, args=args)


def portal_url(followup) -> str:
    """The supplier's page of the case: where it answers, plans and reports."""
    return absolute_url("portal:case", followup.public_id)


def case_url(followup) -> str:
    return absolute_url("followups:followup-detail", followup.public_id)


def supplier_recipients(followup) -> list[Recipient]:
    """The supplier's contacts in hallbar, and the due-diligence contact of the case.

    The due-diligence address reads the language of the person with that address, else the
    language the supplier's contacts share, else Swedish.
    """
    contacts = _recipients(access.supplier_contacts_of(followup))
    recipients = set(contacts)
    if followup.contact_email and followup.contact_email not in {r.email for r in contacts}:
        person = User.objects.filter(email__iexact=followup.contact_email, is_active=True).first()
        languages = {r.language for r in contacts}
        if person is not None:
            language = person.mail_language
        elif len(languages) == 1:
            language = languages.pop()
        else:
            language = settings.LANGUAGE_CODE
        recipients.add(Recipient(followup.contact_email, language))
    return sorted(recipients)


def lead_recipients(followup) -> list[Recipient]:
    """The lead region's contacts and the lead area's coordinator."""
    return _recipients(access.lead_contacts_of(followup))


def secretariat_recipients() -> list[Recipient]:
    return _recipients(access.secretariat_users())


def buyer_recipients(followup) -> list[Recipient]:
    """Buyers and contacts of every region with an active contract with the supplier."""
    return _recipients(access.participants_of(followup))


def _text(value: Text) -> str:
    return render(value) if isinstance(value, dict) else value


def mail(recipients: Iterable[Recipient], subject: Text, body: Text, url: str) -> int:
    """Send one mail per language to recipients, each ending with url; return how many."""
    by_language: dict[str, set[str]] = {}
    for recipient in recipients:
        if recipient.email:
            by_language.setdefault(recipient.language, set()).add(recipient.email)
    sent = 0
    for language, addresses in sorted(by_language.items()):
        with translation.override(language):
            text = _text(body)
            sent += send_mail(
                _text(subject),
                f"{text}\n\n{url}\n" if text else f"{url}\n",
                None,
                sorted(addresses),
            )
    return sent


def on_commit_mail(recipients: Iterable[Recipient], subject: Text, body: Text, url: str) -> None:
    recipients = list(recipients)
    transaction.on_commit(lambda: mail(recipients, subject, body, url))


def on_commit_notify_sent(followup) -> None:
    subject = deferred(
        gettext_noop("%(ref)s: self-assessment from the Swedish regions"), ref=followup.reference
    )
    body = deferred(
        gettext_noop(
            "The Swedish regions follow up the contract clause on due diligence for sustainable "
            "supply chains. Log in to hallbar's supplier portal and answer the self-assessment by "
            "%(date)s."
        ),
        date=followup.due_date,
    )
    on_commit_mail(supplier_recipients(followup), subject, body, portal_url(followup))


def on_commit_notify_supplier(followup, subject: Text, body: Text) -> None:
    on_commit_mail(supplier_recipients(followup), subject, body, portal_url(followup))


def on_commit_notify_lead(followup, subject: Text) -> None:
    on_commit_mail(
        lead_recipients(followup),
        subject,
        deferred(gettext_noop("Open the case in hallbar.")),
        case_url(followup),
    )


def on_commit_notify_participants(followup, subject: Text) -> None:
    on_commit_mail(
        buyer_recipients(followup),
        subject,
        deferred(gettext_noop("The result is shared in hallbar.")),
        case_url(followup),
    )


def on_commit_notify_secretariat(subject: Text, url: str) -> None:
    on_commit_mail(
        secretariat_recipients(), subject, deferred(gettext_noop("Triage it in hallbar.")), url
    )


def on_commit_notify_auditor(audit, subject: Text) -> None:
    if audit.auditor is None:
        return
    on_commit_mail(
        _recipients([audit.auditor]),
        subject,
        deferred(gettext_noop("Open the audit in hallbar to see its scope.")),
        absolute_url("followups:audit-detail", audit.public_id),
    )


def on_commit_notify_buyers(followup, deviation) -> None:
    subject = deferred(
        gettext_noop("%(ref)s: zero-tolerance deviation at %(supplier)s"),
        ref=followup.reference,
        supplier=followup.supplier.name,
    )
    body = deferred(
        gettext_noop(
            "A zero-tolerance deviation has been recorded. Your contracts with the supplier are "
            "flagged for immediate termination; the decision is the buyer's. Open the case in hallbar."
        )
    )
    on_commit_mail(buyer_recipients(followup), subject, body, case_url(followup))
