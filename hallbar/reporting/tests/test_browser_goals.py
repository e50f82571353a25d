"""In a real browser, in Swedish and English: the secretariat opens the strategy goals, adds a
goal with an indicator and its targets, and deletes it after confirming; a buyer reads the
period without edit links. Every page is checked at 1366 and 390 px (no sideways scrolling),
and by axe-core in Swedish (`check_page`).

Screenshots go to HALLBAR_SHOTS/goals when HALLBAR_SHOTS is set.
"""

import pytest
from django.utils import translation
from playwright.sync_api import expect

from hallbar.core.tests.browser import check_page, login
from hallbar.demo.testing import CAST_PASSWORD
from hallbar.reporting.figures import DEFINITIONS
from hallbar.reporting.models import Goal, Indicator, StrategyPeriod
from hallbar.reporting.strategy import load_strategy

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_secretariat_edits_goals_and_a_buyer_reads_them(page, cast, live_server, language):
    load_strategy()
    plan = StrategyPeriod.objects.get(kind=StrategyPeriod.Kind.STRATEGIC_PLAN)
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    sv = language == "sv"
    problems: list[str] = []

    # The secretariat opens the list and the strategic plan
    login(page, "karin", CAST_PASSWORD)
    page.goto("/reporting/goals/")
    assert page.locator("html").get_attribute("lang") == language
    expect(page.get_by_test_id("periods")).to_be_visible()
    problems += check_page(page, "goals", f"list-{language}")
    page.get_by_role("link", name=plan.name_sv if sv else plan.name_en).click()
    expect(page.get_by_test_id("goal-progress")).to_be_visible()
    problems += check_page(page, "goals", f"period-{language}")

    # adds a goal
    page.locator(f"a[href='/reporting/goals/{plan.public_id}/goals/new/']").click()
    expect(page.locator("#id_title_sv")).to_be_visible()
    problems += check_page(page, "goals", f"goal-form-{language}")
    page.locator("#id_title_sv").fill("Testmål")
    page.locator("#id_title_en").fill("Test goal")
    page.locator("#id_position").fill("9")  # after the plan's three goals: the fourth
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("heading", name="4. Testmål" if sv else "4. Test goal")).to_be_visible()
    goal = Goal.objects.get(title_sv="Testmål")

    # gives it an indicator, choosing the figure by its label
    page.goto(f"/reporting/goals/goal/{goal.public_id}/indicators/new/")
    expect(page.locator("#id_figure_key")).to_be_visible()
    options = page.locator("#id_figure_key option").all_inner_texts()
    assert "followups_total" not in options
    problems += check_page(page, "goals", f"indicator-form-{language}")
    with translation.override(language):  # the label as the page shows it
        label = str(DEFINITIONS["followups_total"].label)
    page.locator("#id_figure_key").select_option(label=label)
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_test_id("goal-progress")).to_be_visible()
    indicator = Indicator.objects.get(goal=goal)

    # and its targets
    page.goto(f"/reporting/goals/indicator/{indicator.public_id}/targets/")
    expect(page.locator("#id_target_2026")).to_be_visible()
    problems += check_page(page, "goals", f"targets-form-{language}")
    page.locator("#id_target_2026").fill("7")
    page.locator("#id_target_2027").fill("9,5" if sv else "9.5")
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_test_id("goal-progress")).to_be_visible()
    assert sorted(indicator.targets.values_list("year", flat=True)) == [2026, 2027]

    # deletes the goal after confirming
    page.goto(f"/reporting/goals/goal/{goal.public_id}/delete/")
    expect(page.locator("main form button[type=submit]")).to_be_visible()
    problems += check_page(page, "goals", f"delete-{language}")
    assert Goal.objects.filter(pk=goal.pk).exists()
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_test_id("goal-progress")).to_be_visible()
    assert not Goal.objects.filter(pk=goal.pk).exists()
    problems += check_page(page, "goals", f"period-after-{language}")

    # A buyer reads the same period, without edit links
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    login(page, "alice", CAST_PASSWORD)
    page.goto(f"/reporting/goals/{plan.public_id}/")
    expect(page.get_by_test_id("goal-progress")).to_be_visible()
    assert page.locator("a[href*='/edit/']").count() == 0
    problems += check_page(page, "goals", f"period-buyer-{language}")

    assert problems == []
