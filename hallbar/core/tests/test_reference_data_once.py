"""The reference data is loaded once per test database (root conftest.py), and survives the tests
that empty the database.

None of these tests loads it or asks for the `reference_data` fixture (which would load it again
if it were missing): each only looks. Two of them are transactional (they flush every table when
they end), so in one process at least one test here runs after a transactional test.
"""

import pytest

from hallbar.categories.models import Category, CpvCode
from hallbar.organisations.models import AreaMembership, Organisation, Region


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
