"""Single sign-on with OpenID Connect, against a real provider running as a separate process.

The provider (panva's oidc-provider, tests/oidc-provider/server.mjs) knows these people:

- alice: alice@demo.hallbar.invalid, verified, logs in at a strong level (LoA 3)
- bob-siths: hsa_id SE2321000016-B0B1, bob's address, a weak level; hallbar links the hsa_id
  to bob by an external identity row, and the "test-hsa" provider does not match by e-mail
- stranger: a verified address no hallbar user has
- alice-unverified: alice's address, but not verified by the provider
- no-hsa: has no hsa_id claim

The login and the logout go through Chromium; the other cases drive the same pages with requests.
"""

import copy
import re
from urllib.parse import urlsplit

import pytest
import requests
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.models import SocialAccount
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse

from hallbar.organisations.models import User
from hallbar.organisations.sso import (
    ID_TOKEN_SESSION_KEY,
    PROVIDER_SESSION_KEY,
    STRONG_AUTH_SESSION_KEY,
)
from hallbar.organisations.tests.oidc_provider import (
    SECRET,
    STRONG,
    WEAK,
    hallbar_providers,
    start_provider,
    stop_provider,
)

BOB_HSA_ID = "SE2321000016-B0B1"
ACCOUNTS = {
    "alice": {
        "claims": {
            "email": "alice@demo.hallbar.invalid",
            "email_verified": True,
            "name": "Alice Stockholm",
        },
        "acr": STRONG,
    },
    "bob-siths": {
        "claims": {
            "email": "bob@demo.hallbar.invalid",
            "email_verified": True,
            "hsa_id": BOB_HSA_ID,
        },
        "acr": WEAK,
    },
    "stranger": {"claims": {"email": "stranger@example.se", "email_verified": True}},
    "alice-unverified": {
        "claims": {"email": "alice@demo.hallbar.invalid", "email_verified": False}
    },
    "no-hsa": {"claims": {"email": "nohsa@example.se", "email_verified": True}},
}
# The requests-driven cases read the pages in English (the language cookie)
NO_ACCOUNT = "there is no account in hallbar for this identity"
FAILED = "The login did not succeed"


@pytest.fixture(scope="module")
def provider(django_db_setup, live_server, tmp_path_factory):
    """Start the provider once for the module, registered for the live server; stop it after.

    The test database is set up before the live server (and so torn down after it)."""
    process, issuer = start_provider(tmp_path_factory.mktemp("oidc"), live_server.url, ACCOUNTS)
    yield issuer
    stop_provider(process)


@pytest.fixture
def sso(provider, settings):
    """Configure hallbar with the test providers (as HALLBAR_OIDC_PROVIDERS would)."""
    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": hallbar_providers(provider)}}
    csp = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    csp["DIRECTIVES"]["form-action"] = ["'self'", provider]
    settings.CONTENT_SECURITY_POLICY = csp
    return provider


def _sso_login(base_url: str, provider_id: str, username: str):
    """Log in through the provider with requests, as a browser would; return (session, page)."""
    browser = requests.Session()
    browser.cookies.set("django_language", "en")  # no domain: sent to the live server's host
    browser.get(f"{base_url}/accounts/login/", timeout=10).raise_for_status()
    start = browser.post(
        f"{base_url}/sso/oidc/{provider_id}/login/",
        data={"csrfmiddlewaretoken": browser.cookies["csrftoken"], "next": ""},
        timeout=10,
    )
    # At the provider's own login page
    assert "/interaction/" in start.url, start.url
    assert 'name="login"' in start.text
    page = browser.post(
        f"{start.url}/login", data={"login": username, "password": "any"}, timeout=20
    )
    return browser, page


def _session_data(browser: requests.Session) -> dict:
    key = browser.cookies.get("sessionid")
    if not key:
        return {}
    found = Session.objects.filter(session_key=key).first()
    return found.get_decoded() if found else {}


def _logged_in_user(browser: requests.Session) -> User | None:
    user_id = _session_data(browser).get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


# --- with the real provider: requests ---------------------------------------------------------


def test_a_weak_login_is_mapped_by_the_identifier_claim_and_not_strong(sso, live_server, cast):
    # Given bob's hsa_id on an external identity row for the test-hsa provider
    SocialAccount.objects.create(user=cast.bob, provider="test-hsa", uid=BOB_HSA_ID)
    # When the provider's bob-siths logs in (a weak level of assurance)
    browser, page = _sso_login(live_server.url, "test-hsa", "bob-siths")
    # Then hallbar's home page is shown to bob
    assert page.status_code == 200
    assert urlsplit(page.url).path == reverse("home:start")
    assert _logged_in_user(browser) == cast.bob
    data = _session_data(browser)
    # and the session knows its provider, but the login does not count as a second factor
    assert data[PROVIDER_SESSION_KEY] == "test-hsa"
    assert STRONG_AUTH_SESSION_KEY not in data


