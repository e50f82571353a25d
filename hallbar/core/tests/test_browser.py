"""In a real browser: a buyer's day in Swedish and English, keyboard use, axe-core on every page."""

from datetime import date

import pytest

from hallbar.core.tests.browser import axe_check, login
from hallbar.demo.national import load_fee_decisions
from hallbar.demo.testing import CAST_PASSWORD, make_cast
from hallbar.funding.services import save_budget_line, save_region_decision
from hallbar.organisations.models import Region
from hallbar.organisations.services import load_reference_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(transactional_db):
    load_reference_data()
    load_fee_decisions()
    cast = make_cast()
    line = save_budget_line(
        line=None,
        acting_user=cast.secretariat,
        year=2025,
        kind="post",
        description="Nationell samordnare",
        amount_sek=1_100_000,
    )
    save_region_decision(
        region=Region.objects.get(county_code="23"),
        decision=None,
        acting_user=cast.secretariat,
        reference="RS/29/2022",
        decided_on=date(2022, 4, 6),
        decision_body="Regionstyrelsen",
        status="approved",
        approves_programme=True,
        annual_amount_sek=131_418,
        from_year=2023,
        summary="",
    )
    return cast, line


def test_buyer_sees_start_page_and_contributions_in_swedish_then_english(page, world):
    # Given a Region Stockholm buyer
    login(page, "alice", CAST_PASSWORD)
    # Then the start page is in Swedish
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.get_by_role("heading", level=1).inner_text().startswith("Välkommen")
    # When she opens the contributions from the main menu
    page.get_by_role("navigation", name="Huvudmeny").get_by_role(
        "link", name="Finansiering"
    ).click()
    page.select_option("#year", "2023")
    page.get_by_role("button", name="Visa").click()
    # Then she sees every region's contribution and the national total
    assert page.get_by_role("heading", level=1).inner_text() == "Avgifter 2023"
    assert page.get_by_test_id("total").inner_text().replace("\u202f", " ") == "10 452 326 kr"
    table = page.get_by_role("table").first
    assert table.get_by_role("row").count() == 1 + 21 + 1
    # When she switches to English, the choice is remembered on the next page
    page.get_by_role("button", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "Contributions 2023"
    page.get_by_role("link", name="Start").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Welcome")


def test_skip_link_is_the_first_stop_and_focus_is_visible(page, world):
    login(page, "alice", CAST_PASSWORD)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def test_secretariat_invoices_the_decided_amount_after_confirming(page, world):
    # Given Jämtland's decision of 131 418 kr a year and the rule's 132 054 kr
    login(page, "karin", CAST_PASSWORD)
    page.goto("/funding/?year=2023")
    assert page.get_by_test_id("difference-23-2023").inner_text() == "-636 kr"
    # When the secretariat chooses the decided amount, with a reason
    # (selectors by value, not by text: the strings are translated after merging)
    page.locator('a[href="/funding/invoiced/23/2023/"]').click()
    page.locator("input[name=basis][value=decided]").check()
    page.locator("textarea[name=reason]").fill("RS/29/2022")
    page.locator("form button[type=submit]").last.click()
    # Then it is shown what will be replaced, and nothing is recorded before confirming
    assert "131 418 kr" in page.get_by_test_id("replaces").inner_text().replace("\u202f", " ")
    page.locator("form button[type=submit]").last.click()
    # Then the invoiced total is the rule's minus 636 kr
    total = page.get_by_test_id("invoiced-total").inner_text().replace("\u202f", " ")
    assert total == "10 451 690 kr"


PAGES_BY_USER = {
    None: ["/accounts/login/", "/accounts/password_reset/", "/accounts/password_reset/done/"],
    "alice": [
        "/",
        "/regions/",
        "/regions/23/",
        "/funding/?year=2023",
        "/funding/fee-decisions/",
        "/funding/region-decisions/",
        "/funding/budget/?year=2025",
        "/accounts/password_change/",
        "/no-such-page/",
    ],
    "karin": [
        "/",
        "/funding/budget/?year=2025",
        "/funding/budget/?year=2030",
        "/funding/region-decisions/new/23/",
        "/funding/budget/{line}/edit/",
        "/funding/budget/{line}/delete/",
        "/funding/?year=2023",
        "/regions/23/",
        "/funding/invoiced/23/2023/",
    ],
    "charlie": ["/"],
    "rolf": ["/"],
}


@pytest.mark.presentation
def test_axe_finds_no_serious_violation_on_any_page(page, world):
    cast, line = world
    problems = []
    for username, paths in PAGES_BY_USER.items():
        page.context.clear_cookies()  # in Swedish: axe checks markup, the same in both languages
        if username:
            login(page, username, CAST_PASSWORD)
        for path in paths:
            response = page.goto(path.format(line=line.public_id))
            assert response.status == (404 if "no-such" in path else 200), path
            problems += axe_check(page)
    assert problems == []
