"""The second factor at login: who needs it, the code page, enrolment, recovery codes, throttling,
the secretariat's reset and the strong login from single sign-on."""

from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from hallbar.core.history import history_for
from hallbar.demo.testing import CAST_PASSWORD
from hallbar.followups import access as followups_access
from hallbar.organisations import mfa
from hallbar.organisations.access import (
    SECOND_FACTOR_ROLES,
    requires_second_factor,
    users_requiring_second_factor,
)
from hallbar.organisations.models import User

LOGIN = "/accounts/login/"
KEY = "3132333435363738393031323334353637383930"  # RFC 6238's test key, as hex
REQUIRED = {"secretariat", "coordinator_a", "contact_jamtland", "alice", "bob", "auditor"}
NOT_REQUIRED = {"steering", "charlie", "dave", "nobody"}
VERIFY = reverse("account:mfa-verify")
ENROL = reverse("account:mfa-enrol")
PAGE = reverse("account:language")  # a page every signed-in person opens


@pytest.fixture(autouse=True)
def _mfa_on(settings, client):
    settings.HALLBAR_MFA_REQUIRED = True
    # The texts are asserted in English (the Swedish translations are merged separately).
    client.cookies["django_language"] = "en"


def _code(key: str = KEY, offset: int = 0) -> str:
    return str(totp(bytes.fromhex(key), drift=offset)).zfill(6)


def _device(user: User, key: str = KEY) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="authenticator", key=key, confirmed=True)


def _recovery(user: User, *codes: str) -> StaticDevice:
    device = StaticDevice.objects.create(user=user, name="recovery codes", confirmed=True)
    for code in codes:
        StaticToken.objects.create(device=device, token=code)
    return device


