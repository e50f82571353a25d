"""A region's decided amount beside the rule's, and the secretariat's choice of what is invoiced."""

import csv
import io
import json
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from hallbar.core.history import history_for
from hallbar.funding.calculation import difference_sek, invoiced_sek
from hallbar.funding.models import FeeDecision, InvoiceChoice, RegionDecision
from hallbar.funding.selectors import (
    budget_years,
    contribution_for,
    contributions,
    contributions_for_year,
    invoiced_total,
)
from hallbar.funding.services import choose_invoiced_amount, save_budget_line, save_fee_decision
from hallbar.organisations.models import Region

pytestmark = pytest.mark.django_db

RULE_2023 = 10_452_326  # all regions at 1 kr on SCB's 2021-12-31 figures


@pytest.fixture
def jamtland(fee_decisions, cast):
    """Region Jämtland Härjedalen with its decision RS/29/2022: 131 418 kr a year from 2023."""
    region = Region.objects.get(county_code="23")
    RegionDecision.objects.create(
        region=region,
        reference="RS/29/2022",
        decided_on=date(2022, 4, 6),
        decision_body="Regionstyrelsen",
        status="approved",
        approves_programme=True,
        annual_amount_sek=131_418,
        from_year=2023,
    )
    return region


def _choose(region, basis="decided", year=2023, user=None, cast=None, reason="RS/29/2022"):
    return choose_invoiced_amount(
        region=region, year=year, basis=basis, reason=reason, acting_user=user or cast.secretariat
    )


def test_difference_is_decided_minus_rule():
    assert difference_sek(rule_sek=132_054, decided_sek=131_418) == -636
    assert difference_sek(rule_sek=100, decided_sek=None) is None
    assert invoiced_sek(rule_sek=132_054, decided_sek=131_418, basis="rule") == 132_054
    assert invoiced_sek(rule_sek=132_054, decided_sek=131_418, basis="decided") == 131_418


def test_jamtland_2023_rule_132054_decided_131418_difference_minus_636(jamtland):
    c = contribution_for(jamtland, 2023)
    assert c.population == 132_054  # SCB 2021-12-31, as shipped
    assert c.amount_sek == 132_054
    assert c.decided_sek == 131_418
    assert c.difference_sek == -636
    # Without a choice the rule's amount is invoiced
    assert c.invoiced_basis == "rule"
    assert c.invoiced_sek == 132_054
    # Other regions have no decided amount
    stockholm = next(x for x in contributions_for_year(2023) if x.region.county_code == "01")
    assert stockholm.decided_sek is None and stockholm.difference_sek is None


def test_decided_amount_applies_from_its_year_while_the_fee_decision_stands(jamtland):
    by_year = contributions([2022, 2023, 2025, 2027])
    jamt = {y: next(c for c in rows if c.region.pk == jamtland.pk) for y, rows in by_year.items()}
    assert jamt[2022].decided_sek is None  # before the decision's first year
    assert jamt[2023].decided_sek == jamt[2025].decided_sek == 131_418
    # Given a new fee from 2027, the region has not decided on it
    save_fee_decision(
        reference="Ny avgift 2027",
        decided_on=date(2026, 6, 1),
        decision_body="Styrgruppen",
        from_year=2027,
        population_rule=FeeDecision.PopulationRule.YEAR_END_BEFORE,
        population_years_before=1,
        components=[("code_of_conduct", 120, 2027)],
        acting_user=None,
    )
    later = next(c for c in contributions_for_year(2027) if c.region.pk == jamtland.pk)
    assert later.decided_sek is None


def test_proposed_or_amountless_decisions_state_no_amount(fee_decisions):
    region = Region.objects.get(county_code="01")
    RegionDecision.objects.create(
        region=region,
        reference="X-1",
        decided_on=date(2022, 5, 1),
        decision_body="RS",
        status="proposed",
        annual_amount_sek=2_000_000,
        from_year=2023,
    )
    assert contribution_for(region, 2023).decided_sek is None


