"""In a real browser, in Swedish and English, at desktop and mobile width: the plan page says
its budget state first; the steering group approves the plan after a confirmation page, and
follows the approval on the job page to its result."""

import pytest

from hallbar.core.tests.browser import VIEWS, check_page, login
from hallbar.demo.testing import CAST_PASSWORD
from hallbar.followups.models import FollowUp
from hallbar.planning import services
from hallbar.planning.models import FollowUpPlan
from hallbar.planning.tests.conftest import YEAR

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
TEXT = {
    "sv": {
        "approve": "Godkänn planen …",
        "within": "Inom budget",
        "over": "Över budget med",
        "decision": "Styrgruppens beslut om budgeten",
        "date": "Beslutsdatum",
        "done": "är godkänd",
        "open": "Öppna planen",
    },
    "en": {
        "approve": "Approve the plan…",
        "within": "Within the budget",
        "over": "Over the budget by",
        "decision": "The steering group's decision on the budget",
        "date": "Date of the decision",
        "done": "is approved",
        "open": "Open the plan",
    },
}


def _language(page, language: str) -> None:
    site = page.url.split("/", 3)[:3]
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": "/".join(site) + "/"}]
    )


@pytest.mark.parametrize(("language", "width"), VIEWS)
def test_steering_group_approves_the_plan_after_a_confirmation(
    page, world, run, settings, language, width
):
    settings.TASKS = IMMEDIATE
    text = TEXT[language]
    over = width == 390  # at mobile width the plan is over budget: the decision is asked for
    plan = services.propose_plan(year=YEAR, budget_sek=60_000, acting_user=world.cast.secretariat)
    if over:
        FollowUpPlan.objects.filter(pk=plan.pk).update(budget_sek=1_000)
    page.set_viewport_size({"width": width, "height": 900})
    problems = []
    # Given the steering group on the plan page, in its language
    login(page, "stig", CAST_PASSWORD)
    _language(page, language)
    page.goto(f"/plans/{plan.public_id}/")
    assert page.locator("html").get_attribute("lang") == language
    # Then the budget state is the first thing under the heading
    state = page.get_by_test_id("budget-state").inner_text()
    assert (text["over"] if over else text["within"]) in state
    problems += check_page(page, "plans", f"plan-{language}", widths=(width,))
    # When it chooses to approve, a confirmation page sums up what is approved
    page.get_by_role("link", name=text["approve"]).click()
    page.wait_for_url("**/approve/")
    summary = page.get_by_test_id("approval-summary").inner_text()
    assert str(plan.items.count()) in summary
    assert not FollowUp.objects.exists()
    if over:
        # and over budget, it cannot approve without the written decision
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
        assert page.locator(".error-summary").is_visible()
        assert FollowUpPlan.objects.get(pk=plan.pk).status == "proposed"
        page.get_by_label(text["decision"]).fill("Styrgruppen godkänner planen över budget.")
        page.get_by_label(text["date"]).fill(f"{YEAR - 1}-12-15")
    problems += check_page(page, "plans", f"approve-confirm-{language}", widths=(width,))
    # When it confirms
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/jobs/**")
    # Then the job page shows the result (the worker ran it at once here)
    page.get_by_test_id("job-result").wait_for()
    assert text["done"] in page.get_by_test_id("job-result").inner_text()
    problems += check_page(page, widths=(width,))
    plan.refresh_from_db()
    assert plan.status == "approved"
    assert FollowUp.objects.count() == plan.items.count()
    # And the plan shows the approval (and the decision over budget)
    page.get_by_role("link", name=text["open"]).click()
    page.wait_for_url(f"**/plans/{plan.public_id}/")
    approval = page.get_by_test_id("approval").inner_text()
    if over:
        assert "Styrgruppen godkänner planen över budget." in approval
    problems += check_page(page, widths=(width,))
    assert problems == []
