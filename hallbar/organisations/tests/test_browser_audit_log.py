"""In a real browser: the secretariat finds its own login in the audit log and filters it."""

import re

import pytest
from playwright.sync_api import expect

from hallbar.core.tests.browser import axe_check, login
from hallbar.demo.testing import CAST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_secretariat_searches_the_audit_log(page, cast, live_server):
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text)
            if "Content Security Policy" in message.text or "Refused to" in message.text
            else None
        ),
    )
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    # a failed login first, then karin's own
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("nobody-such")
    page.get_by_label("Password").fill("wrong-password-123")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    login(page, "karin", CAST_PASSWORD)
    page.goto("/account/lockouts/")
    page.get_by_role("link", name="The audit log").click()
    table = page.get_by_test_id("audit-log")
    expect(table).to_be_visible()
    expect(table.get_by_role("row").filter(has_text="failed login")).to_contain_text("nobody-such")
    assert axe_check(page) == []
    # only the logins
    page.get_by_label("Kind").select_option("login")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"kind=login"))
    rows = table.locator("tbody tr")
    expect(rows.first).to_contain_text("karin")
    expect(table).not_to_contain_text("nobody-such")
    page.set_viewport_size({"width": 390, "height": 900})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert axe_check(page) == []
    assert not refused, refused