def _log_in(client, username: str, next_url: str = ""):
    data = {"username": username, "password": CAST_PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(LOGIN, data, REMOTE_ADDR="192.0.2.20")


# --- who ---------------------------------------------------------------------------------------


def test_the_roles_that_read_confidential_material_require_a_second_factor(cast):
    everyone = cast.everyone()
    # Then exactly the secretariat, the region contacts, buyers, coordinators and auditors do
    assert {name for name, user in everyone.items() if requires_second_factor(user)} == REQUIRED
    # and the one query lists the same people
    listed = set(users_requiring_second_factor().values_list("username", flat=True))
    assert listed == {everyone[name].username for name in REQUIRED}


def test_administrators_require_a_second_factor_whatever_their_roles(cast):
    nobody = cast.nobody
    assert not requires_second_factor(nobody)
    nobody.is_superuser = True
    assert requires_second_factor(nobody)
    nobody.is_superuser, nobody.is_staff = False, True
    assert requires_second_factor(nobody)


def test_every_role_that_leads_or_opens_a_case_requires_a_second_factor():
    # A case's lead reads its confidential material: the roles must stay in step
    assert set(followups_access.LEAD_ROLES) <= set(SECOND_FACTOR_ROLES)
    assert set(followups_access.OPENER_ROLES) <= set(SECOND_FACTOR_ROLES)


def test_a_role_without_confidential_material_logs_in_with_the_password_alone(cast, client):
    response = _log_in(client, "stig", next_url=PAGE)
    assert response["Location"] == PAGE
    assert client.get(PAGE).status_code == 200


# --- the code page ----------------------------------------------------------------------------


def test_login_asks_for_the_code_and_then_opens_the_page_wanted(cast, client):
    _device(cast.alice)
    # When alice logs in with her password, wanting the contracts
    response = _log_in(client, "alice", next_url=PAGE)
    assert response.status_code == 302
    # Then every page sends her to the code page, remembering where she wanted to go
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next=%2Faccount%2Flanguage%2F"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Confirm your login" in page.content.decode()
    assert "href=PAGE" not in page.content.decode()  # no menu before the code
    # When she types the code her app shows
    response = client.post(VERIFY, {"code": _code(), "next": PAGE})
    # Then she lands on the contracts, and stays in
    assert response.status_code == 302
    assert response["Location"] == PAGE
    assert client.get(PAGE).status_code == 200
    assert client.get(VERIFY + "?next=" + PAGE)["Location"] == PAGE


def test_the_code_page_does_not_send_on_to_another_site(cast, client):
    _device(cast.alice)
    _log_in(client, "alice")
    response = client.post(VERIFY, {"code": _code(), "next": "https://evil.example/"})
    assert response["Location"] == reverse("home:start")


def test_a_wrong_code_is_refused_with_a_clear_message(cast, client):
    _device(cast.alice)
    _log_in(client, "alice")
    wrong = str((int(_code()) + 1) % 1_000_000).zfill(6)
    response = client.post(VERIFY, {"code": wrong})
    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    assert client.get(PAGE)["Location"].startswith(VERIFY)


def test_wrong_codes_are_throttled_even_before_the_right_one(cast, client):
    device = _device(cast.alice)
    _log_in(client, "alice")
    wrong = str((int(_code()) + 500_000) % 1_000_000).zfill(6)
    now = timezone.now()
    with mock.patch.object(timezone, "now", lambda: now):
        # Given a wrong code: it is tried and counted
        response = client.post(VERIFY, {"code": wrong})
        assert "That code is not right" in response.content.decode()
        # and another one at once: it is not even tried
        response = client.post(VERIFY, {"code": wrong})
        assert "Too many wrong codes in a row" in response.content.decode()
        device.refresh_from_db()
        assert device.throttling_failure_count == 1
        # When the right code follows at once
        response = client.post(VERIFY, {"code": _code()})
    # Then it is not even tried: the page says to wait, and until when
    page = response.content.decode()
    assert response.status_code == 200
    assert "Too many wrong codes in a row. Wait until" in page
    assert client.get(PAGE)["Location"].startswith(VERIFY)
    # After the wait, the right code works
    later = timezone.now() + timedelta(minutes=5)
    with mock.patch.object(timezone, "now", lambda: later):
        response = client.post(VERIFY, {"code": _code()})
    assert response.status_code == 302
    assert client.get(PAGE).status_code == 200


def test_the_throttle_is_on(settings):
    assert settings.OTP_TOTP_THROTTLE_FACTOR >= 1
    assert settings.OTP_STATIC_THROTTLE_FACTOR >= 1


def test_a_new_login_asks_for_the_code_again(cast, client):
    _device(cast.alice)
    _log_in(client, "alice")
    client.post(VERIFY, {"code": _code()})
    assert client.get(PAGE).status_code == 200
    # When she logs in again in the same session (the same code is spent: the next one counts)
    _log_in(client, "alice")
    assert client.get(PAGE)["Location"].startswith(VERIFY)


# --- enrolment ---------------------------------------------------------------------------------


def test_a_person_without_an_app_enrols_before_anything_else(cast, client):
    _log_in(client, "bob")
    # Every page sends him to the enrolment; the API refuses
    response = client.get(PAGE)
    assert response["Location"] == f"{ENROL}?next=%2Faccount%2Flanguage%2F"
    assert client.get(VERIFY)["Location"].startswith(ENROL)
    assert client.get("/contracts/")["Location"].startswith(ENROL)
    assert client.get(reverse("api:list_contracts")).status_code == 401
    # but the language switch works
    switched = client.post(reverse("core:set-language"), {"language": "en", "next": ENROL})
    assert switched.status_code == 302
    # The enrolment page shows the QR code, the key and the otpauth URI, and writes nothing
    devices_before = TOTPDevice.objects.count()
    page = client.get(response["Location"])
    text = page.content.decode()
    assert page.status_code == 200
    assert 'src="data:image/svg+xml;base64,' in text
    assert "otpauth://totp/hallbar%3Abob?secret=" in text
    assert TOTPDevice.objects.count() == devices_before
    key = client.session[mfa.PENDING_KEY_SESSION_KEY]
    assert page.context["secret"].replace(" ", "") in text.replace(" ", "")
    # A wrong code does not confirm it
    wrong = str((int(_code(key)) + 1) % 1_000_000).zfill(6)
    assert "That code is not right" in client.post(ENROL, {"code": wrong}).content.decode()
    assert not TOTPDevice.objects.filter(user=cast.bob).exists()
    # When he types the code his app shows
    response = client.post(ENROL, {"code": _code(key), "next": PAGE})
    # Then he sees ten recovery codes once, and continues to the page he wanted
    assert response.status_code == 200
    codes = response.context["codes"]
    assert len(codes) == 10 == len(set(codes))
    assert all(code in response.content.decode() for code in codes)
    assert response.context["continue_url"] == PAGE
    device = TOTPDevice.objects.get(user=cast.bob)
    assert device.confirmed and device.key == key
    assert mfa.recovery_codes_left(cast.bob) == 10
    assert client.get(PAGE).status_code == 200
    # and his history says so
    assert any(e.changes.get(mfa.HISTORY_FIELD) == ["", "enrolled"] for e in history_for(cast.bob))
    # The enrolment page now sends him to his second factor's page
    assert client.get(ENROL)["Location"] == reverse("account:mfa-recovery-codes")


def test_pages_of_the_second_factor_are_not_for_roles_without_one(cast, client_for):
    client = client_for(cast.charlie)
    for name in ("account:mfa-verify", "account:mfa-enrol", "account:mfa-recovery-codes"):
        assert client.get(reverse(name)).status_code == 404


# --- recovery codes ----------------------------------------------------------------------------


def test_a_recovery_code_works_once(cast, client):
    _device(cast.alice)
    _recovery(cast.alice, "abcd2345", "efgh6723")
    _log_in(client, "alice")
    response = client.post(VERIFY, {"code": "ABCD 2345"}, follow=True)
    assert "You logged in with a recovery code" in response.content.decode()
    assert "You have 1 left" in response.content.decode()
    assert client.get(PAGE).status_code == 200
    client.post(reverse("logout"))
    # When she logs in again with the same code
    _log_in(client, "alice")
    response = client.post(VERIFY, {"code": "abcd2345"})
    # Then it is refused; the other one still works
    assert "That code is not right" in response.content.decode()
    later = timezone.now() + timedelta(minutes=5)
    with mock.patch.object(timezone, "now", lambda: later):
        assert client.post(VERIFY, {"code": "efgh6723"}).status_code == 302
    assert mfa.recovery_codes_left(cast.alice) == 0


def test_new_recovery_codes_replace_the_old_ones_after_a_confirmation(cast, client):
    _device(cast.alice)
    _recovery(cast.alice, "abcd2345")
    _log_in(client, "alice")
    client.post(VERIFY, {"code": _code()})
    page = client.get(reverse("account:mfa-recovery-codes"))
    assert "You have 1 unused recovery code." in page.content.decode()
    # Without the confirmation nothing changes
    response = client.post(reverse("account:mfa-recovery-codes"), {})
    assert response.status_code == 200 and "codes" not in response.context
    assert mfa.recovery_codes_left(cast.alice) == 1
    # With it: ten new codes, shown once; the old one is gone
    response = client.post(reverse("account:mfa-recovery-codes"), {"confirm": "on"})
    codes = response.context["codes"]
    assert len(codes) == 10 and "abcd2345" not in codes
    assert mfa.recovery_codes_left(cast.alice) == 10
    assert not StaticToken.objects.filter(token="abcd2345").exists()


# --- the secretariat's reset ---------------------------------------------------------------------


def test_the_secretariat_resets_a_second_factor_with_a_reason_in_the_history(cast, client):
    _device(cast.alice)
    _recovery(cast.alice, "abcd2345")
    _device(cast.secretariat, key="00" * 20)
    # Given alice logged in with her code in her own browser
    alice = client.__class__()
    alice.cookies["django_language"] = "en"
    _log_in(alice, "alice")
    alice.post(VERIFY, {"code": _code()})
    assert alice.get(PAGE).status_code == 200
    # When the secretariat (with its own second factor) resets it, with a reason
    _log_in(client, "karin")
    client.post(VERIFY, {"code": _code("00" * 20)})
    people = client.get(reverse("account:mfa-people"))
    assert "alice" in people.content.decode()
    url = reverse("account:mfa-reset") + "?username=alice"
    page = client.get(url)
    assert page.status_code == 200
    # without a reason or the confirmation nothing happens
    assert client.post(url, {"username": "alice", "confirm": "on"}).status_code == 200
    assert client.post(url, {"username": "alice", "reason": "Lost phone"}).status_code == 200
    assert TOTPDevice.objects.filter(user=cast.alice).exists()
    response = client.post(
        url, {"username": "alice", "reason": "Lost her phone; called back", "confirm": "on"}
    )
    assert response["Location"] == reverse("account:mfa-people")
    # Then her app and codes are gone, and the history names who, why
    assert not TOTPDevice.objects.filter(user=cast.alice).exists()
    assert not StaticDevice.objects.filter(user=cast.alice).exists()
    entry = history_for(cast.alice).first()
    assert entry.actor == cast.secretariat
    assert entry.changes == {
        mfa.HISTORY_FIELD: ["enrolled", "reset"],
        "reason": "Lost her phone; called back",
    }
    assert "Lost her phone; called back" in client.get(url).content.decode()
    assert "Lost her phone; called back" in client.get(people.request["PATH_INFO"]).content.decode()
    # and alice's open session must enrol again at her next click
    assert alice.get(PAGE)["Location"].startswith(ENROL)


def test_only_the_secretariat_and_superusers_reset_second_factors(cast, client_for, settings):
    settings.HALLBAR_MFA_REQUIRED = False  # the gate itself, whoever has given a second factor
    _device(cast.bob)
    url = reverse("account:mfa-reset") + "?username=bob"
    data = {"username": "bob", "reason": "x", "confirm": "on"}
    for user in (cast.alice, cast.steering, cast.auditor, cast.charlie):
        client = client_for(user)
        assert client.get(url).status_code == 404
        assert client.post(url, data).status_code == 404
    assert TOTPDevice.objects.filter(user=cast.bob).exists()
    cast.nobody.is_superuser = True
    cast.nobody.save(update_fields=["is_superuser"])
    assert client_for(cast.nobody).get(url).status_code == 200
    assert client_for(cast.nobody).get(reverse("account:mfa-reset")).status_code == 404


# --- single sign-on and the switch ---------------------------------------------------------------


def test_a_strong_login_from_the_identity_provider_counts_as_the_second_factor(cast, client):
    _device(cast.alice)
    client.force_login(cast.alice)
    assert client.get(PAGE)["Location"].startswith(VERIFY)
    session = client.session
    session[mfa.STRONG_AUTH_SESSION_KEY] = True
    session.save()
    assert client.get(PAGE).status_code == 200
    # Without an app too: no enrolment is asked
    client.force_login(cast.bob)
    session = client.session
    session[mfa.STRONG_AUTH_SESSION_KEY] = True
    session.save()
    assert client.get(PAGE).status_code == 200
    # Only True counts
    session[mfa.STRONG_AUTH_SESSION_KEY] = "yes"
    session.save()
    assert client.get(PAGE)["Location"].startswith(ENROL)


def test_the_switch_turns_the_demand_off(cast, client, settings):
    settings.HALLBAR_MFA_REQUIRED = False
    _log_in(client, "bob")
    assert client.get(PAGE).status_code == 200
    # and the enrolment stays open for whoever wants to add an app already
    assert client.get(ENROL).status_code == 200