def test_the_identifier_claim_alone_decides_when_email_matching_is_off(sso, live_server, cast):
    # Given no identity row for bob: only his (verified) e-mail address matches
    # When bob-siths logs in at the provider that matches by hsa_id only
    browser, page = _sso_login(live_server.url, "test-hsa", "bob-siths")
    # Then nobody is logged in, and no identity row is made
    assert page.status_code == 403
    assert NO_ACCOUNT in page.text
    assert _logged_in_user(browser) is None
    assert not SocialAccount.objects.exists()


def test_an_unknown_person_gets_a_clear_page_and_no_account(sso, live_server, cast):
    users = User.objects.count()
    # When someone the provider knows, but hallbar does not, logs in
    browser, page = _sso_login(live_server.url, "test-idp", "stranger")
    # Then the page says there is no account in hallbar and whom to ask
    assert page.status_code == 403
    assert NO_ACCOUNT in page.text
    assert "sustainability contact" in page.text
    # and no user, identity row or login came of it
    assert User.objects.count() == users
    assert not User.objects.filter(email="stranger@example.se").exists()
    assert not SocialAccount.objects.exists()
    assert _logged_in_user(browser) is None
    # and the home page still asks for a login
    home = browser.get(f"{live_server.url}/", timeout=10, allow_redirects=False)
    assert home.status_code == 302


def test_an_unverified_email_address_matches_nobody(sso, live_server, cast):
    # When a person whose address (alice's) the provider has not verified logs in
    browser, page = _sso_login(live_server.url, "test-idp", "alice-unverified")
    # Then hallbar does not take the address as alice's
    assert page.status_code == 403
    assert NO_ACCOUNT in page.text
    assert _logged_in_user(browser) is None


def test_an_identity_without_the_identifier_claim_is_refused(sso, live_server, cast):
    # When a person without an hsa_id logs in at the provider that maps by hsa_id
    browser, page = _sso_login(live_server.url, "test-hsa", "no-hsa")
    # Then the login fails with the error page, not a server error
    assert page.status_code == 400
    assert FAILED in page.text
    assert _logged_in_user(browser) is None


def test_an_expired_id_token_is_refused(sso, live_server, cast):
    # Given a provider whose ID tokens live one second and reach hallbar after two and a half
    # When alice logs in there
    browser, page = _sso_login(live_server.url, "test-expired", "alice")
    # Then hallbar refuses the expired token: the error page, nobody logged in, nothing linked
    assert page.status_code == 400
    assert FAILED in page.text
    assert _logged_in_user(browser) is None
    assert not SocialAccount.objects.exists()


def _id_token_for(issuer: str, client_id: str, redirect_uri: str, username: str) -> str:
    """Return an ID token the provider issues to a client (authorisation code flow)."""
    browser = requests.Session()
    start = browser.get(
        f"{issuer}/auth",
        params={
            "client_id": client_id,
            "redirect_uri": redirect_uri,
            "response_type": "code",
            "scope": "openid email",
            "state": "s" * 16,
        },
        timeout=10,
    )
    assert "/interaction/" in start.url, start.text
    done = browser.post(
        f"{start.url}/login", data={"login": username}, timeout=10, allow_redirects=False
    )
    location = done.headers["Location"]
    while not location.startswith(redirect_uri):
        done = browser.get(
            location if location.startswith("http") else issuer + location,
            timeout=10,
            allow_redirects=False,
        )
        location = done.headers["Location"]
    code = re.search(r"[?&]code=([^&]+)", location)
    assert code, location
    token = requests.post(
        f"{issuer}/token",
        data={
            "grant_type": "authorization_code",
            "code": code.group(1),
            "redirect_uri": redirect_uri,
        },
        auth=(client_id, SECRET),
        timeout=10,
    )
    token.raise_for_status()
    return token.json()["id_token"]


def _verify(provider_id: str, id_token: str):
    """Check an ID token as hallbar does: signature (the provider's keys), issuer, audience
    (hallbar's client id for the provider) and expiry; return the identity."""
    request = RequestFactory().get("/")
    request.session = SessionStore()
    provider = get_adapter().get_provider(request, provider_id)
    return provider.verify_token(request, {"id_token": id_token})


def test_an_id_token_for_another_client_is_refused(sso, live_server, cast):
    # Given an ID token the real provider issued for alice to another relying party
    other = _id_token_for(sso, "other-client", "http://127.0.0.1:9/callback", "alice")
    # and, as the control, one it issued to hallbar's client
    own = _id_token_for(
        sso, "hallbar", f"{live_server.url}/sso/oidc/test-idp/login/callback/", "alice"
    )
    # When hallbar checks them
    # Then its own passes (the same key, issuer and person)
    assert _verify("test-idp", own).account.uid == "alice"
    # and the other one's audience is refused
    with pytest.raises(ValidationError):
        _verify("test-idp", other)
    assert not SocialAccount.objects.exists()


# --- with the real provider: the browser ------------------------------------------------------


def _button(page, provider: str):
    """The login page's button for a provider (in Swedish once the translations are in)."""
    return page.get_by_role("button", name=f"Logga in med {provider}").or_(
        page.get_by_role("button", name=f"Log in with {provider}")
    )


