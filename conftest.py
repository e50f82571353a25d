"""Fixtures shared by every app's tests: reference data, the fixed cast, fee decisions.

Reference data (regions, areas, categories, the CPV vocabulary) is loaded once into each test
database, right after the migrations (`django_db_setup`), not once per test: ordinary database
tests run inside a transaction that is rolled back, so the loaded rows stay for the next test.
Transactional tests (`transaction=True`, `live_server`, the browser tests) empty the database when
they end: every table but the reference-data tables (`_fixture_teardown` below, with
hallbar/demo/testdb.py), which are checked against a fingerprint taken after the first load. If a
test changed the reference data, every table is emptied, and `pytest_runtest_teardown` loads the
reference data again.
"""

import gc

import pytest
from django.conf import settings as django_settings
from django.test import TransactionTestCase
from django.utils import translation

from hallbar.core.tests.browser import (
    SKIP_REASON,
    browser,  # noqa: F401 - shared fixture
    browser_available,
    browser_required,
    page,  # noqa: F401 - shared fixture
)
from hallbar.demo import testdb
from hallbar.demo.national import load_fee_decisions
from hallbar.demo.testing import Cast, make_cast
from hallbar.organisations.models import Region
from hallbar.organisations.services import LoadSummary, load_reference_data


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request through the test client activates
    its reader's language in the thread, and it would otherwise carry over to the next test."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


# The summary of the last load, and the name of the test database it went into (while it exists).
_loaded: dict[str, LoadSummary] = {}
_test_database: dict[str, str] = {}
# The fingerprint of the reference data taken after the first load into the test database.
_snapshot: dict[str, testdb.Snapshot] = {}
# How many transactional tests ended with the partial flush, and how many with the full one.
flush_counts = {"partial": 0, "full": 0}

_full_fixture_teardown = TransactionTestCase._fixture_teardown  # type: ignore[attr-defined]


def _partial_flush() -> bool:
    from django.db import DatabaseError

    try:
        return testdb.partial_flush(_snapshot["snapshot"])
    except DatabaseError:  # a reference row a test added is still referenced: flush everything
        return False


def _fixture_teardown(self: TransactionTestCase) -> None:
    """Empty every table but the reference-data tables if the reference data is unchanged,
    otherwise every table (Django's own teardown)."""
    from django.db import connection

    if (
        "snapshot" in _snapshot
        and self.available_apps is None
        and not self.serialized_rollback
        and list(self._databases_names(include_mirrors=False)) == ["default"]  # type: ignore[attr-defined]
        and connection.settings_dict["NAME"] == _test_database.get("name")
        and _partial_flush()
    ):
        flush_counts["partial"] += 1
        return
    flush_counts["full"] += 1
    _full_fixture_teardown(self)


TransactionTestCase._fixture_teardown = _fixture_teardown  # type: ignore[attr-defined]


def _load_reference_data() -> LoadSummary:
    _loaded["summary"] = load_reference_data()
    return _loaded["summary"]


def _uses_transactional_db(item: pytest.Item) -> bool:
    """The same test as pytest-django's: does this test end by emptying the database?"""
    fixtures = getattr(item, "fixturenames", ())
    if "transactional_db" in fixtures or "live_server" in fixtures:
        return True
    marker = item.get_closest_marker("django_db")
    if marker is None:
        return False
    return bool(
        marker.kwargs.get("transaction")
        or marker.kwargs.get("reset_sequences")
        or (marker.args and marker.args[0])
    )


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Create the test database (pytest-django), then load the reference data into it once."""
    from django.db import connection

    with django_db_blocker.unblock():
        history_before = testdb.last_history_id()
        _load_reference_data()
        _snapshot["snapshot"] = testdb.take_snapshot(history_after=history_before)
    _test_database["name"] = connection.settings_dict["NAME"]
    yield
    _test_database.clear()  # before pytest-django destroys it
    _snapshot.clear()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    result = yield
    if nextitem is not None and _test_database and _uses_transactional_db(item):
        # The test's teardown has flushed every table: load the reference data again.
        from django.db import connection
        from pytest_django.plugin import blocking_manager_key

        assert connection.settings_dict["NAME"] == _test_database["name"]
        with item.config.stash[blocking_manager_key].unblock():
            if not Region.objects.exists():
                history_before = testdb.last_history_id()
                _load_reference_data()
                _snapshot["snapshot"] = testdb.take_snapshot(history_after=history_before)
    return result


@pytest.fixture
def reference_data(db) -> LoadSummary:
    """The reference data, already in the test database (loaded again only if it is missing)."""
    if "summary" not in _loaded or not Region.objects.exists():
        return _load_reference_data()
    return _loaded["summary"]


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


def pytest_configure(config):
    # Python's cyclic garbage collector ran about 58 000 times in a run of the suite with its
    # default thresholds (700, 10, 10) and took 55 s of the two workers' time in a 366 s run:
    # every few hundred objects a test makes (query sets, model instances, template contexts)
    # started a collection, and every hundredth walked every object the process holds. With
    # these thresholds it ran about 1 150 times and took 14 s (DESIGN, decision log). Memory
    # stays bounded: every generation is still collected. The thresholds suit the tests'
    # allocation pattern only; the application keeps Python's.
    gc.set_threshold(50_000, 20, 100)


def pytest_collection_finish(session):
    # The modules, the URL patterns and the tests collected live as long as the run: moved out
    # of the collector's reach (gc.freeze), they are not walked again by each full collection.
    gc.collect()
    gc.freeze()


def pytest_collection_modifyitems(config, items):
    # The browser tests first (in their order; the rest keep theirs): they are the suite's longest
    # (the page sweeps take minutes), and begun last they left one worker running them alone for
    # minutes while the other sat idle. `make test` hands out the rest by work stealing
    # (`--dist worksteal`), so the workers finish together.
    items.sort(key=lambda item: item.get_closest_marker("browser") is None)
    if browser_available():
        return
    browser_items = [item for item in items if item.get_closest_marker("browser")]
    if browser_items and browser_required():
        raise pytest.UsageError(f"HALLBAR_REQUIRE_BROWSER is set but {SKIP_REASON}")
    for item in browser_items:
        item.add_marker(pytest.mark.skip(reason=SKIP_REASON))


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if flush_counts["partial"] or flush_counts["full"]:
        terminalreporter.write_line(
            f"transactional teardowns: {flush_counts['partial']} kept the reference data, "
            f"{flush_counts['full']} emptied every table"
            + (f" (last changed: {', '.join(testdb.last_changed)})" if testdb.last_changed else "")
        )
    if not browser_available():
        terminalreporter.write_line(SKIP_REASON, yellow=True, bold=True)
