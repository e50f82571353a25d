"""Single sign-on with OpenID Connect, through django-allauth's ``openid_connect`` provider.

allauth runs the protocol (authorisation code with PKCE, state, the ID token's signature,
issuer, audience and expiry); this module decides who the person is in hallbar:

1. an external identity row (allauth's ``SocialAccount``: provider + the value of the
   provider's ``identifier_claim``, ``sub`` unless configured, e.g. ``hsa_id``) names the user;
2. otherwise, when the provider may match by e-mail, exactly one active user with the
   identity's e-mail address, if the provider says the address is verified (``email_verified``
   true, or ``trust_email`` set for the provider); the identity row is then stored;
3. otherwise nobody: the person gets a page saying there is no account in hallbar for the
   identity and whom to contact. No account is ever created by a login.

An ID token whose ``acr`` is one of the provider's strong levels marks the session
(``STRONG_AUTH_SESSION_KEY``): a second factor is then already satisfied.
"""

import logging
from typing import Any
from urllib.parse import urlencode

import requests
from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialAccount, SocialLogin
from allauth.socialaccount.providers.base import ProviderException
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation

from hallbar.organisations.mfa import STRONG_AUTH_SESSION_KEY
from hallbar.organisations.models import User

logger = logging.getLogger(__name__)

# The provider a session was logged in through, and the ID token it issued: logout then ends
# the session there too (the token is the id_token_hint of RP-initiated logout).
PROVIDER_SESSION_KEY = "hallbar_sso_provider"
ID_TOKEN_SESSION_KEY = "hallbar_sso_id_token"
BACKEND = "hallbar.organisations.sso.SingleSignOnBackend"


