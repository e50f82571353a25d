"""The secretariat budget and the regions' own decisions: pages, services, history, denials."""

import pytest
from django.urls import reverse

from hallbar.core.history import history_for
from hallbar.core.models import HistoryEntry
from hallbar.funding.models import BudgetLine, RegionDecision
from hallbar.funding.selectors import budget_years
from hallbar.funding.services import delete_budget_line, save_budget_line

pytestmark = pytest.mark.django_db

LINE = {
    "year": 2024,
    "kind": "post",
    "description": "Nationell samordnare",
    "amount_sek": 1_000_000,
}


def test_secretariat_adds_a_budget_line_and_history_is_written(fee_decisions, cast, client_for):
    client = client_for(cast.secretariat)
    response = client.post(reverse("funding:budget") + "?year=2024", LINE)
    assert response.status_code == 302
    line = BudgetLine.objects.get()
    entry = history_for(line).get()
    assert entry.action == "created" and entry.actor == cast.secretariat
    assert entry.changes["amount_sek"] == [None, 1_000_000]


def test_budget_is_reconciled_against_contributions(fee_decisions, cast):
    save_budget_line(line=None, acting_user=cast.secretariat, **LINE)
    save_budget_line(
        line=None,
        acting_user=cast.secretariat,
        **{**LINE, "kind": "activity", "description": "Revisioner", "amount_sek": 9_000_000},
    )
    (year,) = budget_years([2024])
    assert year.total_sek == 10_000_000
    assert year.contributions_sek == 10_452_326
    assert year.difference_sek == 452_326


def test_budget_form_rejects_bad_values_and_changes_nothing(fee_decisions, cast, client_for):
    client = client_for(cast.secretariat)
    response = client.post(reverse("funding:budget"), {**LINE, "amount_sek": "-5", "year": "1900"})
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()
    assert not BudgetLine.objects.exists()


@pytest.mark.parametrize("who", ["alice", "steering", "contact_jamtland"])
def test_only_the_secretariat_edits_the_budget(fee_decisions, cast, client_for, who):
    line = save_budget_line(line=None, acting_user=cast.secretariat, **LINE)
    user = getattr(cast, who)
    client = client_for(user)
    assert client.get(reverse("funding:budget")).status_code == 200  # may read
    assert client.post(reverse("funding:budget"), LINE).status_code == 404
    assert client.get(reverse("funding:budgetline-edit", args=[line.public_id])).status_code == 404
    assert (
        client.post(reverse("funding:budgetline-delete", args=[line.public_id])).status_code == 404
    )
    with pytest.raises(PermissionError):
        save_budget_line(line=line, acting_user=user, **LINE)
    with pytest.raises(PermissionError):
        delete_budget_line(line=line, acting_user=user)
    assert BudgetLine.objects.count() == 1


def test_delete_asks_for_confirmation_first(fee_decisions, cast, client_for):
    line = save_budget_line(line=None, acting_user=cast.secretariat, **LINE)
    client = client_for(cast.secretariat)
    url = reverse("funding:budgetline-delete", args=[line.public_id])
    assert client.get(url).status_code == 200
    assert BudgetLine.objects.count() == 1
    assert client.post(url).status_code == 302
    assert not BudgetLine.objects.exists()
    assert HistoryEntry.objects.filter(action="deleted", object_repr__contains="Nationell").exists()


def test_unknown_budget_line_is_404(cast, client_for):
    client = client_for(cast.secretariat)
    url = reverse("funding:budgetline-edit", args=["00000000-0000-0000-0000-000000000000"])
    assert client.get(url).status_code == 404


DECISION = {
    "reference": "RS/29/2022",
    "decided_on": "2022-04-06",
    "decision_body": "Regionstyrelsen",
    "status": "approved",
    "approves_programme": "on",
    "annual_amount_sek": "131418",
    "from_year": "2023",
    "summary": "",
}


def test_region_contact_records_own_regions_decision(fee_decisions, cast, client_for):
    client = client_for(cast.contact_jamtland)
    response = client.post(reverse("funding:region-decision-create", args=["23"]), DECISION)
    assert response.status_code == 302
    decision = RegionDecision.objects.get()
    assert decision.region.county_code == "23" and decision.annual_amount_sek == 131_418
    page = client.get(reverse("funding:region-decisions")).content.decode()
    assert "RS/29/2022" in page
    assert "1 of 21" in page or "1 av 21" in page


def test_region_contact_cannot_record_for_another_region(fee_decisions, cast, client_for):
    client = client_for(cast.contact_jamtland)
    url = reverse("funding:region-decision-create", args=["01"])
    assert client.get(url).status_code == 404
    assert client.post(url, DECISION).status_code == 404
    assert not RegionDecision.objects.exists()


@pytest.mark.parametrize("who", ["alice", "bob", "steering"])
def test_buyers_and_steering_group_only_read_decisions(fee_decisions, cast, client_for, who):
    client = client_for(getattr(cast, who))
    assert client.get(reverse("funding:region-decisions")).status_code == 200
    assert (
        client.post(reverse("funding:region-decision-create", args=["23"]), DECISION).status_code
        == 404
    )


def test_duplicate_reference_is_refused_with_a_message(fee_decisions, cast, client_for):
    client = client_for(cast.secretariat)
    url = reverse("funding:region-decision-create", args=["23"])
    client.post(url, DECISION)
    response = client.post(url, DECISION)
    assert response.status_code == 200
    assert RegionDecision.objects.count() == 1
    assert "errorlist" in response.content.decode()


def test_undecided_filter_lists_regions_without_approval(fee_decisions, cast, client_for):
    client = client_for(cast.secretariat)
    client.post(reverse("funding:region-decision-create", args=["23"]), DECISION)
    page = client.get(reverse("funding:region-decisions"), {"status": "undecided"}).content.decode()
    assert "Region Stockholm" in page
    assert "Region Jämtland Härjedalen" not in page
