"""Lockout after repeated failed logins (django-axes), and the secretariat's unlock.

django-axes records each failed login (username, address) and refuses further logins while the
failures within LOGIN_LOCKOUT_MINUTES reach a limit. hallbar counts an account and an address
separately: an account is locked after LOGIN_FAILURE_LIMIT failures (AXES_FAILURE_LIMIT), an
address, which many people in a region may share, after LOGIN_ADDRESS_FAILURE_LIMIT. A lock ends
LOGIN_LOCKOUT_MINUTES after the last failure, or when the secretariat unlocks it; each unlock is
written to the history.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.db import transaction
from django.db.models import Max, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from hallbar.core import audit
from hallbar.core.history import record_change
from hallbar.core.models import HistoryEntry
from hallbar.organisations.audit import record_unlock
from hallbar.organisations.models import User

ACCOUNT = "account"
ADDRESS = "address"


def cool_off() -> timedelta:
    return settings.AXES_COOLOFF_TIME


def client_address(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or the one HALLBAR_PROXY_COUNT proxies put in front
    (the audit log's rule, so that a lock and its log entries name the same address)."""
    return audit.client_address(request) or None


class LockoutHandler(AxesDatabaseHandler):
    """axes' database handler with a separate, higher limit for an address."""

    def get_failures(self, request, credentials=None) -> int:
        by_username, by_address = (
            attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        if by_address >= settings.HALLBAR_LOGIN_ADDRESS_FAILURE_LIMIT:
            return max(by_username, get_failure_limit(request, credentials))
        return by_username

    def reset_user_attempts(self, request, credentials=None) -> int:
        # A successful login clears the account's failures, not those of its address: one
        # valid password must not reset the throttle on everyone else guessing from there.
        username = get_client_username(request, credentials)
        if not username:
            return 0
        count, _deleted = AccessAttempt.objects.filter(username=username).delete()
        return count


@dataclass(frozen=True)
class Lock:
    kind: str  # ACCOUNT or ADDRESS
    value: str  # the username or the address
    failures: int
    last_failure: datetime

    @property
    def until(self) -> datetime:
        return self.last_failure + cool_off()

    @property
    def is_account(self) -> bool:
        return self.kind == ACCOUNT


def _recent_attempts():
    return AccessAttempt.objects.filter(attempt_time__gte=timezone.now() - cool_off())


def current_locks() -> list[Lock]:
    """Every locked account and address, the most recent failure first."""
    locks = []
    for field, kind, limit in (
        ("username", ACCOUNT, settings.AXES_FAILURE_LIMIT),
        ("ip_address", ADDRESS, settings.HALLBAR_LOGIN_ADDRESS_FAILURE_LIMIT),
    ):
        rows = (
            _recent_attempts()
            .exclude(**{f"{field}__isnull": True})
            .order_by()  # group by the field alone, not by the model's ordering too
            .values(field)
            .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
            .filter(failures__gte=limit)
        )
        locks += [
            Lock(kind, row[field], row["failures"], row["last"]) for row in rows if row[field]
        ]
    return sorted(locks, key=lambda lock: lock.last_failure, reverse=True)


def find_lock(kind: str, value: str) -> Lock | None:
    return next(
        (lock for lock in current_locks() if (lock.kind, lock.value) == (kind, value)), None
    )


def lock_for_login(username: str | None, address: str | None) -> Lock | None:
    """The lock that refuses this login: the account's, else the address's."""
    locks = {(lock.kind, lock.value): lock for lock in current_locks()}
    return locks.get((ACCOUNT, username or "")) or locks.get((ADDRESS, address or ""))


@transaction.atomic
def unlock(lock: Lock, *, acting_user: User) -> int:
    """Remove the failures behind lock and write the unlock to the history."""
    field = "username" if lock.is_account else "ip_address"
    attempts = AccessAttempt.objects.filter(**{field: lock.value})
    first = attempts.order_by("pk").first()
    if first is None:
        return 0
    record_change(
        first,
        action=HistoryEntry.Action.DELETED,
        acting_user=acting_user,
        changes={"unlocked": lock.kind, "name": lock.value, "failures": lock.failures},
    )
    user = User.objects.filter(username=lock.value).first() if lock.is_account else None
    if user is not None:
        record_change(
            user,
            action=HistoryEntry.Action.UPDATED,
            acting_user=acting_user,
            changes={"login lockout": ["locked", "unlocked"]},
        )
    count, _deleted = attempts.delete()
    record_unlock(kind=lock.kind, value=lock.value, failures=lock.failures, acting_user=acting_user)
    return count


def unlock_history(limit: int = 20):
    """The latest unlocks, newest first."""
    from django.contrib.contenttypes.models import ContentType

    return HistoryEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(AccessAttempt)
    ).select_related("actor")[:limit]


def lockout_response(request: HttpRequest, original_response=None, credentials=None):
    """The login page again, saying what is locked, until when, and who can unlock it (429)."""
    credentials = credentials or {}
    username = credentials.get("username") or request.POST.get("username", "")
    lock = lock_for_login(username, getattr(request, "axes_ip_address", None))
    form = AuthenticationForm(request, initial={"username": username})
    response: HttpResponse = render(
        request,
        "registration/login.html",
        {
            "form": form,
            "next": request.POST.get("next", request.GET.get("next", "")),
            "lock": lock,
            "lock_minutes": int(cool_off().total_seconds() // 60),
        },
        status=429,  # Too Many Requests, as axes answers
    )
    return response
