"""In a real browser: a buyer finds the monthly digest on her settings page (the header's
"Settings"), switches it off without JavaScript, and the page fits the window at desktop and
mobile width, in Swedish and in English, and passes axe-core (in Swedish: `check_page`)."""

import pytest
from playwright.sync_api import expect

from hallbar.core.tests.browser import check_page, login
from hallbar.demo.testing import CAST_PASSWORD
from hallbar.organisations.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _check(page, name: str) -> None:
    assert check_page(page, "digest", name) == []


def test_a_buyer_switches_the_digest_off_on_her_settings_page(cast, page):
    login(page, "alice", CAST_PASSWORD)
    # (the Swedish wording arrives with the lead's merge of the translations)
    page.get_by_role("link", name="Inställningar").or_(
        page.get_by_role("link", name="Settings", exact=True)
    ).click()
    box = page.get_by_label("Send me the monthly digest").or_(
        page.get_by_label("Skicka mig månadssammanställningen")
    )
    expect(box).to_be_checked()
    _check(page, "settings-sv")
    box.uncheck()
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("status").or_(page.locator(".messages"))).to_be_visible()
    expect(box).not_to_be_checked()
    alice = User.objects.get(username="alice")
    assert alice.monthly_digest is False and alice.language == ""
    # In English (her preferred language from now on), the same page
    page.locator("select[name=language]").select_option("en")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("heading", name="Your settings")).to_be_visible()
    expect(page.get_by_label("Send me the monthly digest")).not_to_be_checked()
    _check(page, "settings-en")
