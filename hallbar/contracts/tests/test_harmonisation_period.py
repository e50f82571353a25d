"""The harmonisation index for a year counts the contracts in force that year, by their dates."""

import json
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from hallbar.contracts.selectors import contracts_in_force, harmonisation
from hallbar.contracts.tests.test_contracts import make_contract, supplier  # noqa: F401
from hallbar.followups.models import FollowUp, Sanction
from hallbar.organisations.models import Region
from hallbar.requirements.selectors import current_clause

pytestmark = pytest.mark.django_db


@pytest.fixture
def contracts(library, cast, supplier):  # noqa: F811
    """Contracts in Region Stockholm, in a category prioritised 2023–2025."""
    made = {
        # ended last year (2024) and already marked expired
        "ended_2024": make_contract(
            cast.alice,
            supplier,
            reference="P-1",
            start_date=date(2023, 3, 1),
            end_date=date(2024, 6, 30),
            status="expired",
        ),
        # still marked active although its end date has passed: the dates decide
        "stale_active": make_contract(
            cast.alice,
            supplier,
            reference="P-2",
            start_date=date(2023, 1, 1),
            end_date=date(2024, 12, 31),
            status="active",
        ),
        # starts next year (2025) and is only planned
        "starts_2025": make_contract(
            cast.alice,
            supplier,
            reference="P-3",
            start_date=date(2025, 12, 31),
            status="planned",
        ),
        # no end date: in force from its start until further notice
        "open_ended": make_contract(
            cast.alice, supplier, reference="P-4", start_date=date(2023, 1, 1)
        ),
        # cancelled: never in force, whatever its dates say
        "cancelled": make_contract(
            cast.alice,
            supplier,
            reference="P-5",
            start_date=date(2023, 1, 1),
            status="cancelled",
        ),
        # terminated in May 2024 with no end date
        "terminated_2024": make_contract(
            cast.alice,
            supplier,
            reference="P-6",
            start_date=date(2023, 1, 1),
            status="terminated",
        ),
    }
    followup = FollowUp.objects.create(
        reference="UPF-T-1",
        year=2024,
        supplier=supplier,
        lead_region=Region.objects.get(county_code="01"),
        clause=current_clause(),
    )
    Sanction.objects.create(
        followup=followup,
        contract=made["terminated_2024"],
        kind=Sanction.Kind.TERMINATION,
        decided_on=date(2024, 5, 10),
        note="RS 2024/1",
    )
    return made


def _in_force(year: int) -> set[str]:
    return set(contracts_in_force(year).values_list("reference", flat=True))


def test_a_contract_counts_for_the_years_its_period_overlaps(contracts):
    assert _in_force(2023) == {"P-1", "P-2", "P-4", "P-6"}
    assert _in_force(2024) == {"P-1", "P-2", "P-4", "P-6"}
    assert _in_force(2025) == {"P-3", "P-4"}
    assert _in_force(2022) == set()


def test_index_counts_per_year_not_todays_status(contracts):
    # Only P-4 is active today with a period covering 2024; by dates 2024 had four in force.
    _rows, national_2024 = harmonisation(2024, current_clause().pk)
    _rows, national_2025 = harmonisation(2025, current_clause().pk)
    assert national_2024.contracts == 4
    assert national_2025.contracts == 2
    assert national_2025.current_clause == 2


def test_termination_before_the_year_ends_the_contract_for_later_years(contracts, supplier):  # noqa: F811
    # Given the termination was decided in 2024, before its end date of 2026
    contracts["terminated_2024"].end_date = date(2026, 12, 31)
    contracts["terminated_2024"].save(update_fields=["end_date"])
    # Then it counts for 2024 but not 2025
    assert "P-6" in _in_force(2024)
    assert "P-6" not in _in_force(2025)


def test_command_and_json_state_the_period_counted(contracts, capsys, cast, client_for):
    call_command("harmonisation", "--format", "json", "--year", "2024")
    data = json.loads(capsys.readouterr().out)
    assert data["counted_from"] == "2024-01-01"
    assert data["counted_to"] == "2024-12-31"
    assert data["national"]["contracts_in_prioritised_categories"] == 4
    call_command("harmonisation", "--year", "2025")
    assert "contracts in force 2025-01-01 – 2025-12-31" in capsys.readouterr().out
    response = client_for(cast.steering).get(
        reverse("contracts:harmonisation"), {"year": 2024, "format": "json"}
    )
    assert response.json()["counted_from"] == "2024-01-01"


def test_page_states_the_period_in_the_language(contracts, cast, client_for):
    client = client_for(cast.steering)
    with translation.override("en"):
        html = client.get(
            reverse("contracts:harmonisation"), {"year": 2024}, HTTP_ACCEPT_LANGUAGE="en"
        ).content.decode()
    assert "1 January 2024 – 31 December 2024" in html
    swedish = client.get(
        reverse("contracts:harmonisation"), {"year": 2024}, HTTP_ACCEPT_LANGUAGE="sv"
    ).content.decode()
    assert "1 januari 2024 – 31 december 2024" in swedish


@pytest.mark.parametrize("year", ["abc", "99999", "-4"])
def test_page_falls_back_to_the_default_year_on_a_bad_year(contracts, cast, client_for, year):
    response = client_for(cast.steering).get(reverse("contracts:harmonisation"), {"year": year})
    assert response.status_code == 200
