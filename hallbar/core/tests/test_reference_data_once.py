"""The reference data is loaded once per test database (root conftest.py), and survives the tests
that empty the database.

None of these tests loads it or asks for the `reference_data` fixture (which would load it again
if it were missing): each only looks. Two of them are transactional (they flush every table when
they end), so in one process at least one test here runs after a transactional test.

The teardown of a transactional test keeps the reference-data tables when their rows are as the load
left them (hallbar/demo/testdb.py): the tests after the transactional ones that change reference
data or add rows check that the next test still sees exactly the loaded reference data and none of
the added rows (without xdist the next test always runs in the same process).
"""

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hallbar.categories.models import Category, CpvCode
from hallbar.core.models import HistoryEntry
from hallbar.demo import testdb
from hallbar.organisations.models import AreaMembership, Organisation, Region, User
from hallbar.organisations.services import load_reference_data


def _assert_reference_data_present():
    assert Region.objects.count() == 21
    assert Region.objects.get(county_code="01").county_name == "Stockholms län"
    assert AreaMembership.objects.count() == 21  # every region in exactly one area
    assert Organisation.objects.filter(kind=Organisation.Kind.SECRETARIAT).count() == 1
    assert Category.objects.filter(name_en="Pharmaceuticals").exists()
    assert CpvCode.objects.filter(code="33600000").exists()  # pharmaceutical products


@pytest.mark.django_db
def test_an_ordinary_test_finds_the_reference_data_without_loading_it():
    _assert_reference_data_present()


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_finds_the_reference_data():
    _assert_reference_data_present()


@pytest.mark.django_db(transaction=True)
def test_a_second_transactional_test_finds_it_after_the_first_emptied_the_database():
    _assert_reference_data_present()


@pytest.mark.django_db
def test_a_test_that_changes_reference_data_changes_it_for_itself_only():
    Region.objects.filter(county_code="01").update(county_name="Changed")
    assert Region.objects.get(county_code="01").county_name == "Changed"


@pytest.mark.django_db
def test_the_next_test_finds_it_unchanged():
    _assert_reference_data_present()


# What the transactional test below changed, for the test after it (in the same process).
_changed: dict[str, int] = {}


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_that_changes_reference_data():
    _assert_reference_data_present()
    Region.objects.filter(county_code="01").update(county_name="Changed")
    CpvCode.objects.filter(code="33600000").update(label_en="Changed")
    _changed["organisation"] = Organisation.objects.create(
        kind=Organisation.Kind.REGION, name="Added by a test"
    ).pk
    _changed["user"] = User.objects.create(username="added-by-a-test").pk


@pytest.mark.django_db
def test_the_next_test_finds_pristine_reference_data_and_none_of_its_rows():
    _assert_reference_data_present()
    assert not Organisation.objects.filter(name="Added by a test").exists()
    assert not User.objects.filter(username="added-by-a-test").exists()
    # the history entries the load wrote, as after a fresh load
    assert (
        HistoryEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Region), action="loaded"
        ).count()
        == 21
    )


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_that_adds_rows_only():
    _assert_reference_data_present()
    _changed["added_organisation"] = Organisation.objects.create(
        kind=Organisation.Kind.REGION, name="Added to a reference table"
    ).pk
    _changed["added_user"] = User.objects.create(username="added-only").pk


@pytest.mark.django_db
def test_the_next_test_finds_neither_of_the_added_rows():
    _assert_reference_data_present()
    assert not Organisation.objects.filter(name="Added to a reference table").exists()
    assert not User.objects.filter(username="added-only").exists()
    assert (
        HistoryEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Region), action="loaded"
        ).count()
        == 21
    )


_WRITE = re.compile(
    r'^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE
)


@pytest.mark.django_db
def test_the_reference_tables_are_the_tables_load_reference_data_writes():
    """testdb.REFERENCE_MODELS (the tables a transactional test's teardown keeps) lists exactly
    the tables a load into an empty database writes, besides the history."""
    keep = {ContentType._meta.db_table, "auth_permission"}
    tables = [
        t for t in connection.introspection.django_table_names(only_existing=True) if t not in keep
    ]
    # inside this test's transaction: rolled back when it ends
    with connection.cursor() as cursor:
        for sql in connection.ops.sql_flush(no_style(), tables, allow_cascade=True):
            cursor.execute(sql)
    assert not Region.objects.exists()
    with CaptureQueriesContext(connection) as queries:
        load_reference_data()
    written = {m.group(1) for q in queries.captured_queries if (m := _WRITE.match(q["sql"]))}
    assert written - {HistoryEntry._meta.db_table} == set(testdb.reference_tables())
