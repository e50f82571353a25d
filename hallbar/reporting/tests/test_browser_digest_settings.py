"""In a real browser: a buyer finds the monthly digest on her settings page (the header's
"Settings"), switches it off without JavaScript, and the page passes axe-core and fits the
window at desktop and mobile width, in Swedish and in English."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from hallbar.core.tests.browser import login, serious_violations
from hallbar.demo.testing import CAST_PASSWORD
from hallbar.organisations.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/work/sv/shots/digest")


def _check(page, name: str) -> None:
    for width, height in ((1366, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        assert serious_violations(page) == []
        overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        assert not overflow, f"{name} is wider than {width} px"
        if os.environ.get("HALLBAR_SHOTS"):
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})


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
