"""Making, revoking and checking personal API tokens, and the API's bearer authentication.

A secret is ``hb_`` and 43 random URL-safe characters (256 bits from ``secrets``); only its
SHA-256 hash is stored, so a copy of the database gives no usable token. A random secret of that
length needs no slow password hash: nobody can guess it, and the hash only has to keep the
stored value from being the secret itself.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer

from hallbar.api.models import ApiToken
from hallbar.core import audit
from hallbar.core.history import record_change
from hallbar.core.models import HistoryEntry
from hallbar.organisations.models import User

SECRET_PREFIX = "hb_"
MAX_LIFETIME = timedelta(days=365)
# The last use is written at most this often: one write per token and minute, not per call.
LAST_USE_PRECISION = timedelta(minutes=1)
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}

EXPIRY_IN_PAST = _("The expiry date must be today or later.")
EXPIRY_TOO_FAR = _("A token may be valid for at most a year: choose %(date)s or earlier.")
READ_ONLY_TOKEN = _("This token may only read: make a token with the read and write scope.")


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def latest_expiry(today: date | None = None) -> date:
    return (today or timezone.localdate()) + MAX_LIFETIME


def expiry_errors(expires_on: date) -> list:
    today = timezone.localdate()
    if expires_on < today:
        return [EXPIRY_IN_PAST]
    if expires_on > latest_expiry(today):
        return [EXPIRY_TOO_FAR % {"date": latest_expiry(today).isoformat()}]
    return []


@dataclass(frozen=True)
class NewToken:
    """A token just made, with its secret: the only time the secret exists outside the caller."""

    token: ApiToken
    secret: str


@transaction.atomic
def create_token(*, user: User, name: str, scope: str, expires_on: date) -> NewToken:
    """Make a token for user; return it with its secret, which is not stored anywhere."""
    errors = expiry_errors(expires_on)
    if errors:
        raise ValidationError({"expires_on": errors})
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name.strip(),
        scope=scope,
        expires_on=expires_on,
        prefix=secret[:10],
        secret_hash=hash_secret(secret),
    )
    token.full_clean()
    token.save()
    record_change(
        token,
        action=HistoryEntry.Action.CREATED,
        acting_user=user,
        changes={"scope": scope, "expires_on": expires_on.isoformat()},
    )
    return NewToken(token=token, secret=secret)


@transaction.atomic
def revoke_token(token: ApiToken, *, acting_user: User) -> ApiToken:
    """Stop the token for good (revoking twice changes nothing)."""
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.revoked_by = acting_user
    token.save(update_fields=["revoked_at", "revoked_by"])
    record_change(
        token,
        action=HistoryEntry.Action.UPDATED,
        acting_user=acting_user,
        changes={"revoked_at": [None, token.revoked_at.isoformat()]},
    )
    return token


def find_token(secret: str) -> ApiToken | None:
    """Return the active token with this secret and an active person, or None."""
    if not secret.startswith(SECRET_PREFIX) or len(secret) > 100:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(secret_hash=hash_secret(secret), revoked_at__isnull=True)
        .first()
    )
    if token is None or token.is_expired() or not token.user.is_active:
        return None
    return token


def _token_used(token: ApiToken, request: HttpRequest) -> None:
    """Record that token was used for request: an entry in the audit log (every call, with
    its method and path) and the last use (to the minute) on the token.

    This is the one place a token's use passes through.
    """
    audit.record(
        audit.Kind.TOKEN_USED,
        request=request,
        user=token.user,
        obj=token,
        detail={"method": request.method, "path": request.path},
    )
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USE_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <secret>``: the call is made as the token's person.

    A header with an unknown, expired or revoked token is refused with 401 (never passed on to
    the session); a read token that tries to write is refused with 403.
    """

    def __call__(self, request: HttpRequest):
        header = request.headers.get(self.header, "")
        if header and header.split(" ")[0].lower() == self.openapi_scheme:
            # A bearer header decides alone: a bad token is a 401 even with a session.
            return self.authenticate(request, header.split(" ", 1)[1] if " " in header else "")
        return None

    def authenticate(self, request: HttpRequest, token: str):
        found = find_token(token.strip())
        if found is None:
            raise AuthenticationError
        if request.method not in SAFE_METHODS and not found.may_write:
            raise HttpError(403, str(READ_ONLY_TOKEN))
        _token_used(found, request)
        request.user = found.user
        request.api_token = found  # type: ignore[attr-defined]
        return found
