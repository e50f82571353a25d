"""The contracts' part of a person's export: contracts naming them as due-diligence contact."""

from typing import Any

from hallbar.contracts.models import Contract


def contracts_as_contact(user) -> list[dict[str, Any]]:
    """Return the contracts whose due-diligence contact e-mail is user's."""
    if not user.email:
        return []
    rows = Contract.objects.filter(dd_contact_email__iexact=user.email).order_by("pk")
    return [
        {
            "contract": str(c.public_id),
            "title": c.title,
            "dd_contact_name": c.dd_contact_name,
            "dd_contact_email": c.dd_contact_email,
        }
        for c in rows
    ]