def test_invoicing_the_decided_amount_changes_the_total_and_writes_history(jamtland, cast):
    assert invoiced_total(contributions_for_year(2023)).invoiced_sek == RULE_2023
    choice = _choose(jamtland, cast=cast)
    total = invoiced_total(contributions_for_year(2023))
    assert total.rule_sek == RULE_2023
    assert total.invoiced_sek == RULE_2023 - 636
    assert total.difference_sek == -636
    entry = history_for(choice).get()
    assert entry.actor == cast.secretariat and entry.at is not None
    assert entry.changes == {
        "basis": ["rule", "decided"],
        "invoiced_sek": [132_054, 131_418],
        "reason": "RS/29/2022",
    }
    # And back to the rule: a second history entry, the total is the rule's again
    _choose(jamtland, basis="rule", cast=cast, reason="Styrgruppen 2023-09-01")
    assert invoiced_total(contributions_for_year(2023)).invoiced_sek == RULE_2023
    assert history_for(choice).count() == 2
    # Other years are untouched
    assert contribution_for(jamtland, 2024).invoiced_basis == "rule"


def test_the_budget_is_reconciled_against_what_is_invoiced(jamtland, cast, client_for):
    # Given a budget of 10 000 000 kr for 2023 and the rule's 10 452 326 kr of contributions
    save_budget_line(
        line=None,
        acting_user=cast.secretariat,
        year=2023,
        kind="post",
        description="Kansliet",
        amount_sek=10_000_000,
    )
    (year,) = budget_years([2023])
    assert (year.contributions_sek, year.rule_sek, year.difference_sek) == (
        RULE_2023,
        RULE_2023,
        452_326,
    )
    # When Jämtland is invoiced its decided amount, 636 kr below the rule
    _choose(jamtland, cast=cast)
    (year,) = budget_years([2023])
    # Then the surplus is what the secretariat will actually receive, the rule shown beside it
    assert year.contributions_sek == RULE_2023 - 636 and year.rule_sek == RULE_2023
    assert year.difference_sek == 452_326 - 636
    page = client_for(cast.secretariat).get(reverse("funding:budget") + "?year=2023")
    text = page.content.decode()
    assert "451\u202f690" in text


@pytest.mark.parametrize("who", ["steering", "contact_jamtland", "alice", "coordinator_a"])
def test_only_the_secretariat_chooses_the_amount_invoiced(jamtland, cast, client_for, who):
    user = getattr(cast, who)
    with pytest.raises(PermissionError):
        _choose(jamtland, user=user)
    client = client_for(user)
    url = reverse("funding:invoicechoice-edit", args=["23", 2023])
    assert client.get(url).status_code == 404
    post = {"basis": "decided", "reason": "x", "confirm": "1"}
    assert client.post(url, post).status_code == 404
    assert not InvoiceChoice.objects.exists()
    page = client.get(reverse("funding:contribution-list"), {"year": 2023}).content.decode()
    assert url not in page


def test_service_refuses_bad_choices_and_changes_nothing(jamtland, cast):
    stockholm = Region.objects.get(county_code="01")
    with pytest.raises(ValidationError) as error:
        _choose(stockholm, cast=cast)  # no decided amount
    assert "basis" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        _choose(jamtland, cast=cast, reason="  ")
    assert "reason" in error.value.message_dict
    with pytest.raises(ValidationError):
        _choose(jamtland, basis="rule", cast=cast)  # already invoiced by the rule
    with pytest.raises(ValidationError):
        _choose(jamtland, basis="guess", cast=cast)
    assert not InvoiceChoice.objects.exists()


def test_secretariat_reviews_then_confirms_on_the_page(jamtland, cast, client_for):
    client = client_for(cast.secretariat)
    url = reverse("funding:invoicechoice-edit", args=["23", 2023])
    page = client.get(url).content.decode()
    assert "131\u202f418 kr" in page and "132\u202f054 kr" in page and "-636 kr" in page
    # When the secretariat chooses the decided amount, it is shown what will be replaced
    review = client.post(url, {"basis": "decided", "reason": "RS/29/2022"}).content.decode()
    assert 'data-testid="replaces"' in review
    assert 'name="confirm" value="1"' in review
    assert not InvoiceChoice.objects.exists()
    # Then on confirmation the choice is recorded
    response = client.post(url, {"basis": "decided", "reason": "RS/29/2022", "confirm": "1"})
    assert response.status_code == 302
    assert InvoiceChoice.objects.get().basis == "decided"
    listing = client.get(reverse("funding:contribution-list"), {"year": 2023}).content.decode()
    assert 'data-testid="invoiced-total">10\u202f451\u202f690 kr' in listing
    assert 'data-testid="invoiced-difference">-636 kr' in listing
    assert 'data-testid="total">10\u202f452\u202f326 kr' in listing
    assert "RS/29/2022" in client.get(url).content.decode()  # the history shows the reason