@pytest.mark.browser
def test_login_and_logout_through_the_provider(sso, page, live_server, cast):
    from playwright.sync_api import expect

    from hallbar.core.tests.browser import axe_check

    # Given the login page with a button per provider, in Swedish
    page.goto("/accounts/login/")
    button = _button(page, "Test-IdP")
    expect(button).to_be_visible()
    expect(_button(page, "Test SITHS")).to_be_visible()
    assert axe_check(page) == []
    # When alice clicks it and logs in at the provider's own page
    button.click()
    expect(page.get_by_label("User name")).to_be_visible()
    assert page.url.startswith(sso)
    page.get_by_label("User name").fill("alice")
    page.get_by_label("Password").fill("any password")
    page.get_by_role("button", name="Sign in").click()
    # Then she lands on hallbar's home page as herself
    expect(page.locator(".who")).to_have_text(str(cast.alice))
    assert urlsplit(page.url).path == reverse("home:start")
    # with her identity linked (by her verified address) and her strong login remembered
    assert SocialAccount.objects.get(provider="test-idp").user == cast.alice
    session_key = next(c["value"] for c in page.context.cookies() if c["name"] == "sessionid")
    data = Session.objects.get(session_key=session_key).get_decoded()
    assert data[STRONG_AUTH_SESSION_KEY] is True
    assert data[PROVIDER_SESSION_KEY] == "test-idp"
    assert data[ID_TOKEN_SESSION_KEY].count(".") == 2  # a JWT, for the logout

    # When she logs out
    page.get_by_role("button", name="Logga ut").click()
    # Then the provider asks to end its session too, and she confirms
    confirm = page.get_by_role("button", name="Yes, sign me out")
    expect(confirm).to_be_visible()
    assert page.url.startswith(f"{sso}/session/end")
    assert "id_token_hint=" in page.url
    confirm.click()
    # and she is back at hallbar's login page, with the session ended at hallbar
    expect(_button(page, "Test-IdP")).to_be_visible()
    assert urlsplit(page.url).path == reverse("login")
    assert not Session.objects.filter(session_key=session_key).exists()
    page.goto("/")
    expect(page.get_by_role("heading", name="Logga in", exact=True)).to_be_visible()
    # and at the provider: logging in again asks for her user name instead of letting her in
    _button(page, "Test-IdP").click()
    expect(page.get_by_label("User name")).to_be_visible()


@pytest.mark.browser
def test_a_weak_sso_login_asks_for_the_second_factor_and_ends_after_the_idle_timeout(
    sso, page, live_server, cast, settings
):
    """The issue's journey: log in through the provider, give the second factor the role
    requires (the provider's level is weak), and be logged out after the idle timeout."""
    from django.utils import timezone
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from playwright.sync_api import expect

    from hallbar.organisations.access import requires_second_factor
    from hallbar.organisations.sessions import LAST_SEEN

    settings.HALLBAR_MFA_REQUIRED = True
    key = "3132333435363738393031323334353637383930"
    TOTPDevice.objects.create(user=cast.bob, name="app", key=key, confirmed=True)
    SocialAccount.objects.create(user=cast.bob, provider="test-hsa", uid=BOB_HSA_ID)
    assert requires_second_factor(cast.bob)
    # When bob logs in through the SITHS provider at a weak level of assurance
    page.goto("/accounts/login/")
    _button(page, "Test SITHS").click()
    expect(page.get_by_label("User name")).to_be_visible()
    page.get_by_label("User name").fill("bob-siths")
    page.get_by_label("Password").fill("any password")
    page.get_by_role("button", name="Sign in").click()
    # Then hallbar asks for the code of his app before anything else
    code = page.get_by_label("Kod", exact=True).or_(page.get_by_label("Code", exact=True))
    expect(code).to_be_visible()
    assert urlsplit(page.url).path == reverse("account:mfa-verify")
    page.goto("/contracts/")
    expect(code).to_be_visible()  # no other page until the code is given
    code.fill(str(totp(bytes.fromhex(key))).zfill(6))
    page.get_by_role("button", name="Bekräfta").or_(
        page.get_by_role("button", name="Confirm")
    ).first.click()
    # and lets him in
    expect(page.locator(".who")).to_have_text(str(cast.bob))
    # When he has been idle longer than the idle timeout
    session_key = next(c["value"] for c in page.context.cookies() if c["name"] == "sessionid")
    store = SessionStore(session_key=session_key)
    idle = (settings.SESSION_IDLE_MINUTES + 1) * 60
    store[LAST_SEEN] = timezone.now().timestamp() - idle
    store.save()
    page.goto("/contracts/")
    # Then he is logged out and back at the login page
    expect(_button(page, "Test SITHS")).to_be_visible()
    assert urlsplit(page.url).path == reverse("login")
    assert not Session.objects.filter(session_key=session_key).exists() or (
        "_auth_user_id" not in SessionStore(session_key=session_key).load()
    )
