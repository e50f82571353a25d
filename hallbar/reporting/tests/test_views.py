"""The dashboard pages: who opens them, what they show, and their downloads."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from hallbar.reporting.tests.conftest import YEAR

pytestmark = pytest.mark.django_db

MEMBERS = ("secretariat", "steering", "coordinator_a", "contact_jamtland", "alice", "bob")
OUTSIDERS = ("auditor", "charlie", "dave", "nobody")
NATIONAL = reverse("reporting:dashboard")
JAMTLAND = reverse("reporting:region-dashboard", args=["23"])


@pytest.mark.parametrize("who", MEMBERS)
def test_the_cooperation_opens_both_dashboards_and_sees_the_menu_entry(who, cast, client):
    client.force_login(getattr(cast, who))
    assert client.get(NATIONAL).status_code == 200
    assert client.get(JAMTLAND).status_code == 200
    urls = {item["url"] for item in client.get(reverse("home:start")).context["nav_items"]}
    assert NATIONAL in urls


@pytest.mark.parametrize("who", OUTSIDERS)
def test_auditors_suppliers_and_people_without_a_role_get_404_and_no_entry(who, cast, client):
    client.force_login(getattr(cast, who))
    assert client.get(NATIONAL).status_code == 404
    assert client.get(JAMTLAND).status_code == 404
    assert client.get(NATIONAL, {"format": "csv"}).status_code == 404
    assert (
        client.get(JAMTLAND, {"format": "xlsx", "breakdown": "deviations_by_area"}).status_code
        == 404
    )
    urls = {item["url"] for item in client.get(reverse("home:start")).context["nav_items"]}
    assert NATIONAL not in urls


def test_anonymous_visitors_are_sent_to_the_login(client):
    response = client.get(NATIONAL)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_an_unknown_region_is_404(cast, client):
    client.force_login(cast.alice)
    assert client.get(reverse("reporting:region-dashboard", args=["99"])).status_code == 404


def test_the_national_page_shows_figures_definitions_charts_and_tables(world, client):
    client.force_login(world.cast.alice)
    response = client.get(NATIONAL, {"year": YEAR}, HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert f"Results {YEAR}" in page
    assert 'data-testid="value-deviations_found">2<' in page
    assert "Confidential deviations count too." in page
    assert 'data-testid="value-sek_avoided">15,000 kr<' in page
    assert page.count('role="img"') >= 5  # the breakdowns with values are drawn
    assert "<caption>Deviations found by area</caption>" in page
    # nothing confidential reaches the page: no deviation's text, no site's name
    assert "Beskrivning" not in page and "Klang" not in page


def test_figures_follow_the_language(world, client):
    client.force_login(world.cast.alice)
    page = client.get(NATIONAL, {"year": YEAR}, HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert 'data-testid="value-sek_avoided">15\u202f000 kr<' in page
    assert 'data-testid="value-remedy_sek">12\u202f000,50 kr<' in page
    assert 'data-testid="value-harmonisation_index">50,0 %<' in page


def test_the_region_page_compares_with_the_nation(world, client):
    client.force_login(world.cast.bob)
    response = client.get(
        reverse("reporting:region-dashboard", args=["01"]),
        {"year": YEAR},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    page = response.content.decode()
    assert "Region Stockholm" in page
    assert 'data-testid="value-followups_total">1<' in page
    assert 'data-testid="national-followups_total">Nationally: <strong>3</strong>' in page
    assert "buys from the supplier under a contract in the case" in page


def test_the_region_chooser_redirects_to_the_region_page(cast, client):
    client.force_login(cast.alice)
    response = client.get(NATIONAL, {"region": "23", "year": "2024"})
    assert response.status_code == 302
    assert response["Location"] == f"{JAMTLAND}?year=2024"


def test_a_nonsense_year_falls_back_to_this_year(cast, client):
    client.force_login(cast.alice)
    response = client.get(NATIONAL, {"year": "abc"})
    assert response.status_code == 200
    assert response.context["year"] == response.context["years"][-2]


def _csv(response) -> list[list[str]]:
    text = response.content.decode("utf-8-sig")
    return list(
        csv.reader(io.StringIO(text), delimiter=";" if ";" in text.splitlines()[0] else ",")
    )


def test_the_figures_download_as_csv_in_swedish_and_xlsx(world, client):
    client.force_login(world.cast.secretariat)
    response = client.get(JAMTLAND, {"year": YEAR, "format": "csv"}, HTTP_ACCEPT_LANGUAGE="sv")
    assert response["Content-Disposition"] == f'attachment; filename="results-{YEAR}-23.csv"'
    rows = _csv(response)
    assert response.content.decode("utf-8-sig").splitlines()[0].count(";") == 4
    by_key = {row[0]: row for row in rows[1:]}
    assert len(by_key) == len(rows) - 1
    remedy = next(row for row in rows if row[0] in {"Kronor repaid", "Återbetalda kronor"})
    assert remedy[1:3] == ["12000,50", "12000,50"]
    response = client.get(NATIONAL, {"year": YEAR, "format": "xlsx"}, HTTP_ACCEPT_LANGUAGE="en")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert values["Deviations found"] == 2
    assert values["Follow-ups avoided"] == 1
    assert [c.value for c in sheet[1]][:2] == ["Figure", "Nationally"]


def test_a_breakdown_downloads_with_the_national_column(world, client):
    client.force_login(world.cast.steering)
    response = client.get(
        reverse("reporting:region-dashboard", args=["01"]),
        {"year": YEAR, "format": "csv", "breakdown": "remedy_people_by_country"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    rows = _csv(response)
    assert rows[0][0] == "Country"
    assert rows[1:] == [["Malaysia", "40", "40"], ["United Kingdom", "0", "5"]]
    missing = client.get(NATIONAL, {"format": "csv", "breakdown": "nothing"})
    assert missing.status_code == 404


def test_the_pages_read_in_a_bounded_number_of_queries(
    world, client, django_assert_max_num_queries
):
    client.force_login(world.cast.alice)
    with django_assert_max_num_queries(60):
        client.get(NATIONAL, {"year": YEAR})
    with django_assert_max_num_queries(110):
        client.get(JAMTLAND, {"year": YEAR})
