"""The funding checks the issue asks for, and the contribution rules around them."""

import json
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse

from hallbar.funding.calculation import contribution_sek
from hallbar.funding.models import FeeDecision
from hallbar.funding.selectors import contributions, contributions_for_year, national_totals
from hallbar.organisations.models import PopulationFigure


def test_contribution_rounds_half_a_krona_up():
    assert contribution_sek(rate_ore=50, population=131_418) == 65_709
    assert contribution_sek(rate_ore=50, population=131_419) == 65_710  # 65 709.5 → up
    assert contribution_sek(rate_ore=40, population=131_418) == 52_567  # 52 567.2 → down
    assert contribution_sek(rate_ore=10, population=131_418) == 13_142  # 13 141.8 → up


def test_contribution_refuses_negative_input():
    with pytest.raises(ValueError):
        contribution_sek(rate_ore=100, population=-1)


@pytest.mark.django_db
def test_jamtland_with_131418_inhabitants_pays_131418_in_2023_and_65709_in_2022(fee_decisions):
    # Given the population figure the decision RS/29/2022 used for Region Jämtland Härjedalen
    PopulationFigure.objects.filter(
        region__county_code="23", reference_date=date(2021, 12, 31)
    ).update(population=131_418)
    # When the contributions are computed
    by_code_2023 = {c.region.county_code: c for c in contributions_for_year(2023)}
    by_code_2022 = {c.region.county_code: c for c in contributions_for_year(2022)}
    # Then 1.00 kr gives 131 418 kr and 0.50 kr gives 65 709 kr
    assert by_code_2023["23"].rate_ore == 100
    assert by_code_2023["23"].amount_sek == 131_418
    assert by_code_2022["23"].rate_ore == 50
    assert by_code_2022["23"].amount_sek == 65_709


@pytest.mark.django_db
def test_all_regions_pay_10452326_at_one_krona_on_scb_figures_of_2021(fee_decisions):
    rows = contributions_for_year(2023)
    assert {c.reference_date for c in rows} == {date(2021, 12, 31)}
    assert len(rows) == 21
    assert sum(c.amount_sek for c in rows) == 10_452_326


@pytest.mark.django_db
def test_rate_history_is_40_then_50_then_100_ore(fee_decisions):
    totals = national_totals(contributions(list(range(2016, 2026))))
    by_year = contributions([2016, 2017, 2018, 2022, 2023])
    assert {c.rate_ore for c in by_year[2016]} == {40}
    assert {c.rate_ore for c in by_year[2017]} == {40}
    assert {c.rate_ore for c in by_year[2018]} == {50}
    assert {c.rate_ore for c in by_year[2022]} == {50}
    assert {c.rate_ore for c in by_year[2023]} == {100}
    # 2016 uses the population on 2015-12-31 (the year before): 0.40 × 9 851 017, rounded
    assert by_year[2016][0].reference_date == date(2015, 12, 31)
    assert totals[2016] == sum(
        contribution_sek(rate_ore=40, population=c.population) for c in by_year[2016]
    )
    assert totals[2016] == pytest.approx(0.40 * 9_851_017, abs=21)


@pytest.mark.django_db
def test_missing_population_gives_no_amount_rather_than_a_guess(fee_decisions):
    PopulationFigure.objects.filter(
        region__county_code="09", reference_date=date(2021, 12, 31)
    ).delete()
    gotland = next(c for c in contributions_for_year(2023) if c.region.county_code == "09")
    assert gotland.population is None
    assert gotland.amount_sek is None
    assert gotland.is_missing


@pytest.mark.django_db
def test_years_before_the_first_decision_have_no_contribution(fee_decisions):
    rows = contributions_for_year(2015)
    assert all(c.decision is None and c.amount_sek is None for c in rows)


@pytest.mark.django_db
def test_fixed_and_relative_reference_dates(fee_decisions):
    fixed = FeeDecision.objects.get(from_year=2023)
    relative = FeeDecision.objects.get(from_year=2018)
    assert fixed.reference_date_for(2025) == date(2021, 12, 31)
    assert relative.reference_date_for(2020) == date(2019, 12, 31)


@pytest.mark.django_db
def test_contributions_command_prints_the_json_described(fee_decisions, capsys):
    call_command("contributions", "--year", "2023", "--format", "json")
    data = json.loads(capsys.readouterr().out)
    assert len(data) == 21
    jamtland = next(row for row in data if row["region_code"] == "23")
    assert jamtland == {
        "year": 2023,
        "region_code": "23",
        "region_name": "Region Jämtland Härjedalen",
        "population": 132_054,
        "population_reference_date": "2021-12-31",
        "rate_sek": "1.00",
        "amount_sek": 132_054,
        "decision_reference": "Programförklaring 2030: förstärkt kansli",
        "decided_sek": None,
        "region_decision_reference": None,
        "difference_sek": None,
        "invoiced_sek": 132_054,
        "invoiced_basis": "rule",
    }
    assert sum(row["amount_sek"] for row in data) == 10_452_326


@pytest.mark.django_db
def test_contributions_command_csv_and_table(fee_decisions, capsys):
    call_command("contributions", "--year", "2022", "--format", "csv")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("region_code,region_name,population,population_reference_date")
    assert len(lines) == 22
    assert lines[1].startswith("01,Region Stockholm,2415139,2021-12-31,0.50,1207570")
    call_command("contributions", "--year", "2023", "--format", "table")
    assert "10 452 326" in capsys.readouterr().out


@pytest.mark.django_db
def test_contributions_command_without_decision_fails_clearly(reference_data):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No fee decision applies to 2023"):
        call_command("contributions", "--year", "2023", "--format", "json")


@pytest.mark.django_db
def test_contributions_page_shows_table_total_and_chart(fee_decisions, cast, client_for):
    response = client_for(cast.alice).get(reverse("funding:contribution-list"), {"year": 2023})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="total">10\u202f452\u202f326 kr' in html
    assert "<svg" in html and 'role="img"' in html
    assert "Region Jämtland Härjedalen" in html


@pytest.mark.django_db
def test_contributions_export_csv_and_xlsx(fee_decisions, cast, client_for):
    client = client_for(cast.steering)
    csv_response = client.get(reverse("funding:contribution-list"), {"year": 2023, "format": "csv"})
    assert csv_response["Content-Type"].startswith("text/csv")
    text = csv_response.content.decode("utf-8-sig")
    assert "Region Stockholm" in text and "2415139" in text
    xlsx = client.get(reverse("funding:contribution-list"), {"year": 2023, "format": "xlsx"})
    assert xlsx.content[:2] == b"PK"


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["auditor", "charlie", "nobody"])
def test_outsiders_cannot_see_funding(fee_decisions, cast, client_for, who):
    client = client_for(getattr(cast, who))
    for name in ["contribution-list", "fee-decision-list", "region-decisions", "budget"]:
        assert client.get(reverse(f"funding:{name}")).status_code == 404


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("funding:contribution-list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_api_contributions(fee_decisions, cast, client_for, client):
    assert client.get("/api/funding/contributions?year=2023").status_code == 401
    response = client_for(cast.bob).get("/api/funding/contributions?year=2023")
    assert response.status_code == 200
    assert sum(row["amount_sek"] for row in response.json()) == 10_452_326
    assert client.get("/api/funding/contributions?year=1999").status_code == 422
    client.force_login(cast.dave)
    assert client.get("/api/funding/contributions?year=2023").status_code == 404