def test_page_shows_errors_and_records_nothing(jamtland, cast, client_for):
    client = client_for(cast.secretariat)
    url = reverse("funding:invoicechoice-edit", args=["01", 2023])
    response = client.post(url, {"basis": "decided", "reason": "x", "confirm": "1"})
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()
    response = client.post(reverse("funding:invoicechoice-edit", args=["23", 2023]), {})
    assert "error-summary" in response.content.decode()
    assert not InvoiceChoice.objects.exists()
    assert client.get(reverse("funding:invoicechoice-edit", args=["99", 2023])).status_code == 404
    assert client.get(reverse("funding:invoicechoice-edit", args=["23", 1900])).status_code == 404


def test_funding_table_and_region_page_show_rule_decided_and_difference(jamtland, cast, client_for):
    client = client_for(cast.steering)
    listing = client.get(reverse("funding:contribution-list"), {"year": 2023}).content.decode()
    assert 'data-testid="difference-23-2023">-636 kr' in listing
    assert 'data-testid="invoiced-23-2023">132\u202f054 kr' in listing
    assert "131\u202f418 kr" in listing
    region_page = client.get(reverse("organisations:region-detail", args=["23"])).content.decode()
    assert 'data-testid="difference-23-2023">-636 kr' in region_page
    assert "131\u202f418 kr" in region_page and "132\u202f054 kr" in region_page
    # Only the secretariat gets the link to choose
    assert reverse("funding:invoicechoice-edit", args=["23", 2023]) not in region_page
    secretariat_page = (
        client_for(cast.secretariat)
        .get(reverse("organisations:region-detail", args=["23"]))
        .content.decode()
    )
    assert reverse("funding:invoicechoice-edit", args=["23", 2023]) in secretariat_page


def test_contributions_command_shows_rule_decided_difference_and_invoiced(jamtland, cast, capsys):
    call_command("contributions", "--year", "2023", "--format", "json")
    row = next(r for r in json.loads(capsys.readouterr().out) if r["region_code"] == "23")
    assert row["amount_sek"] == 132_054
    assert row["decided_sek"] == 131_418
    assert row["difference_sek"] == -636
    assert row["invoiced_sek"] == 132_054
    assert row["invoiced_basis"] == "rule"
    _choose(jamtland, cast=cast)
    call_command("contributions", "--year", "2023", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    jamt = next(r for r in rows if r["region_code"] == "23")
    assert (jamt["decided_sek"], jamt["difference_sek"]) == ("131418", "-636")
    assert (jamt["invoiced_sek"], jamt["invoiced_basis"]) == ("131418", "decided")
    call_command("contributions", "--year", "2023", "--format", "table")
    table = capsys.readouterr().out
    line = next(ln for ln in table.splitlines() if ln.startswith("23"))
    assert "132 054" in line and "131 418" in line and "-636" in line and "decided" in line
    assert "10 451 690" in table  # invoiced total


def test_export_and_api_carry_the_new_columns(jamtland, cast, client_for):
    client = client_for(cast.steering)
    text = client.get(
        reverse("funding:contribution-list"), {"year": 2023, "format": "csv"}
    ).content.decode("utf-8-sig")
    rows = csv.DictReader(io.StringIO(text), delimiter=";")  # Swedish CSV
    jamt = next(r for r in rows if r["region_code"] == "23")
    assert jamt["difference_sek"] == "-636"
    api = client.get("/api/funding/contributions?year=2023").json()
    row = next(r for r in api if r["region_code"] == "23")
    assert row["decided_sek"] == 131_418 and row["invoiced_basis"] == "rule"
