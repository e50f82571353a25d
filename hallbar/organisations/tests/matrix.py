"""Single sign-on's cases of the access matrix (``hallbar/core/tests/test_access_matrix.py``).

django-allauth's two URLs are public by design (a person logs in through them), so they are in
the matrix's PUBLIC set and are not swept with POSTs. The matrix configures one provider whose
issuer nobody serves: the pages below never contact it.
"""

import json

from config.sso import DEFAULT_STRONG_ACR, parse_providers

MATRIX_PROVIDER = "matrix-idp"
SSO_PUBLIC = {"openid_connect_login", "openid_connect_callback"}


def matrix_providers() -> dict:
    """The SOCIALACCOUNT_PROVIDERS setting the matrix runs with."""
    entry = {
        "id": MATRIX_PROVIDER,
        "name": "Matrix IdP",
        "issuer": "http://127.0.0.1:9/oidc",
        "client_id": "hallbar",
        "client_secret": "matrix-secret",
    }
    apps = parse_providers(json.dumps([entry]), {}, DEFAULT_STRONG_ACR)
    return {"openid_connect": {"APPS": apps}}


def sso_cases(case, *, everyone):
    """The login page of a provider (asks to continue) and its callback (no state: refused)."""
    return [
        case("openid_connect_login", (MATRIX_PROVIDER,), readers=everyone, anonymous=200),
        # Without the state of a login started here, the callback is refused for everyone
        case(
            "openid_connect_callback",
            (MATRIX_PROVIDER,),
            readers=everyone,
            status=400,
            anonymous=400,
        ),
        # An unknown provider is not found
        case(
            "openid_connect_login",
            ("no-such-provider",),
            variant="unknown",
            readers=(),
            anonymous=404,
        ),
    ]
