"""In a real browser: the content security policy blocks nothing on the main pages.

Chromium reports every inline script, inline style or foreign resource that the policy refuses
as a console message ("Refused to apply inline style because it violates the following Content
Security Policy directive ..."). The test listens for them on the login page, a locked login,
the start page, the contracts list, a follow-up case, the lockout pages and the API docs.
"""

import pytest

from hallbar.core.tests.browser import axe_check, login
from hallbar.demo.testing import CAST_PASSWORD
from hallbar.followups.tests.conftest import open_case, world  # noqa: F401 - fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _watch(page) -> list[str]:
    refused: list[str] = []

    def on_console(message) -> None:
        text = message.text
        if "Content Security Policy" in text or "Refused to" in text:
            refused.append(f"{page.url}: {text}")

    page.on("console", on_console)
    return refused


def _no_wider_than_the_window(page, width: int) -> bool:
    page.set_viewport_size({"width": width, "height": 900})
    return page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.presentation
def test_no_csp_violation_on_the_main_pages(page, world) -> None:  # noqa: F811
    case = open_case(world)
    refused = _watch(page)
    problems: list[str] = []

    # The login page, then a login locked after five failures (its message is on the page)
    page.goto("/accounts/login/")
    for _ in range(5):
        page.locator("#id_username").fill("alice")
        page.locator("#id_password").fill("wrong-password-123")
        page.locator("form button[type=submit]").last.click()
        page.wait_for_load_state()
    assert page.get_by_role("alert").first.is_visible()
    problems += axe_check(page)

    login(page, "karin", CAST_PASSWORD)
    for path in (
        "/",
        "/contracts/",
        f"/followups/{case.public_id}/",
        "/account/lockouts/",
        "/api/docs",
    ):
        page.goto(path)
        page.wait_for_load_state("networkidle")

    # The secretariat's lockout list and its confirmation: accessible, fits a phone
    page.goto("/account/lockouts/")
    problems += axe_check(page)
    assert _no_wider_than_the_window(page, 390)
    page.get_by_role("link", name="alice").first.click()
    page.wait_for_url("**/lockouts/unlock/**")
    problems += axe_check(page)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/account/lockouts/")
    assert _no_wider_than_the_window(page, 1366)
    assert not problems, problems
    assert not refused, refused
