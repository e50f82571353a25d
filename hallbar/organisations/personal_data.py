"""One person's data: export it, or deactivate and anonymise the person (GDPR, issue 15 item 7).

The register of the personal data the platform holds is docs/personal-data.md.

organisations sits low in the layers, so the apps above it (contracts, suppliers, training, api)
contribute their part through two registries filled in their AppConfig.ready():
`register_exporter(name, fn)` adds a section to the export (fn(user) -> JSON-ready value) and
`register_anonymiser(fn)` runs fn(user) when a person is anonymised (remove API tokens, ...).
"""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from hallbar.core import audit
from hallbar.core.history import record_change
from hallbar.core.models import AuditEvent, HistoryEntry

Exporter = Callable[[Any], Any]
Anonymiser = Callable[[Any], int]

_exporters: dict[str, Exporter] = {}
_anonymisers: list[Anonymiser] = []

# The prefix of the username an anonymised person keeps (unique, stable: built from the id).
PSEUDONYM_USERNAME = "removed-user-"


def register_exporter(name: str, exporter: Exporter) -> None:
    """Add a section `name` to every person's export (called from an AppConfig.ready())."""
    _exporters[name] = exporter


def register_anonymiser(anonymiser: Anonymiser) -> None:
    """Run anonymiser(user) when a person is anonymised; it returns how many rows it removed."""
    if anonymiser not in _anonymisers:
        _anonymisers.append(anonymiser)


def _when(value: Any) -> Any:
    return value.isoformat() if value is not None else None


def _audit_row(event: AuditEvent) -> dict[str, Any]:
    return {
        "sequence": event.sequence,
        "at": _when(event.at),
        "kind": event.kind,
        "by": event.actor_name,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object": event.object_label,
        "address": event.client_address,
        "detail": event.detail,
    }


def export_personal_data(user) -> dict[str, Any]:
    """Return everything the platform holds about user, as JSON-ready data (no secrets)."""
    memberships = user.memberships.select_related("organisation", "area").order_by("pk")
    history = HistoryEntry.objects.filter(actor=user).select_related("content_type")
    about_user = AuditEvent.objects.filter(object_type="organisations.user", object_id=str(user.pk))
    audit_rows = AuditEvent.objects.filter(actor_id=user.pk) | about_user
    data: dict[str, Any] = {
        "exported_at": _when(timezone.now()),
        "user": {
            "id": user.pk,
            "username": user.username,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "language": user.language,
            "monthly_digest": user.monthly_digest,
            "is_active": user.is_active,
            "is_staff": user.is_staff,
            "date_joined": _when(user.date_joined),
            "last_login": _when(user.last_login),
        },
        "memberships": [
            {
                "organisation": str(m.organisation),
                "role": m.role,
                "area": str(m.area) if m.area_id else None,
                "is_active": m.is_active,
                "created_at": _when(m.created_at),
            }
            for m in memberships
        ],
        "history_entries_made": [
            {
                "at": _when(e.at),
                "action": e.action,
                "object_type": f"{e.content_type.app_label}.{e.content_type.model}",
                "object_id": e.object_id,
                "object": e.object_repr,
                "changes": e.changes,
            }
            for e in history.order_by("at", "pk")
        ],
        "audit_log": [_audit_row(e) for e in audit_rows.order_by("sequence")],
    }
    for name, exporter in sorted(_exporters.items()):
        data[name] = exporter(user)
    return data


def pseudonym(user) -> str:
    """Return the stable name an anonymised person is shown under ("Removed user 12")."""
    return gettext("Removed user %(number)s") % {"number": user.pk}


@transaction.atomic
def anonymise_user(user, *, acting_user: Any, reason: str) -> dict[str, int]:
    """Deactivate user and replace their name, e-mail and username with a pseudonym.

    The row stays, so every foreign key (history entries, cases, documents) still points at it
    and the pages show the pseudonym. Second factors, API tokens and sessions are removed. The
    audit log keeps the username it stored when it was written (append-only; the lawful
    exception documented in docs/personal-data.md).
    """
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    removed: dict[str, int] = {}
    removed["totp_devices"] = TOTPDevice.objects.filter(user=user).delete()[0]
    removed["recovery_code_devices"] = StaticDevice.objects.filter(user=user).delete()[0]
    removed["sessions"] = _delete_sessions(user)
    for anonymiser in _anonymisers:
        removed[anonymiser.__name__] = anonymiser(user)
    # Stored in the platform's language, whoever runs it (a name is not translated on reading).
    with translation.override(settings.LANGUAGE_CODE):
        user.first_name = gettext("Removed user")
    user.last_name = str(user.pk)
    user.email = ""
    user.username = f"{PSEUDONYM_USERNAME}{user.pk}"
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.set_unusable_password()
    user.save()
    record_change(
        user,
        action=HistoryEntry.Action.UPDATED,
        acting_user=acting_user,
        changes={"anonymised": reason},
    )
    audit.record(
        AuditEvent.Kind.USER_DEACTIVATED,
        user=acting_user,
        obj=user,
        detail={"anonymised": True, "reason": reason, "removed": removed},
    )
    return removed


def _delete_sessions(user) -> int:
    """Delete the database sessions of user (the session store is the database)."""
    count = 0
    for session in Session.objects.filter(expire_date__gte=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
            count += 1
    return count


def get_user(username: str):
    """Return the user with username (for the commands); raise User.DoesNotExist."""
    return get_user_model().objects.get(username=username)
