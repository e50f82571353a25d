"""In a real browser: axe-core on every risk analysis page, as the secretariat and as a buyer."""

import pytest
from playwright.sync_api import expect

from hallbar.core.tests.browser import axe_check, login
from hallbar.demo.risk import load_demo_analyses
from hallbar.demo.testing import CAST_PASSWORD, make_cast
from hallbar.organisations.services import load_reference_data
from hallbar.risk.models import RiskAnalysis
from hallbar.risk.services import add_expert_adjustment, start_new_version

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(transactional_db):
    load_reference_data()
    cast = make_cast()
    load_demo_analyses()
    approved = RiskAnalysis.objects.get(category__slug="general-consumables")
    draft = start_new_version(approved, acting_user=cast.secretariat)
    add_expert_adjustment(
        draft,
        area="wr",
        likelihood="4.8",
        rationale="Recent audits found recruitment fees at two factories.",
        country="MY" if any(r["country"] == "MY" for r in draft.countries) else "",
        acting_user=cast.secretariat,
    )
    return cast, {"approved": approved.public_id, "draft": draft.public_id}


READ_PAGES = [
    "/risk/",
    "/risk/analyses/{approved}/",
    "/risk/analyses/{draft}/",
    "/risk/method/",
    "/risk/method/description/",
    "/risk/data/",
]
EDIT_PAGES = [
    "/risk/analyses/new/",
    "/risk/analyses/new/?category=nutrition",
    "/risk/analyses/{draft}/edit/",
    "/risk/analyses/{draft}/adjust/",
    "/risk/analyses/{draft}/approve/",
    "/risk/method/edit/",
]
PAGES_BY_USER = {"karin": READ_PAGES + EDIT_PAGES, "alice": READ_PAGES}


@pytest.mark.presentation
def test_axe_finds_no_serious_violation_on_any_risk_page(page, world):
    _cast, ids = world
    problems = []
    for username, paths in PAGES_BY_USER.items():
        page.context.clear_cookies()  # in Swedish: axe checks markup, the same in both languages
        login(page, username, CAST_PASSWORD)
        for path in paths:
            response = page.goto(path.format(**ids))
            assert response.status == 200, path
            # The explanation tables are folded away; open them so axe checks them as well.
            page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
            problems += axe_check(page)
    assert problems == []


def test_form_errors_are_announced_and_approval_asks_for_a_note(page, world):
    _cast, ids = world
    login(page, "karin", CAST_PASSWORD)
    # When the secretariat submits an empty new analysis
    page.goto("/risk/analyses/new/")
    page.locator("form button[type=submit]").last.click()
    # Then the errors are announced and each area's fields say what is missing
    expect(page.get_by_role("alert").first).to_be_visible()
    problems = axe_check(page)
    # When it approves the draft without a note, the page stays and asks for one
    page.goto(f"/risk/analyses/{ids['draft']}/approve/")
    page.locator("form button[type=submit]").last.click()
    expect(page.get_by_role("alert").first).to_be_visible()
    assert "/approve/" in page.url
    problems += axe_check(page)
    # And with a note, the draft is approved and the old version superseded
    page.locator("#id_note").fill("Audit findings")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(f"**/risk/analyses/{ids['draft']}/")
    assert RiskAnalysis.objects.get(public_id=ids["draft"]).is_approved
    assert RiskAnalysis.objects.get(public_id=ids["approved"]).status == "superseded"
    assert problems == []
