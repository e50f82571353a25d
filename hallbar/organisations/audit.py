"""What organisations writes to the audit log (hallbar.core.audit): logins, failed logins,
logouts, lockouts, and changes of people's roles, memberships and accounts.

Roles and memberships are recorded from the models' signals, so a change made anywhere (the
admin, a service, a command, the demo loader) is recorded, with the old and the new values:

- `role_changed`: a membership's role changed, or a user's is_staff / is_superuser;
- `membership_changed`: a membership created, removed, switched on or off, or moved to another
  organisation or area;
- `user_deactivated` / `user_reactivated`: an account's is_active.

The actor is the signed-in person of the request being served, or the one a service names with
`audit.acting_as`. Connected in OrganisationsConfig.ready().
"""

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from hallbar.core import audit
from hallbar.organisations.models import Membership, User

MEMBERSHIP_FIELDS = ("role", "organisation_id", "area_id", "is_active")
USER_ROLE_FIELDS = ("is_staff", "is_superuser")
_BEFORE = "_audit_before"


@receiver(user_logged_in, dispatch_uid="hallbar_audit_login")
def _logged_in(sender, request, user, **kwargs) -> None:
    try:
        audit.record(audit.Kind.LOGIN, request=request, user=user, obj=user)
    except Exception:
        # login() has already put the user in the session: a login that cannot be recorded
        # must not stay signed in when the error page is sent.
        session = getattr(request, "session", None)
        if session is not None:
            session.flush()
        raise


@receiver(user_logged_out, dispatch_uid="hallbar_audit_logout")
def _logged_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        audit.record(audit.Kind.LOGOUT, request=request, user=user, obj=user)


@receiver(user_login_failed, dispatch_uid="hallbar_audit_login_failed")
def _login_failed(sender, credentials, request=None, **kwargs) -> None:
    username = str((credentials or {}).get("username", ""))[:150]
    audit.record(
        audit.Kind.LOGIN_FAILED,
        request=request,
        object_type="auth.username",
        object_id=username[:64],
        object_label=username,
        detail={"username": username},
    )


@receiver(user_locked_out, dispatch_uid="hallbar_audit_lockout")
def _locked_out(sender, request, username, ip_address, **kwargs) -> None:
    audit.record(
        audit.Kind.LOCKOUT,
        request=request,
        object_type="auth.username",
        object_id=str(username or "")[:64],
        object_label=str(username or ""),
        detail={
            "username": username or "",
            "address": ip_address or "",
            "failures": getattr(request, "axes_failures_since_start", None),
        },
    )


def record_unlock(*, kind: str, value: str, failures: int, acting_user: User) -> None:
    """Record that acting_user lifted the lock of an account or address."""
    audit.record(
        audit.Kind.UNLOCK,
        user=acting_user,
        object_type=f"auth.{kind}",
        object_id=value[:64],
        object_label=value,
        detail={"unlocked": kind, "name": value, "failures": failures},
    )


def _values(obj, fields: tuple[str, ...]) -> dict[str, Any]:
    return {field: getattr(obj, field) for field in fields}


def _membership_view(values: dict[str, Any]) -> dict[str, Any]:
    """The values of a membership as an entry shows them: names as well as ids."""
    from hallbar.organisations.models import Organisation, ProcurementArea

    shown = dict(values)
    if values.get("organisation_id"):
        organisation = Organisation.objects.filter(pk=values["organisation_id"]).first()
        shown["organisation"] = str(organisation) if organisation else ""
    if values.get("area_id"):
        area = ProcurementArea.objects.filter(pk=values["area_id"]).first()
        shown["area"] = str(area) if area else ""
    return shown


@receiver(pre_save, sender=Membership, dispatch_uid="hallbar_audit_membership_before")
def _membership_before(sender, instance: Membership, raw=False, **kwargs) -> None:
    before = None
    if instance.pk and not raw:
        old = Membership.objects.filter(pk=instance.pk).values(*MEMBERSHIP_FIELDS).first()
        before = dict(old) if old else None
    setattr(instance, _BEFORE, before)


@receiver(post_save, sender=Membership, dispatch_uid="hallbar_audit_membership_after")
def _membership_after(sender, instance: Membership, created: bool, raw=False, **kwargs) -> None:
    if raw:
        return
    before = getattr(instance, _BEFORE, None)
    after = _values(instance, MEMBERSHIP_FIELDS)
    if not created and before == after:
        return
    if before is not None and before["role"] != after["role"]:
        kind = audit.Kind.ROLE_CHANGED
    else:
        kind = audit.Kind.MEMBERSHIP_CHANGED
    audit.record(
        kind,
        obj=instance,
        detail={
            "change": "created" if created else "updated",
            "user": instance.user.get_username(),
            "before": _membership_view(before) if before else None,
            "after": _membership_view(after),
        },
    )


@receiver(post_delete, sender=Membership, dispatch_uid="hallbar_audit_membership_deleted")
def _membership_deleted(sender, instance: Membership, **kwargs) -> None:
    audit.record(
        audit.Kind.MEMBERSHIP_CHANGED,
        obj=instance,
        object_label=f"{instance.user_id} {instance.role}",
        detail={
            "change": "deleted",
            "user_id": instance.user_id,
            "before": _membership_view(_values(instance, MEMBERSHIP_FIELDS)),
            "after": None,
        },
    )


@receiver(pre_save, sender=User, dispatch_uid="hallbar_audit_user_before")
def _user_before(sender, instance: User, raw=False, update_fields=None, **kwargs) -> None:
    watched = (*USER_ROLE_FIELDS, "is_active")
    before = None
    if instance.pk and not raw and (update_fields is None or set(update_fields) & set(watched)):
        before = User.objects.filter(pk=instance.pk).values(*watched).first()
    setattr(instance, _BEFORE, before)


@receiver(post_save, sender=User, dispatch_uid="hallbar_audit_user_after")
def _user_after(sender, instance: User, created: bool, raw=False, **kwargs) -> None:
    before = getattr(instance, _BEFORE, None)
    if raw:
        return
    if created:
        granted = _values(instance, USER_ROLE_FIELDS)
        if any(granted.values()):
            audit.record(
                audit.Kind.ROLE_CHANGED, obj=instance, detail={"before": None, "after": granted}
            )
        return
    if before is None:
        return
    roles_before = {field: before[field] for field in USER_ROLE_FIELDS}
    roles_after = _values(instance, USER_ROLE_FIELDS)
    if roles_before != roles_after:
        audit.record(
            audit.Kind.ROLE_CHANGED,
            obj=instance,
            detail={"before": roles_before, "after": roles_after},
        )
    if before["is_active"] != instance.is_active:
        audit.record(
            audit.Kind.USER_REACTIVATED if instance.is_active else audit.Kind.USER_DEACTIVATED,
            obj=instance,
            detail={
                "before": {"is_active": before["is_active"]},
                "after": {"is_active": instance.is_active},
            },
        )