class SingleSignOnBackend(ModelBackend):
    """Keep people logged in by single sign-on; never check a password.

    It stays in AUTHENTICATION_BACKENDS when password logins are switched off (and Django's
    ModelBackend with them), so that a session started by single sign-on still finds its user.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        return None


def providers() -> list[dict[str, Any]]:
    """Return the configured providers (allauth's app dicts), in the configured order."""
    return list(settings.SOCIALACCOUNT_PROVIDERS.get("openid_connect", {}).get("APPS", []))


def provider_settings(provider_id: str) -> dict[str, Any] | None:
    for app in providers():
        if app["provider_id"] == provider_id:
            return app
    return None


def login_buttons() -> list[dict[str, str]]:
    """Return each provider's label (in the reader's language) and login URL."""
    swedish = (translation.get_language() or "sv").startswith("sv")
    buttons = []
    for app in providers():
        hallbar = app["settings"].get("hallbar", {})
        label = hallbar.get("name_sv" if swedish else "name_en") or app["name"]
        url = reverse("openid_connect_login", kwargs={"provider_id": app["provider_id"]})
        buttons.append({"id": app["provider_id"], "label": label, "url": url})
    return buttons


def password_login_enabled() -> bool:
    return bool(getattr(settings, "HALLBAR_PASSWORD_LOGIN", True))


def _hallbar(provider_id: str) -> dict[str, Any]:
    app = provider_settings(provider_id)
    return app["settings"].get("hallbar", {}) if app else {}


def _claims(sociallogin: SocialLogin) -> dict[str, Any]:
    """Return the identity's claims: the ID token's, completed by the userinfo answer."""
    data = sociallogin.account.extra_data or {}
    return {**data.get("id_token", {}), **data.get("userinfo", {})}


def _is_true(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.lower() == "true")


def user_for_email(sociallogin: SocialLogin) -> User | None:
    """Return the one active user with the identity's verified e-mail address, if any."""
    provider_id = sociallogin.account.provider
    hallbar = _hallbar(provider_id)
    if not hallbar.get("match_email", True):
        return None
    claims = _claims(sociallogin)
    email = claims.get("email")
    if not isinstance(email, str) or not email.strip():
        return None
    if not (hallbar.get("trust_email") or _is_true(claims.get("email_verified"))):
        return None
    matches = list(User.objects.filter(email__iexact=email.strip(), is_active=True)[:2])
    if len(matches) != 1:
        return None
    user = matches[0]
    # A user already linked to another identity at this provider is not taken over by a
    # second identity that happens to carry the same address.
    if SocialAccount.objects.filter(user=user, provider=provider_id).exists():
        return None
    return user


def no_account_page(request: HttpRequest, provider_id: str | None) -> HttpResponse:
    app = provider_settings(provider_id or "")
    return render(
        request,
        "organisations/sso_no_account.html",
        {"provider": _label(app)},
        status=403,
    )


def login_failed_page(request: HttpRequest, provider_id: str, reason: object) -> HttpResponse:
    """The page for a login that was cancelled, failed or could not be verified (400)."""
    logger.warning("single sign-on failed at %s: %s", provider_id, reason)
    app = provider_settings(provider_id)
    return render(request, "organisations/sso_error.html", {"provider": _label(app)}, status=400)


def _label(app: dict[str, Any] | None) -> str:
    if not app:
        return ""
    hallbar = app["settings"].get("hallbar", {})
    swedish = (translation.get_language() or "sv").startswith("sv")
    return hallbar.get("name_sv" if swedish else "name_en") or app["name"]


def is_strong(provider_id: str, id_token_claims: dict[str, Any]) -> bool:
    """Whether the ID token's acr is one of the provider's strong levels."""
    acr = id_token_claims.get("acr")
    return isinstance(acr, str) and acr in _hallbar(provider_id).get("strong_acr", [])


class HallbarOpenIDConnectProvider(OpenIDConnectProvider):
    """allauth's provider, refusing an identity without the configured identifier claim."""

    def extract_uid(self, data):
        try:
            return super().extract_uid(data)
        except KeyError:
            raise ProviderException(
                f"the identity has no {self.app.settings.get('uid_field', 'sub')!r} claim"
            ) from None


class OAuth2Adapter(OpenIDConnectOAuth2Adapter):
    """allauth's OpenID Connect adapter, keeping the raw ID token of this login for logout.

    The token stays on the request (never in the database); AccountAdapter.post_login puts it
    in the session once the login has succeeded."""

    def complete_login(self, request, app, token, **kwargs):
        login = super().complete_login(request, app, token, **kwargs)
        id_token = (kwargs.get("response") or {}).get("id_token")
        if isinstance(id_token, str):
            request.hallbar_id_token = id_token
        return login


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Map an identity to an existing user, or show the page for an unknown person."""

    def get_provider(self, request, provider, client_id=None):
        found = super().get_provider(request, provider, client_id=client_id)
        if type(found) is OpenIDConnectProvider:
            return HallbarOpenIDConnectProvider(request, app=found.app)
        return found

    def is_open_for_signup(self, request, sociallogin) -> bool:
        return False

    def is_auto_signup_allowed(self, request, sociallogin) -> bool:
        return False

    def pre_social_login(self, request, sociallogin: SocialLogin) -> None:
        provider_id = sociallogin.account.provider
        if sociallogin.is_existing:
            if not sociallogin.user.is_active:
                raise ImmediateHttpResponse(no_account_page(request, provider_id))
            return
        user = user_for_email(sociallogin)
        if user is None:
            logger.info("single sign-on: no hallbar account for an identity at %s", provider_id)
            raise ImmediateHttpResponse(no_account_page(request, provider_id))
        sociallogin.connect(request, user)

    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ):
        provider_id = getattr(getattr(provider, "app", None), "provider_id", "") or ""
        raise ImmediateHttpResponse(login_failed_page(request, provider_id, exception or error))


class AccountAdapter(DefaultAccountAdapter):
    """Log people in through the single sign-on backend; remember the provider and the acr."""

    def login(self, request, user) -> None:
        user.backend = BACKEND
        super().login(request, user)

    def post_login(self, request, user, **kwargs):
        sociallogin = (kwargs.get("signal_kwargs") or {}).get("sociallogin")
        if sociallogin is not None:
            provider_id = sociallogin.account.provider
            request.session[PROVIDER_SESSION_KEY] = provider_id
            id_token_string = getattr(request, "hallbar_id_token", None)
            if id_token_string:
                request.session[ID_TOKEN_SESSION_KEY] = id_token_string
            id_token = (sociallogin.account.extra_data or {}).get("id_token", {})
            if is_strong(provider_id, id_token):
                request.session[STRONG_AUTH_SESSION_KEY] = True
            else:
                request.session.pop(STRONG_AUTH_SESSION_KEY, None)
        return super().post_login(request, user, **kwargs)

    def respond_user_inactive(self, request, user):
        return no_account_page(request, None)

    def is_open_for_signup(self, request) -> bool:
        return False


def end_session_url(request: HttpRequest) -> str | None:
    """Return the provider's logout URL for a session logged in by single sign-on, if any.

    RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0): the browser is sent to the
    provider's end_session_endpoint with the login's ID token (id_token_hint), hallbar's
    client_id and the login page as post_logout_redirect_uri, which must be registered with the
    provider.
    """
    provider_id = request.session.get(PROVIDER_SESSION_KEY)
    app = provider_settings(provider_id) if provider_id else None
    if app is None or not app["settings"].get("hallbar", {}).get("end_session", True):
        return None
    discovery = app["settings"]["server_url"].rstrip("/") + "/.well-known/openid-configuration"
    try:
        response = requests.get(discovery, timeout=settings.SOCIALACCOUNT_REQUESTS_TIMEOUT)
        response.raise_for_status()
        endpoint = response.json().get("end_session_endpoint")
    except (requests.RequestException, ValueError) as error:
        logger.warning("single sign-on: no logout at %s (%s)", provider_id, error)
        return None
    if not isinstance(endpoint, str) or not endpoint:
        return None
    parameters = {
        "client_id": app["client_id"],
        "post_logout_redirect_uri": request.build_absolute_uri(reverse("login")),
    }
    id_token = request.session.get(ID_TOKEN_SESSION_KEY)
    if id_token:
        parameters["id_token_hint"] = id_token
    query = urlencode(parameters)
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"
