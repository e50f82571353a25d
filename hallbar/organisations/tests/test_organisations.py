"""Reference data, memberships and the organisations access gate."""

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from hallbar.categories.models import Category, CategoryPrioritisation
from hallbar.organisations.access import access_region
from hallbar.organisations.models import (
    AreaCategory,
    AreaMembership,
    Membership,
    Organisation,
    PopulationFigure,
    ProcurementArea,
    Region,
    Role,
)
from hallbar.organisations.services import load_reference_data

pytestmark = pytest.mark.django_db


def test_reference_data_has_21_regions_with_codes_and_populations(reference_data):
    assert Region.objects.count() == 21
    jamtland = Region.objects.get(county_code="23")
    assert jamtland.name == "Region Jämtland Härjedalen"
    assert jamtland.iso_code == "SE-Z"
    assert jamtland.county_name == "Jämtlands län"
    assert (
        PopulationFigure.objects.get(region=jamtland, reference_date="2021-12-31").population
        == 132_054
    )
    assert Region.objects.get(county_code="14").name == "Västra Götalandsregionen"
    assert Organisation.objects.filter(kind=Organisation.Kind.SECRETARIAT).count() == 1


def test_procurement_areas_have_members_and_categories(reference_data):
    assert list(ProcurementArea.objects.values_list("code", flat=True)) == list("ABCDEFGH")
    area_a = {m.region.county_code for m in AreaMembership.objects.filter(area__code="A")}
    assert area_a == {"22", "23", "24", "25"}
    owned = {c.category.name_en for c in AreaCategory.objects.filter(area__code="H")}
    assert owned == {"Laundry and textiles"}
    assert CategoryPrioritisation.objects.get(category__name_en="Pharmaceuticals").last_year == 2025
    # every region belongs to exactly one area
    assert AreaMembership.objects.count() == 21


def test_loading_twice_duplicates_nothing(reference_data):
    counts = [
        m.objects.count()
        for m in (Region, PopulationFigure, AreaMembership, Category, Organisation)
    ]
    load_reference_data()
    assert counts == [
        m.objects.count()
        for m in (Region, PopulationFigure, AreaMembership, Category, Organisation)
    ]


def test_membership_role_must_fit_organisation_kind(cast):
    supplier = Organisation.objects.get(name="Medisupply Sverige AB")
    with pytest.raises(ValidationError):
        Membership(user=cast.nobody, organisation=supplier, role=Role.BUYER).full_clean()
    region = Region.objects.get(county_code="01").organisation
    with pytest.raises(ValidationError):
        Membership(user=cast.nobody, organisation=region, role=Role.AREA_COORDINATOR).full_clean()
    with pytest.raises(ValidationError):
        Membership(user=cast.nobody, organisation=region, role=Role.SUPPLIER_CONTACT).full_clean()


def test_cast_roles(cast):
    assert cast.secretariat.is_secretariat and cast.secretariat.is_cooperation_member
    assert cast.alice.region_ids(Role.BUYER) == {Region.objects.get(county_code="01").pk}
    assert not cast.charlie.is_cooperation_member
    assert not cast.auditor.is_cooperation_member
    assert not cast.nobody.is_cooperation_member


@pytest.mark.parametrize(
    "who", ["secretariat", "steering", "coordinator_a", "contact_jamtland", "alice", "bob"]
)
def test_members_see_regions(cast, who):
    region, can_edit = access_region(getattr(cast, who), "23")
    assert region.county_code == "23"
    assert can_edit is (who == "secretariat")


@pytest.mark.parametrize("who", ["auditor", "charlie", "dave", "nobody"])
def test_outsiders_get_404_for_regions(cast, client_for, who):
    user = getattr(cast, who)
    with pytest.raises(Http404):
        access_region(user, "23")
    client = client_for(user)
    assert client.get(reverse("organisations:region-list")).status_code == 404
    assert client.get(reverse("organisations:region-detail", args=["23"])).status_code == 404
    assert client.get("/api/regions/").status_code == 404


def test_missing_region_is_404(cast):
    with pytest.raises(Http404):
        access_region(cast.secretariat, "02")


def test_region_list_search_and_sort(cast, client_for):
    client = client_for(cast.alice)
    page = client.get(reverse("organisations:region-list"), {"q": "jämt"}).content.decode()
    table = page.split('id="area-A"')[0]  # the areas section below lists every region
    assert "Region Jämtland Härjedalen" in table and "Region Skåne" not in table
    page = client.get(
        reverse("organisations:region-list"), {"sort": "-population"}
    ).content.decode()
    assert page.index("Region Stockholm") < page.index("Region Gotland")
    empty = client.get(reverse("organisations:region-list"), {"q": "zzz"}).content.decode()
    assert 'class="empty"' in empty


def test_region_detail_shows_area_populations_and_contributions(fee_decisions, cast, client_for):
    page = (
        client_for(cast.bob)
        .get(reverse("organisations:region-detail", args=["23"]))
        .content.decode()
    )
    assert "Upphandlingsregion A" in page
    assert "132\u202f054" in page
    assert "2021-12-31" in page


def test_region_api(cast, client_for):
    data = client_for(cast.alice).get("/api/regions/").json()
    assert len(data) == 21
    skane = next(r for r in data if r["county_code"] == "12")
    assert skane["area"] == "H" and skane["iso_code"] == "SE-M"
    detail = client_for(cast.alice).get("/api/regions/23").json()
    assert len(detail["populations"]) == 10
