"""Single sign-on without a running provider: the configuration, the login page and the
switch that turns password logins off. (The logins themselves: test_sso.py.)"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import authenticate
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from config.sso import DEFAULT_STRONG_ACR, form_action_origins, parse_providers
from hallbar.demo.testing import CAST_PASSWORD

ROOT = Path(__file__).resolve().parents[3]
INERA = {
    "id": "inera",
    "name": "Inera (SITHS eID)",
    "issuer": "https://idp.inera.example/oidc/",
    "client_id": "hallbar",
    "identifier_claim": "hsa_id",
}
BROKER = {
    "id": "freja-bankid",
    "name": "Freja eID or BankID",
    "name_sv": "Freja eID eller BankID",
    "issuer": "https://broker.example",
    "client_id": "hallbar-suppliers",
    "client_secret": "in-the-list",
    "strong_acr": ["http://id.elegnamnden.se/loa/1.0/loa3"],
    "acr_values": "http://id.elegnamnden.se/loa/1.0/loa3",
}


def _parse(entries, environ=None):
    return parse_providers(json.dumps(entries), environ or {}, DEFAULT_STRONG_ACR)


def test_several_providers_are_read_with_their_own_settings():
    # Given two providers, the first one's secret in its own variable
    environ = {"HALLBAR_OIDC_INERA_CLIENT_SECRET": "from-the-environment"}
    # When the list is read
    inera, broker = _parse([INERA, BROKER], environ)
    # Then each is an allauth openid_connect app with hallbar's settings
    assert inera["provider_id"] == "inera"
    assert inera["secret"] == "from-the-environment"
    assert inera["settings"]["server_url"] == "https://idp.inera.example/oidc"
    assert inera["settings"]["uid_field"] == "hsa_id"
    assert inera["settings"]["oauth_pkce_enabled"] is True
    assert inera["settings"]["hallbar"]["strong_acr"] == DEFAULT_STRONG_ACR
    assert inera["settings"]["hallbar"]["name_sv"] == "Inera (SITHS eID)"
    assert "auth_params" not in inera["settings"]
    assert broker["secret"] == "in-the-list"
    assert broker["settings"]["uid_field"] == "sub"
    assert broker["settings"]["hallbar"]["name_sv"] == "Freja eID eller BankID"
    assert broker["settings"]["auth_params"] == {"acr_values": BROKER["acr_values"]}
    # and the login forms may be sent on to both providers
    assert form_action_origins([inera, broker]) == [
        "https://idp.inera.example",
        "https://broker.example",
    ]


def test_nothing_configured_means_no_provider():
    assert parse_providers("", {}, DEFAULT_STRONG_ACR) == []


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"id": "x"}', "JSON list"),
        (json.dumps([{**INERA, "client_secret": "s", "id": "Inera AB"}]), "lower-case"),
        (json.dumps([{**INERA, "client_secret": "s", "issuer": "idp.example"}]), "not an http"),
        (json.dumps([INERA]), "HALLBAR_OIDC_INERA_CLIENT_SECRET"),
        (json.dumps([BROKER, BROKER]), "listed twice"),
        (json.dumps([{**BROKER, "trust_email": "yes"}]), "true or false"),
        (json.dumps([{**BROKER, "scopes": ["openid"]}]), "unknown keys"),
        (json.dumps([{k: v for k, v in BROKER.items() if k != "client_id"}]), "client_id"),
    ],
)
def test_a_bad_provider_list_stops_the_platform(raw, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        parse_providers(raw, {}, DEFAULT_STRONG_ACR)


def _login_page(client, language="sv"):
    client.cookies["django_language"] = language
    return client.get(reverse("login")).content.decode()


@pytest.mark.django_db
def test_without_providers_the_login_page_is_as_before(client):
    page = _login_page(client)
    assert 'name="password"' in page
    assert "sso-login" not in page
    assert "/sso/oidc/" not in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "broker"), [("sv", "Freja eID eller BankID"), ("en", "Freja eID or BankID")]
)
def test_the_login_page_has_a_button_per_provider(client, settings, language, broker):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {"APPS": _parse([{**INERA, "client_secret": "s"}, BROKER])}
    }
    page = _login_page(client, language)
    # Each button posts to its provider's login, labelled in the reader's language
    assert page.count('data-provider="') == 2
    assert 'action="/sso/oidc/inera/login/"' in page
    assert 'action="/sso/oidc/freja-bankid/login/"' in page
    assert "Inera (SITHS eID)" in page
    assert broker in page
    # and the password form is still there
    assert 'name="password"' in page


@pytest.fixture
def passwords_off(settings):
    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": _parse([BROKER])}}
    settings.HALLBAR_PASSWORD_LOGIN = False
    settings.AUTHENTICATION_BACKENDS = [
        b for b in settings.AUTHENTICATION_BACKENDS if not b.endswith(".ModelBackend")
    ]


def test_with_password_logins_off_the_form_is_hidden_and_a_password_refused(
    client, rf, cast, passwords_off
):
    # Given password logins switched off
    # When someone opens the login page
    page = _login_page(client)
    # Then it offers the provider only
    assert 'name="password"' not in page
    assert "/sso/oidc/freja-bankid/login/" in page
    assert reverse("password_reset") not in page
    # When alice posts her right password anyway
    response = client.post(
        reverse("login"), {"username": "alice", "password": CAST_PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )
    # Then she is refused and not logged in
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("home:start")).status_code == 302
    # and no other path checks passwords either
    request = rf.post(reverse("login"), REMOTE_ADDR="10.0.0.2")
    assert authenticate(request, username="alice", password=CAST_PASSWORD) is None
    # and the password pages are gone, and not linked for people logged in by single sign-on
    assert client.get(reverse("password_reset")).status_code == 404
    client.force_login(cast.alice, backend="hallbar.organisations.sso.SingleSignOnBackend")
    assert client.get(reverse("password_change")).status_code == 404
    home = client.get(reverse("home:start"))
    assert home.status_code == 200
    assert reverse("password_change") not in home.content.decode()


def test_with_password_logins_on_the_same_post_logs_in(client, cast):
    """The control for the refusal above."""
    response = client.post(
        reverse("login"), {"username": "alice", "password": CAST_PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(cast.alice.pk)


READ = """
import json, django
django.setup()
from django.conf import settings as s
print(json.dumps({"backends": s.AUTHENTICATION_BACKENDS, "password": s.HALLBAR_PASSWORD_LOGIN,
    "form_action": s.CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"]}))
"""


def _settings_with(tmp_path, **variables) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HALLBAR_OIDC")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings_test", HALLBAR_DATA_DIR=str(tmp_path), **variables
    )
    return subprocess.run(
        [sys.executable, "-c", READ], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_the_environment_switches_password_logins_off(tmp_path):
    # Given a provider and HALLBAR_PASSWORD_LOGIN=false in the environment
    result = _settings_with(
        tmp_path, HALLBAR_OIDC_PROVIDERS=json.dumps([BROKER]), HALLBAR_PASSWORD_LOGIN="false"
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    # Then no backend checks passwords; single sign-on sessions still find their user
    assert values["password"] is False
    assert "django.contrib.auth.backends.ModelBackend" not in values["backends"]
    assert "hallbar.organisations.sso.SingleSignOnBackend" in values["backends"]
    assert values["form_action"] == ["'self'", "https://broker.example"]


def test_password_logins_cannot_be_switched_off_without_a_provider(tmp_path):
    result = _settings_with(tmp_path, HALLBAR_PASSWORD_LOGIN="false")
    assert result.returncode != 0
    assert "needs at least one provider" in result.stderr


@pytest.mark.django_db
def test_a_provider_that_cannot_be_reached_gives_the_error_page(client, settings):
    # Given a provider whose issuer answers nothing
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {"APPS": _parse([{**BROKER, "issuer": "http://127.0.0.1:9"}])}
    }
    client.cookies["django_language"] = "en"
    # When someone clicks its button
    response = client.post("/sso/oidc/freja-bankid/login/")
    # Then the login fails with hallbar's error page, not a server error
    assert response.status_code == 400
    assert "The login did not succeed" in response.content.decode()


def test_the_secretariat_links_an_identity_to_a_person_in_the_admin(cast, client_for, settings):
    from hallbar.organisations.admin import ExternalIdentityForm

    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {"APPS": _parse([{**INERA, "client_secret": "s"}, BROKER])}
    }
    client = client_for(cast.secretariat)
    # The person's page in the admin has the identities, to add with a configured provider
    page = client.get(reverse("admin:organisations_user_change", args=[cast.bob.pk]))
    assert page.status_code == 200
    assert "socialaccount_set-TOTAL_FORMS" in page.content.decode()
    assert ExternalIdentityForm({"provider": "inera", "uid": "SE2321000016-B0B1"}).is_valid()
    assert not ExternalIdentityForm({"provider": "google", "uid": "1"}).is_valid()
    # and allauth's provider apps, tokens and addresses are not in the admin
    index = client.get(reverse("admin:index")).content.decode()
    assert "socialaccount/socialapp/" not in index
    assert "socialaccount/socialtoken/" not in index
    assert "account/emailaddress/" not in index


def test_logout_after_a_password_login_stays_at_hallbar(client, cast, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": _parse([BROKER])}}
    client.force_login(cast.alice)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session


def test_logout_when_the_provider_cannot_be_reached_still_logs_out(client, cast, settings):
    # Given a single sign-on session at a provider that answers nothing
    unreachable = {**BROKER, "issuer": "http://127.0.0.1:9"}
    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": _parse([unreachable])}}
    client.force_login(cast.alice, backend="hallbar.organisations.sso.SingleSignOnBackend")
    session = client.session
    session["hallbar_sso_provider"] = "freja-bankid"
    session.save()
    # When she logs out
    response = client.post(reverse("logout"))
    # Then she is logged out of hallbar and sent to its login page
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session
