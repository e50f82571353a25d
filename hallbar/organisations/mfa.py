"""The second factor at login: TOTP from an authenticator app, one-time recovery codes, resets.

Who must give one is `hallbar.organisations.access.requires_second_factor`; whether it is
demanded at all is the setting HALLBAR_MFA_REQUIRED. A login is complete when the session holds
a verified device (django-otp's OTPMiddleware: ``request.user.is_verified()``) or when the single
sign-on found a strong authentication at the identity provider and said so in the session
(``STRONG_AUTH_SESSION_KEY``). Until then `SecondFactorMiddleware` lets a person who needs a
second factor reach only the code page (with a device) or the enrolment (without one), the
logout, the login and the language switch.

Wrong codes are throttled by django-otp on each device (OTP_TOTP_THROTTLE_FACTOR,
OTP_STATIC_THROTTLE_FACTOR): after n failures in a row the next try waits 2^(n-1) seconds.
Enrolments, regenerated recovery codes and resets are written to the person's history.
"""

import base64
import io
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from hallbar.core.history import record_change
from hallbar.core.models import HistoryEntry
from hallbar.organisations.access import requires_second_factor
from hallbar.organisations.models import User

# Set to True by the single sign-on when the identity provider's acr claim says the person
# logged in with a strong method (e.g. SITHS eID, BankID): that login is already two-factor.
STRONG_AUTH_SESSION_KEY = "hallbar_strong_auth"
RECOVERY_CODE_COUNT = 10
AUTHENTICATOR_NAME = "authenticator"
RECOVERY_NAME = "recovery codes"
# The history's name for the change (a field name in HistoryEntry.changes).
HISTORY_FIELD = "second factor"
# What a person who has not given their second factor may still open.
OPEN_BEFORE_SECOND_FACTOR = frozenset(
    {
        "account:mfa-verify",
        "account:mfa-enrol",
        "login",
        "logout",
        "core:set-language",
    }
)
TOTP_CODE = re.compile(r"^\d{6}$")


def is_required() -> bool:
    """Return whether the platform demands the second factor (HALLBAR_MFA_REQUIRED)."""
    return bool(settings.HALLBAR_MFA_REQUIRED)


def has_strong_login(request: HttpRequest) -> bool:
    """Return whether the session's login was strong at the identity provider (SSO)."""
    session = getattr(request, "session", None)
    return session is not None and session.get(STRONG_AUTH_SESSION_KEY) is True


def second_factor_given(request: HttpRequest) -> bool:
    """Return whether this session's login is complete: a verified device or a strong SSO."""
    if has_strong_login(request):
        return True
    is_verified = getattr(request.user, "is_verified", None)
    return bool(is_verified and is_verified())


def second_factor_pending(request: HttpRequest) -> bool:
    """Return whether the signed-in person must still give a second factor in this session."""
    user = request.user
    return (
        is_required()
        and user.is_authenticated
        and requires_second_factor(user)
        and not second_factor_given(request)
    )


# --- devices ----------------------------------------------------------------------------------


def authenticator_of(user: User) -> TOTPDevice | None:
    """Return user's confirmed authenticator (TOTP device), if any."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def recovery_device_of(user: User) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def has_second_factor(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


# The key of an authenticator being enrolled lives in the session until a code confirms it: a
# page that only shows the QR code writes nothing to the database.
PENDING_KEY_SESSION_KEY = "hallbar_mfa_pending_key"


def pending_authenticator(request: HttpRequest) -> TOTPDevice:
    """Return the (unsaved) authenticator being enrolled in this session, with its new key."""
    key = request.session.get(PENDING_KEY_SESSION_KEY)
    if not isinstance(key, str) or len(key) != 40:
        key = random_hex(20)
        request.session[PENDING_KEY_SESSION_KEY] = key
    return TOTPDevice(user=request.user, name=AUTHENTICATOR_NAME, key=key, confirmed=False)


def secret_of(device: TOTPDevice) -> str:
    """Return the device's key as people type it into an app: base32, in groups of four."""
    text = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def qr_code_data_url(text: str) -> str:
    """Return text as a QR code, an SVG drawn on the server, in a data: URL for an <img>."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


# --- checking a code --------------------------------------------------------------------------


@dataclass(frozen=True)
class CodeCheck:
    """The outcome of a code: accepted by a device, refused, or not tried (throttled)."""

    device: Any = None  # the device that accepted the code
    wait_until: datetime | None = None  # throttled: the code was not tried; none is before this

    @property
    def accepted(self) -> bool:
        return self.device is not None

    @property
    def used_recovery_code(self) -> bool:
        return isinstance(self.device, StaticDevice)


def _verify(device: Any, code: str) -> CodeCheck:
    with transaction.atomic():
        # Locked while it is checked, so that parallel guesses are counted one by one.
        device = type(device).objects.select_for_update().get(pk=device.pk)
        allowed, details = device.verify_is_allowed()
        if not allowed:
            return CodeCheck(wait_until=(details or {}).get("locked_until"))
        if device.verify_token(code):
            return CodeCheck(device=device)
    return CodeCheck()  # wrong: django-otp has counted the failure


def check_code(user: User, code: str) -> CodeCheck:
    """Check a code user typed: six digits go to the authenticator, anything else is tried as
    a recovery code (and is used up when it fits)."""
    code = "".join(code.split()).lower()
    device = authenticator_of(user) if TOTP_CODE.match(code) else recovery_device_of(user)
    if device is None or not code:
        return CodeCheck()
    return _verify(device, code)


def wait_message(check: CodeCheck) -> str:
    """The message for a throttled code: when the next try is possible."""
    from django.utils import timezone
    from django.utils.formats import time_format

    assert check.wait_until is not None
    when = timezone.localtime(check.wait_until)
    return _(
        "Too many wrong codes in a row. Wait until %(time)s before you try again; each new "
        "wrong code doubles the wait."
    ) % {"time": time_format(when, "TIME_FORMAT")}


def complete_login(request: HttpRequest, device: Any) -> None:
    """Mark this session's login as confirmed by device."""
    otp_login(request, device)


