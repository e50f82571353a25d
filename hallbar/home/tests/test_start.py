"""The start page per role."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_start_page_for_a_buyer_points_to_region_and_contributions(fee_decisions, cast, client_for):
    page = client_for(cast.alice).get(reverse("home:start")).content.decode()
    assert "Region Stockholm" in page
    assert reverse("funding:contribution-list") in page
    assert reverse("funding:budget") not in page


def test_start_page_for_the_secretariat_says_budget_is_missing(fee_decisions, cast, client_for):
    page = client_for(cast.secretariat).get(reverse("home:start")).content.decode()
    assert "card--empty" in page
    assert reverse("funding:budget") in page


def test_start_page_for_a_supplier_shows_only_its_company(cast, client_for):
    page = client_for(cast.charlie).get(reverse("home:start")).content.decode()
    assert "Medisupply Sverige AB" in page
    assert "Globex" not in page
    assert reverse("organisations:region-list") not in page
    assert reverse("funding:contribution-list") not in page


def test_start_page_for_a_user_without_role(cast, client_for):
    page = client_for(cast.nobody).get(reverse("home:start")).content.decode()
    assert "card--empty" in page
