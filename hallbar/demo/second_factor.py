"""The demo's second factor: one published authenticator key for every demo login that needs one.

With the second factor on (as in production), the demo users whose role requires it
(`organisations.access.requires_second_factor`) get a confirmed authenticator with the key
DEMO_TOTP_KEY. A tester adds that key to any authenticator app once, or runs
`manage.py demo_code`, and logs in as any of them. The key is public: it is a demo, not a secret.
"""

import base64

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from hallbar.organisations.access import requires_second_factor
from hallbar.organisations.mfa import AUTHENTICATOR_NAME
from hallbar.organisations.models import User

# 20 bytes, written in base32 as authenticator apps take it.
DEMO_TOTP_KEY = "HALLBARDEMOTOTPKEYFORTESTERS2345"
DEMO_TOTP_URI = f"otpauth://totp/hallbar%20demo?secret={DEMO_TOTP_KEY}&issuer=hallbar%20demo"


def demo_key_hex() -> str:
    return base64.b32decode(DEMO_TOTP_KEY).hex()


def demo_code() -> str:
    """Return the code an authenticator with the demo key shows now."""
    return str(totp(bytes.fromhex(demo_key_hex()))).zfill(6)


def give_demo_second_factors(usernames: list[str]) -> list[User]:
    """Give each of these users who needs a second factor and has none the demo authenticator;
    return the users who need one (idempotent)."""
    needing = []
    for user in User.objects.filter(username__in=usernames).order_by("username"):
        if not requires_second_factor(user):
            continue
        needing.append(user)
        if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            TOTPDevice.objects.create(
                user=user, name=AUTHENTICATOR_NAME, key=demo_key_hex(), confirmed=True
            )
    return needing
