"""Fixtures shared by every app's tests: reference data, the fixed cast, fee decisions."""

import pytest

from hallbar.core.tests.browser import (
    SKIP_REASON,
    browser,  # noqa: F401 - shared fixture
    browser_available,
    browser_required,
    page,  # noqa: F401 - shared fixture
)
from hallbar.demo.national import load_fee_decisions
from hallbar.demo.testing import Cast, make_cast
from hallbar.organisations.services import load_reference_data


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def reference_data(db):
    return load_reference_data()


@pytest.fixture
def fee_decisions(reference_data):
    load_fee_decisions()


@pytest.fixture
def cast(reference_data) -> Cast:
    return make_cast()


@pytest.fixture
def client_for(client):
    """Return a function that logs the test client in as a user and returns it."""

    def login(user):
        client.force_login(user)
        return client

    return login


def pytest_collection_modifyitems(config, items):
    if browser_available():
        return
    browser_items = [item for item in items if item.get_closest_marker("browser")]
    if browser_items and browser_required():
        raise pytest.UsageError(f"HALLBAR_REQUIRE_BROWSER is set but {SKIP_REASON}")
    for item in browser_items:
        item.add_marker(pytest.mark.skip(reason=SKIP_REASON))


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not browser_available():
        terminalreporter.write_line(SKIP_REASON, yellow=True, bold=True)
