"""Lockout after failed logins, the secretariat's unlock, passwords and session timeouts."""

from contextlib import contextmanager
from datetime import timedelta
from unittest import mock

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from hallbar.core.history import history_for
from hallbar.demo.testing import CAST_PASSWORD
from hallbar.organisations.passwords import is_guessable

LOGIN = "/accounts/login/"


@pytest.fixture(autouse=True)
def _english(client):
    # The texts are asserted in English (the Swedish translations are merged separately).
    client.cookies["django_language"] = "en"


def _log_in(client, username, password, address="192.0.2.10"):
    return client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address, follow=False
    )


def _fail(client, username, times, address="192.0.2.10"):
    for _ in range(times):
        response = _log_in(client, username, "wrong-password-123", address)
    return response


# --- lockout ---------------------------------------------------------------------------------


def test_account_is_locked_after_five_failures_with_a_clear_message(cast, client, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    # Four failures: the form says the password was wrong, nothing is locked yet
    response = _fail(client, "alice", 4)
    assert response.status_code == 200
    assert "Login locked" not in response.content.decode()
    # The fifth locks the account; the page says so, until when, and who can unlock it
    response = _fail(client, "alice", 1)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Login locked" in page
    assert "too many failed logins to this account" in page
    assert "(30 minutes after the last attempt)" in page
    assert "ask the secretariat to unlock it" in page
    # Now even the right password is refused
    response = _log_in(client, "alice", CAST_PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    # Another person from the same address still logs in
    assert _log_in(client, "bob", CAST_PASSWORD).status_code == 302


def test_the_lockout_page_is_in_swedish_by_default(cast, client):
    client.cookies.pop("django_language", None)
    response = _fail(client, "alice", 5)
    assert '<html lang="sv">' in response.content.decode()


def test_lock_ends_after_the_cool_off(cast, client):
    _fail(client, "alice", 5)
    later = timezone.now() + timedelta(minutes=31)
    # axes reads the clock through its own imports of django.utils.timezone.now
    with (
        mock.patch("axes.attempts.now", lambda: later),
        mock.patch("axes.handlers.proxy.now", lambda: later),
        mock.patch.object(timezone, "now", lambda: later),
    ):
        assert _log_in(client, "alice", CAST_PASSWORD).status_code == 302


def test_address_is_throttled_across_accounts(cast, client, settings):
    settings.HALLBAR_LOGIN_ADDRESS_FAILURE_LIMIT = 6
    # Someone at one address guesses at three accounts, two tries each: no account reaches five
    for username in ("alice", "bob", "stig"):
        _fail(client, username, 2, address="198.51.100.7")
    # The address has reached six: even a right password from there is refused
    response = _log_in(client, "anna", CAST_PASSWORD, address="198.51.100.7")
    assert response.status_code == 429
    assert "too many failed logins from your network address" in response.content.decode()
    # From another address the same person logs in
    assert _log_in(client, "anna", CAST_PASSWORD, address="203.0.113.5").status_code == 302


def test_a_successful_login_clears_the_account_not_the_address(cast, client, settings):
    settings.HALLBAR_LOGIN_ADDRESS_FAILURE_LIMIT = 6
    _fail(client, "alice", 4, address="198.51.100.7")
    _fail(client, "bob", 1, address="198.51.100.7")
    assert _log_in(client, "alice", CAST_PASSWORD, address="198.51.100.7").status_code == 302
    assert not AccessAttempt.objects.filter(username="alice").exists()
    client.logout()
    # bob's failure from the address still counts: one more anywhere locks the address
    _fail(client, "stig", 1, address="198.51.100.7")
    assert _log_in(client, "stig", CAST_PASSWORD, address="198.51.100.7").status_code == 302
    client.logout()
    assert AccessAttempt.objects.filter(ip_address="198.51.100.7").count() == 1  # bob's


def test_secretariat_unlocks_an_account_after_confirming(cast, client):
    _fail(client, "alice", 5)
    client.force_login(cast.secretariat)
    # The list shows the locked account
    page = client.get(reverse("account:lockout-list")).content.decode()
    assert "alice" in page and "Account" in page
    # The unlock asks for confirmation first and changes nothing on GET
    url = reverse("account:lockout-unlock") + "?kind=account&value=alice"
    confirm = client.get(url).content.decode()
    assert "Unlock the account alice after 5 failed logins?" in confirm
    assert AccessAttempt.objects.filter(username="alice").exists()
    # Confirmed: the attempts are gone, the history says who unlocked it
    response = client.post(reverse("account:lockout-unlock"), {"kind": "account", "value": "alice"})
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="alice").exists()
    entry = history_for(cast.alice).first()
    assert entry is not None and entry.actor == cast.secretariat
    assert entry.changes == {"login lockout": ["locked", "unlocked"]}
    page = client.get(reverse("account:lockout-list")).content.decode()
    assert "No account or address is locked." in page
    assert "alice unlocked by Karin Kansli" in page
    client.logout()
    assert _log_in(client, "alice", CAST_PASSWORD).status_code == 302


def test_secretariat_unlocks_an_address(cast, client, settings):
    settings.HALLBAR_LOGIN_ADDRESS_FAILURE_LIMIT = 3
    for username in ("x1", "x2", "x3"):
        _fail(client, username, 1, address="198.51.100.9")
    client.force_login(cast.secretariat)
    assert "198.51.100.9" in client.get(reverse("account:lockout-list")).content.decode()
    client.post(reverse("account:lockout-unlock"), {"kind": "address", "value": "198.51.100.9"})
    assert not AccessAttempt.objects.filter(ip_address="198.51.100.9").exists()
    client.logout()
    assert _log_in(client, "bob", CAST_PASSWORD, address="198.51.100.9").status_code == 302


@pytest.mark.parametrize("who", ["alice", "auditor", "steering", "charlie"])
def test_only_the_secretariat_sees_the_lockouts(cast, client, who):
    client.force_login(getattr(cast, who))
    assert client.get(reverse("account:lockout-list")).status_code == 404
    unlock = reverse("account:lockout-unlock")
    assert client.post(unlock, {"kind": "account", "value": "x"}).status_code == 404


def test_the_secretariat_has_a_link_to_the_lockouts(cast, client):
    link = reverse("account:lockout-list")
    client.force_login(cast.secretariat)
    assert link in client.get(reverse("home:start")).content.decode()
    client.force_login(cast.alice)
    assert link not in client.get(reverse("home:start")).content.decode()


def test_client_login_needs_the_request(cast, client, rf):
    # axes counts every password login, so it needs the request: tests use force_login
    request = rf.post(LOGIN)
    assert client.login(request=request, username="alice", password=CAST_PASSWORD)


# --- passwords -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "password",
    [
        "Sommar2025!",
        "Göteborg2024",
        "S0mmar2025!!",
        "Vintern-2026-Stockholm",
        "lösenord12345",
        "Oktober2025!!",
        "JämtlandHärjedalen2024",
        "2024-2025!!!",
    ],
)
def test_swedish_patterns_are_refused(cast, password):
    assert is_guessable(password)
    with pytest.raises(ValidationError):
        validate_password(password, cast.alice)


