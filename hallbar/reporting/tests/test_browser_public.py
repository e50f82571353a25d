"""The public pages in a real browser, signed out, in Swedish and English, at desktop and phone
width: the results list with its filters, a result, the figures with charts and the open-data
page; axe-core finds nothing serious and no page is wider than the window.

Set HALLBAR_SHOTS to a directory to keep screenshots of the pages.
"""

import pytest
from playwright.sync_api import expect

from hallbar.core.tests.browser import VIEWS, check_page
from hallbar.demo.testing import make_cast
from hallbar.organisations.services import load_reference_data
from hallbar.reporting.tests.public_world import make_public_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(transactional_db):
    load_reference_data()
    return make_public_world(make_cast())


@pytest.mark.parametrize(("language", "width"), VIEWS)
def test_the_public_finds_results_figures_and_open_data(page, world, live_server, language, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    # Given someone who is not signed in, on the published results
    page.goto("/results/")
    assert page.locator("html").get_attribute("lang") == language
    expect(page.get_by_role("link", name=world.published.reference)).to_be_visible()
    assert check_page(page, "public", f"public-results-{language}", widths=None) == []
    # When they choose a country of production and show the results
    page.locator("#f-country").select_option("VN")
    page.locator("form[role=search] button[type=submit]").click()
    # Then only last year's case with a site there is listed
    expect(page.get_by_role("link", name=world.published_clean.reference)).to_be_visible()
    expect(page.get_by_role("link", name=world.published.reference)).to_have_count(0)
    assert check_page(page, "public", f"public-results-filtered-{language}", widths=None) == []
    # And a filter nothing matches says so
    page.goto("/results/?country=BR")
    expect(page.locator("p.empty")).to_be_visible()
    assert check_page(page, "public", f"public-results-empty-{language}", widths=None) == []
    # When they open a result
    page.goto("/results/")
    page.get_by_role("link", name=world.published.reference).click()
    expect(page.locator("[data-testid=summary]")).to_be_visible()
    assert check_page(page, "public", f"public-result-{language}", widths=None) == []
    # Then the year's figures, with a chart and its table
    page.goto(f"/results/figures/?year={world.year}")
    expect(page.locator("svg[role=img]").first).to_be_visible()
    assert check_page(page, "public", f"public-figures-{language}", widths=None) == []
    # And the open data with its columns and licence
    page.goto("/datasets/")
    expect(page.get_by_test_id("licence")).to_be_visible()
    assert check_page(page, "public", f"public-datasets-{language}", widths=None) == []
