"""In a real browser: axe-core on every requirement library page, and publishing by keyboard."""

import pytest
from playwright.sync_api import expect

from hallbar.core.tests.browser import axe_check, login
from hallbar.demo.testing import CAST_PASSWORD, make_cast, requirement_library
from hallbar.organisations.services import load_reference_data
from hallbar.requirements.models import CodeOfConduct, ContractClause, Criterion
from hallbar.requirements.services import start_new_version

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(transactional_db):
    load_reference_data()
    cast = make_cast()
    requirement_library()
    code_v1, code_v2 = CodeOfConduct.objects.order_by("version")
    clause_2021, clause_2024 = ContractClause.objects.order_by("version")
    ids = {
        "code_v1": code_v1.public_id,
        "code_v2": code_v2.public_id,
        "code_draft": start_new_version(code_v2, acting_user=cast.secretariat).public_id,
        "clause_2021": clause_2021.public_id,
        "clause_2024": clause_2024.public_id,
        "clause_draft": start_new_version(clause_2024, acting_user=cast.secretariat).public_id,
        "tex_v1": Criterion.objects.get(identifier="HU-TEX-01", version=1).public_id,
        "tex_v2": Criterion.objects.get(identifier="HU-TEX-01", version=2).public_id,
        "criterion_draft": Criterion.objects.get(identifier="HU-LAK-01").public_id,
    }
    return cast, ids


READ_PAGES = [
    "/requirements/",
    "/requirements/code/",
    "/requirements/code/{code_v2}/",
    "/requirements/code/{code_v1}/",
    "/requirements/code/diff/?from={code_v1}&to={code_v2}",
    "/requirements/clause/",
    "/requirements/clause/{clause_2024}/",
    "/requirements/clause/diff/?from={clause_2021}&to={clause_2024}",
    "/requirements/clause/diff/?from={clause_2021}&to={clause_2024}&changes=1",
    "/requirements/criteria/",
    "/requirements/criteria/?level=advanced&status=all&sort=-updated",
    "/requirements/criteria/?q=ingenting",
    "/requirements/criteria/{tex_v2}/",
    "/requirements/criteria/{criterion_draft}/",
    "/requirements/criteria/diff/?from={tex_v1}&to={tex_v2}",
    "/requirements/code/{code_draft}/",
]
EDIT_PAGES = [
    "/requirements/code/{code_draft}/edit/",
    "/requirements/code/{code_draft}/publish/",
    "/requirements/clause/{clause_draft}/edit/",
    "/requirements/clause/{clause_draft}/publish/",
    "/requirements/criteria/new/",
    "/requirements/criteria/{criterion_draft}/edit/",
    "/requirements/criteria/{criterion_draft}/publish/",
]
PAGES_BY_USER = {
    "karin": READ_PAGES + EDIT_PAGES,
    "alice": READ_PAGES,
    "charlie": [
        "/requirements/",
        "/requirements/code/{code_v2}/",
        "/requirements/clause/{clause_2024}/",
        "/requirements/clause/diff/?from={clause_2021}&to={clause_2024}",
    ],
}


@pytest.mark.presentation
def test_axe_finds_no_serious_violation_on_any_requirements_page(page, world):
    _cast, ids = world
    problems = []
    for username, paths in PAGES_BY_USER.items():
        page.context.clear_cookies()  # in Swedish: axe checks markup, the same in both languages
        login(page, username, CAST_PASSWORD)
        for path in paths:
            response = page.goto(path.format(**ids))
            assert response.status == 200, (username, path)
            problems += axe_check(page)
    assert problems == []


def test_secretariat_publishes_a_draft_after_confirming(page, world):
    _cast, ids = world
    login(page, "karin", CAST_PASSWORD)
    page.goto(f"/requirements/criteria/{ids['criterion_draft']}/")
    # The detail page offers publishing; the confirmation page asks what changed
    page.locator(f"a[href$='/{ids['criterion_draft']}/publish/']").click()
    expect(page.locator("textarea[name=note]")).to_be_visible()
    page.locator("form[method=post] button[type=submit]").last.click()
    # Without a note nothing is published and the error is announced
    expect(page.get_by_role("alert").first).to_be_visible()
    page.locator("textarea[name=note]").fill("Första versionen.")
    page.locator("form[method=post] button[type=submit]").last.click()
    page.wait_for_url(f"**/requirements/criteria/{ids['criterion_draft']}/")
    assert Criterion.objects.get(public_id=ids["criterion_draft"]).is_published
