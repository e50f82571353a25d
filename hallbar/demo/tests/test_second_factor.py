"""The demo's second factor: the published key works for the demo logins that need one."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from hallbar.demo.national import DEMO_PASSWORD, DEMO_USERS, ensure_user
from hallbar.demo.second_factor import DEMO_TOTP_KEY, demo_code, give_demo_second_factors

pytestmark = pytest.mark.django_db


def test_the_demo_logins_that_need_a_second_factor_get_the_published_key(reference_data):
    users = [ensure_user(spec) for spec in DEMO_USERS]
    names = [user.username for user in users]
    # When the demo gives its second factors, twice
    needing = give_demo_second_factors(names)
    give_demo_second_factors(names)
    # Then the secretariat, contacts, buyers, coordinators and the auditor have one each
    assert {u.username for u in needing} == {
        "kansli",
        "samordnare.a",
        "samordnare.h",
        "kontakt.jamtland",
        "kontakt.vgr",
        "upphandlare.stockholm",
        "upphandlare.jamtland",
        "upphandlare.skane",
        "revisor",
    }
    assert TOTPDevice.objects.filter(user__in=users).count() == len(needing)
    assert not TOTPDevice.objects.filter(user__username="styrgrupp").exists()


def test_a_tester_logs_in_with_the_demo_code(reference_data, client, settings, capsys):
    settings.HALLBAR_MFA_REQUIRED = True
    user = ensure_user(next(spec for spec in DEMO_USERS if spec.username == "kansli"))
    give_demo_second_factors([user.username])
    client.post(
        "/accounts/login/",
        {"username": "kansli", "password": DEMO_PASSWORD},
        REMOTE_ADDR="192.0.2.30",
    )
    call_command("demo_code")
    printed = capsys.readouterr().out
    assert DEMO_TOTP_KEY in printed
    code = printed.split()[0]
    assert code == demo_code()
    response = client.post(reverse("account:mfa-verify"), {"code": code})
    assert response.status_code == 302
    assert client.get(reverse("account:language")).status_code == 200