# --- writes -----------------------------------------------------------------------------------


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _i in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def confirm_enrolment(request: HttpRequest, *, code: str) -> list[str] | None:
    """Confirm the authenticator being enrolled in this session with a code from it: save it as
    the person's only authenticator, give new recovery codes, count the session as verified.

    Returns the recovery codes (shown to the person once), or None when the code is wrong.
    """
    user: User = request.user  # type: ignore[assignment]
    device = pending_authenticator(request)
    code = "".join(code.split())
    if not TOTP_CODE.match(code):
        return None
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if not totp.verify(int(code), device.tolerance):
        return None
    TOTPDevice.objects.filter(user=user).delete()
    device.confirmed = True
    device.last_t = totp.t()  # the code just used cannot be used again to log in
    device.full_clean()
    device.save()
    codes = _new_recovery_codes(user)
    record_change(
        user,
        action=HistoryEntry.Action.UPDATED,
        acting_user=user,
        changes={HISTORY_FIELD: ["", "enrolled"]},
    )
    request.session.pop(PENDING_KEY_SESSION_KEY, None)
    complete_login(request, device)
    return codes


@transaction.atomic
def regenerate_recovery_codes(user: User) -> list[str]:
    """Replace user's recovery codes by RECOVERY_CODE_COUNT new ones; the old ones stop working."""
    codes = _new_recovery_codes(user)
    record_change(
        user,
        action=HistoryEntry.Action.UPDATED,
        acting_user=user,
        changes={"recovery codes": ["", "regenerated"]},
    )
    return codes


@transaction.atomic
def reset_second_factor(person: User, *, reason: str, acting_user: User) -> int:
    """Remove person's authenticator and recovery codes: they enrol again at their next login
    (and at their next request, in a session open now). Returns the number of devices removed."""
    reason = reason.strip()
    if not reason:
        from django.core.exceptions import ValidationError

        raise ValidationError({"reason": _("Say why the second factor is reset.")})
    totp, _details = TOTPDevice.objects.filter(user=person).delete()
    static, _details = StaticDevice.objects.filter(user=person).delete()
    record_change(
        person,
        action=HistoryEntry.Action.UPDATED,
        acting_user=acting_user,
        changes={HISTORY_FIELD: ["enrolled" if totp else "", "reset"], "reason": reason},
    )
    return totp + static


def second_factor_history(person: User, limit: int = 20):
    """Return the person's history entries about their second factor, newest first."""
    from hallbar.core.history import history_for

    entries = history_for(person)
    return [
        e for e in entries[:200] if HISTORY_FIELD in e.changes or "recovery codes" in e.changes
    ][:limit]


def latest_resets(limit: int = 20) -> list[HistoryEntry]:
    """Return the latest resets of anyone's second factor, newest first."""
    from django.contrib.contenttypes.models import ContentType

    entries = HistoryEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User),
        changes__has_key=HISTORY_FIELD,
    ).select_related("actor")[:200]
    return [e for e in entries if e.changes[HISTORY_FIELD][-1] == "reset"][:limit]


# --- the login ------------------------------------------------------------------------------


@receiver(user_logged_in)
def _forget_previous_verification(sender, request, user, **kwargs) -> None:
    # Django keeps a session's data when the same person logs in again: each new login proves
    # its second factor anew (unless an OTP-aware login form has just set the device).
    session = getattr(request, "session", None)
    if session is not None and getattr(user, "otp_device", None) is None:
        session.pop(DEVICE_ID_SESSION_KEY, None)


def safe_next(request: HttpRequest, default: str = "") -> str:
    """Return the page the person wanted (GET or POST ``next``) when it is on this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default or reverse(settings.LOGIN_REDIRECT_URL)


class SecondFactorMiddleware:
    """Send a signed-in person who must still give a second factor to the code page (or to the
    enrolment when they have no authenticator yet), keeping where they wanted to go."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if not second_factor_pending(request):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in OPEN_BEFORE_SECOND_FACTOR:
            return None
        if match is not None and match.namespace == "api":
            return JsonResponse(
                {"detail": "Log in with your second factor before you use the API."}, status=401
            )
        user: User = request.user  # type: ignore[assignment]
        target = "account:mfa-verify" if has_second_factor(user) else "account:mfa-enrol"
        query = ""
        if request.method == "GET" and request.path != reverse(settings.LOGIN_REDIRECT_URL):
            query = "?" + urlencode({"next": request.get_full_path()})
        return redirect(reverse(target) + query)
