"""Single sign-on providers (OpenID Connect) read from the environment.

``HALLBAR_OIDC_PROVIDERS`` is a JSON list, one object per identity provider (docs/sso.md):

    [{"id": "inera", "name": "Inera (SITHS eID)", "issuer": "https://…",
      "client_id": "…", "client_secret": "…", "identifier_claim": "hsa_id"}]

A secret can instead come from ``HALLBAR_OIDC_<ID>_CLIENT_SECRET`` (the id in capitals, "-" as
"_"), so that the list itself holds no secret. Bad values stop the platform at start-up.
"""

import json
import os
import re
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

# Swedish e-identification at substantial or high assurance (DIGG's levels of assurance 3 and
# 4, and eIDAS substantial/high for foreign eIDs through Sweden Connect). An ID token whose acr
# is one of these counts as a strong (multi-factor) authentication.
DEFAULT_STRONG_ACR = [
    "http://id.elegnamnden.se/loa/1.0/loa3",
    "http://id.elegnamnden.se/loa/1.0/loa4",
    "http://id.elegnamnden.se/loa/1.0/eidas-sub",
    "http://id.elegnamnden.se/loa/1.0/eidas-high",
    "http://id.elegnamnden.se/loa/1.0/eidas-nf-sub",
    "http://id.elegnamnden.se/loa/1.0/eidas-nf-high",
]
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
_KNOWN = {
    "id",
    "name",
    "name_sv",
    "issuer",
    "client_id",
    "client_secret",
    "identifier_claim",
    "match_email",
    "trust_email",
    "strong_acr",
    "scope",
    "acr_values",
    "end_session",
}


def _fail(message: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(f"HALLBAR_OIDC_PROVIDERS: {message}")


def _string(entry: dict[str, Any], key: str, where: str, default: str | None = None) -> str:
    value = entry.get(key, default)
    if not isinstance(value, str) or not value.strip():
        raise _fail(f"{where} needs {key!r} (a non-empty string)")
    return value.strip()


def _strings(entry: dict[str, Any], key: str, where: str, default: list[str]) -> list[str]:
    value = entry.get(key, default)
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise _fail(f"{where}: {key!r} must be a list of strings")
    return list(value)


def _flag(entry: dict[str, Any], key: str, where: str, default: bool) -> bool:
    value = entry.get(key, default)
    if not isinstance(value, bool):
        raise _fail(f"{where}: {key!r} must be true or false")
    return value


def parse_providers(raw: str, environ: dict[str, str], strong_acr: list[str]) -> list[dict]:
    """Return django-allauth's ``openid_connect`` apps for the providers described in raw."""
    try:
        entries = json.loads(raw) if raw.strip() else []
    except json.JSONDecodeError as error:
        raise _fail(f"not valid JSON ({error})") from None
    if not isinstance(entries, list):
        raise _fail("must be a JSON list of objects")
    apps: list[dict[str, Any]] = []
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            raise _fail(f"entry {number} is not an object")
        where = f"entry {number}"
        unknown = set(entry) - _KNOWN
        if unknown:
            raise _fail(f"{where} has unknown keys {sorted(unknown)}")
        provider_id = _string(entry, "id", where)
        if not _ID.match(provider_id):
            raise _fail(f"{where}: id {provider_id!r} must be lower-case letters, digits and -")
        where = f"provider {provider_id!r}"
        if provider_id in {app["provider_id"] for app in apps}:
            raise _fail(f"{where} is listed twice")
        issuer = _string(entry, "issuer", where).rstrip("/")
        if urlsplit(issuer).scheme not in {"https", "http"} or not urlsplit(issuer).netloc:
            raise _fail(f"{where}: issuer {issuer!r} is not an http(s) URL")
        secret_variable = f"HALLBAR_OIDC_{provider_id.upper().replace('-', '_')}_CLIENT_SECRET"
        secret = environ.get(secret_variable) or entry.get("client_secret")
        if not isinstance(secret, str) or not secret:
            raise _fail(f"{where} needs client_secret (or {secret_variable})")
        name = _string(entry, "name", where)
        hallbar = {
            "name_en": name,
            "name_sv": _string(entry, "name_sv", where, name),
            "issuer": issuer,
            "match_email": _flag(entry, "match_email", where, True),
            "trust_email": _flag(entry, "trust_email", where, False),
            "strong_acr": _strings(entry, "strong_acr", where, strong_acr),
            "end_session": _flag(entry, "end_session", where, True),
        }
        settings: dict[str, Any] = {
            "server_url": issuer,
            "oauth_pkce_enabled": True,
            "uid_field": _string(entry, "identifier_claim", where, "sub"),
            "scope": _strings(entry, "scope", where, ["openid", "profile", "email"]),
            "hallbar": hallbar,
        }
        if "acr_values" in entry:
            settings["auth_params"] = {"acr_values": _string(entry, "acr_values", where)}
        apps.append(
            {
                "provider_id": provider_id,
                "name": name,
                "client_id": _string(entry, "client_id", where),
                "secret": secret,
                "settings": settings,
            }
        )
    return apps


def providers_from_environment(strong_acr: list[str]) -> list[dict]:
    """Return the apps of HALLBAR_OIDC_PROVIDERS (none when it is unset)."""
    return parse_providers(
        os.environ.get("HALLBAR_OIDC_PROVIDERS", ""), dict(os.environ), strong_acr
    )


def form_action_origins(apps: list[dict]) -> list[str]:
    """Return the providers' origins: the login and logout forms are redirected to them."""
    origins = []
    for app in apps:
        parts = urlsplit(app["settings"]["server_url"])
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in origins:
            origins.append(origin)
    return origins
