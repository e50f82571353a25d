"""In a real browser: the secretariat logs in with a password and is asked for the code, which
the test computes from the authenticator's known key; a buyer without an app enrols with the
key the page shows. Every page of the second factor fits the window at desktop and mobile width,
in Swedish and in English, and passes axe-core (in Swedish: `check_page`)."""

import base64
import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from hallbar.core.tests.browser import check_page, login
from hallbar.demo.testing import CAST_PASSWORD
from hallbar.organisations.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KEY = "3132333435363738393031323334353637383930"


def _code(key_hex: str) -> str:
    return str(totp(bytes.fromhex(key_hex))).zfill(6)


def _check(page, name: str) -> None:
    assert check_page(page, "mfa", name) == []


def _switch(page, to: str) -> None:
    page.get_by_role("button", name="English" if to == "en" else "Svenska").click()
    expect(page.locator(f"html[lang={to}]")).to_be_visible()


def _check_both(page, name: str) -> None:
    """Check the page in Swedish, then in English, and leave it in Swedish."""
    _check(page, f"{name}-sv")
    _switch(page, "en")
    _check(page, f"{name}-en")
    _switch(page, "sv")


def _button(page, sv: str, en: str):
    return page.get_by_role("button", name=sv, exact=True).or_(
        page.get_by_role("button", name=en, exact=True)
    )


def test_the_secretariat_logs_in_with_a_password_and_the_code(cast, page, settings):
    settings.HALLBAR_MFA_REQUIRED = True
    TOTPDevice.objects.create(user=cast.secretariat, name="authenticator", key=KEY, confirmed=True)
    TOTPDevice.objects.create(user=cast.alice, name="authenticator", key="00" * 20, confirmed=True)
    # When Karin logs in with her password
    login(page, "karin", CAST_PASSWORD)
    # Then hallbar asks for the code, and offers no other page
    heading = page.get_by_role("heading", name="Bekräfta din inloggning").or_(
        page.get_by_role("heading", name="Confirm your login")
    )
    expect(heading).to_be_visible()
    expect(page.get_by_role("navigation")).to_have_count(0)
    _check_both(page, "verify")
    # When she types the code her app shows
    page.get_by_label("Kod", exact=True).or_(page.get_by_label("Code", exact=True)).fill(_code(KEY))
    _button(page, "Bekräfta", "Confirm").click()
    # Then she is in: the start page with its menu
    expect(page.get_by_role("navigation").first).to_be_visible()
    expect(page).to_have_url(re.compile(r"/$"))
    # The secretariat's list of second factors, and the reset of a buyer's
    page.goto("/account/second-factor/people/")
    expect(page.get_by_role("cell", name="alice", exact=True)).to_be_visible()
    _check_both(page, "people")
    page.goto("/account/second-factor/reset/?username=alice")
    _check_both(page, "reset")
    page.locator("textarea[name=reason]").fill("Tappade telefonen")
    page.locator("input[name=confirm]").check()
    page.locator("button.button--danger").click()
    expect(page.get_by_text("Tappade telefonen")).to_be_visible()
    assert not TOTPDevice.objects.filter(user=cast.alice).exists()


def test_a_buyer_without_an_app_enrols_with_the_key_the_page_shows(cast, page, settings):
    settings.HALLBAR_MFA_REQUIRED = True
    login(page, "bob", CAST_PASSWORD)
    # Then the enrolment opens: the QR code, the key and the otpauth link
    expect(page.locator(".qr-code img")).to_be_visible()
    _check(page, "enrol-sv")
    _switch(page, "en")
    expect(page.get_by_role("heading", name="Add an authenticator app")).to_be_visible()
    _check(page, "enrol-en")
    secret = page.locator("dd code").first.inner_text().replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8)).hex()
    # When he types the code of the key the page shows
    page.get_by_label("Code from the app").fill(_code(key))
    page.get_by_role("button", name="Confirm the app").click()
    # Then he sees ten recovery codes, once
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    _check(page, "codes-en")
    bob = User.objects.get(username="bob")
    assert TOTPDevice.objects.get(user=bob, confirmed=True).key == key
    page.get_by_role("link", name="I have saved the codes, continue").click()
    expect(page.get_by_role("navigation").first).to_be_visible()
    # His own page of the second factor, and new recovery codes from it
    page.goto("/account/second-factor/recovery-codes/")
    _switch(page, "sv")
    _check_both(page, "recovery")
    old = set(StaticToken.objects.filter(device__user=bob).values_list("token", flat=True))
    page.locator("input[name=confirm]").check()
    page.locator("main button[type=submit]").click()
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    _check(page, "codes-sv")
    new = set(StaticToken.objects.filter(device__user=bob).values_list("token", flat=True))
    assert len(new) == 10 and not new & old
