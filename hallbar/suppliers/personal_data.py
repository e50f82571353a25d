"""The suppliers' part of a person's export: suppliers naming them as due-diligence contact."""

from typing import Any

from hallbar.suppliers.models import Supplier


def suppliers_as_contact(user) -> list[dict[str, Any]]:
    """Return the suppliers whose due-diligence contact e-mail is user's."""
    if not user.email:
        return []
    rows = Supplier.objects.filter(dd_contact_email__iexact=user.email).order_by("pk")
    return [
        {
            "supplier": str(s.public_id),
            "name": s.name,
            "dd_contact_name": s.dd_contact_name,
            "dd_contact_email": s.dd_contact_email,
            "dd_contact_phone": s.dd_contact_phone,
        }
        for s in rows
    ]
