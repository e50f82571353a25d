"""In a real browser, in Swedish and English, at desktop and phone width: a buyer opens Results
from the menu, chooses a year, then a region, and finds the region beside the nation; axe finds
nothing serious and nothing is wider than the window.

Set HALLBAR_SHOTS to a directory to keep screenshots of the pages.
"""

import pytest
from playwright.sync_api import expect

from hallbar.core.tests.browser import VIEWS, check_page, login
from hallbar.demo.national import load_fee_decisions
from hallbar.demo.testing import CAST_PASSWORD, make_cast
from hallbar.organisations.services import load_reference_data
from hallbar.reporting.tests.conftest import YEAR, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_world(transactional_db):
    load_reference_data()
    load_fee_decisions()
    return build_world(make_cast())


@pytest.mark.parametrize(("language", "width"), VIEWS)
def test_a_buyer_reads_the_results_nationally_and_for_a_region(
    page, browser_world, live_server, language, width
):
    page.set_viewport_size({"width": width, "height": 900})
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    login(page, "alice", CAST_PASSWORD)
    # Given Alice on the start page, when she follows Results in the menu (by its address: the
    # Swedish word comes with the lead's merge of the translations)
    if width < 700:  # the phone's menu is folded
        page.locator("nav details summary").first.click()
    page.locator("nav a[href='/reporting/']").locator("visible=true").first.click()
    expect(page.get_by_test_id("downloads")).to_be_visible()
    assert page.locator("html").get_attribute("lang") == language
    # When she chooses last year
    page.get_by_label("År" if language == "sv" else "Year", exact=True).select_option(str(YEAR))
    page.get_by_role("button", name="Visa" if language == "sv" else "Show").click()
    expect(page.get_by_test_id("value-deviations_found")).to_have_text("2")
    expect(page.locator("svg[role=img]").first).to_be_visible()
    assert check_page(page, "dashboards", f"dashboard-national-{language}", widths=None) == []
    # And then Region Jämtland Härjedalen
    page.get_by_label("Region", exact=True).select_option("23")
    page.get_by_role("button", name="Visa" if language == "sv" else "Show").click()
    expect(page.get_by_test_id("value-followups_total")).to_have_text("2")
    expect(page.get_by_test_id("national-followups_total")).to_contain_text("3")
    assert check_page(page, "dashboards", f"dashboard-region-{language}", widths=None) == []