@pytest.mark.parametrize(
    "password", ["grön cykel under bron sju", "korrekt-häst-batteri-häftklammer", "Tv!ttkorg9mjölk"]
)
def test_a_long_phrase_is_accepted(cast, password):
    validate_password(password, cast.alice)


def test_passwords_need_twelve_characters(cast):
    with pytest.raises(ValidationError) as error:
        validate_password("Xq7#pLm2v!k", cast.alice)  # 11
    assert "12" in str(error.value)
    validate_password("Xq7#pLm2v!kR", cast.alice)  # 12


def test_password_change_form_refuses_a_season(cast, client):
    client.force_login(cast.bob)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": CAST_PASSWORD,
            "new_password1": "Sommar2025!",
            "new_password2": "Sommar2025!",
        },
    )
    assert response.status_code == 200
    assert "built on a common word (a season" in response.content.decode()


# --- sessions --------------------------------------------------------------------------------


@contextmanager
def _clock(at):
    with mock.patch.object(timezone, "now", lambda: at):
        yield


def test_session_ends_after_thirty_idle_minutes(cast, client, settings):
    assert settings.SESSION_IDLE_MINUTES == 30
    start = timezone.now()
    client.force_login(cast.alice)
    home = reverse("home:start")
    with _clock(start):
        assert client.get(home).status_code == 200
    with _clock(start + timedelta(minutes=29)):
        assert client.get(home).status_code == 200
    # 29 minutes after the last request: still signed in
    with _clock(start + timedelta(minutes=58)):
        assert client.get(home).status_code == 200
    # 31 minutes without a request: logged out, with a message on the login page
    with _clock(start + timedelta(minutes=89)):
        response = client.get(home, follow=True)
    assert response.redirect_chain[-1][0].startswith(LOGIN)
    assert "logged out after 30 minutes without activity" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_session_ends_after_twelve_hours_however_active(cast, client, settings):
    settings.SESSION_IDLE_MINUTES = 45
    start = timezone.now()
    client.force_login(cast.alice)
    home = reverse("home:start")
    for minutes in range(0, 12 * 60 + 1, 40):
        with _clock(start + timedelta(minutes=minutes)):
            assert client.get(home).status_code == 200, minutes
    with _clock(start + timedelta(hours=12, minutes=10)):
        response = client.get(home, follow=True)
    assert response.redirect_chain[-1][0].startswith(LOGIN)
    assert "a login lasts at most 12 hours" in response.content.decode()


def test_idle_limit_comes_from_the_environment_setting(cast, client, settings):
    settings.SESSION_IDLE_MINUTES = 5
    start = timezone.now()
    client.force_login(cast.alice)
    with _clock(start):
        client.get(reverse("home:start"))
    with _clock(start + timedelta(minutes=6)):
        assert client.get(reverse("home:start")).status_code == 302
