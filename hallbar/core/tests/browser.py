"""Playwright driving Debian's Chromium, shared by every app's browser tests.

Browser tests are marked `browser`. Without /usr/bin/chromium they are skipped with a clear reason,
unless HALLBAR_REQUIRE_BROWSER=1 (as in CI), where a missing browser is an error.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("HALLBAR_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
SKIP_REASON = (
    f"browser tests skipped: {CHROMIUM} not found. Install Debian's chromium package "
    "(apt-get install chromium) to run them; CI installs it and never skips them."
)


# The views a journey walks in: each language and each width once, not every pair of them.
# Swedish, whose words are longer, at the phone's width (where a long word overflows first),
# and English at the desktop's. The page sweep (core/tests/test_browser_lists.py) still checks every
# page in both languages at both widths.
VIEWS = [pytest.param("sv", 390, id="sv-390"), pytest.param("en", 1366, id="en-1366")]


def browser_required() -> bool:
    return os.environ.get("HALLBAR_REQUIRE_BROWSER", "") in {"1", "true", "yes"}


def browser_available() -> bool:
    return CHROMIUM.exists()


def serious_violations(page) -> list[str]:
    """Run axe-core on the page; return its serious and critical violations, readably."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    problems = []
    for violation in results.response["violations"]:
        if violation.get("impact") in {"serious", "critical"}:
            targets = [", ".join(node["target"]) for node in violation["nodes"][:5]]
            problems.append(f"{page.url}: {violation['id']} ({violation['impact']}): {targets}")
    return problems


@pytest.fixture(scope="session")
def browser():
    if not browser_available():
        pytest.skip(SKIP_REASON)
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="sv-SE")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def login(page, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Användarnamn").or_(page.get_by_label("Username")).fill(username)
    page.get_by_label("Lösenord").or_(page.get_by_label("Password")).fill(password)
    page.get_by_role("button", name="Logga in").or_(
        page.get_by_role("button", name="Log in")
    ).click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
