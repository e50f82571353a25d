"""In a real browser: the secretariat proposes a plan, changes it, the steering group approves it;
axe-core on every plan page in Swedish and English."""

import pytest

from hallbar.core.tests.browser import axe_check, login
from hallbar.demo.testing import CAST_PASSWORD
from hallbar.followups.models import FollowUp
from hallbar.planning.models import FollowUpPlan
from hallbar.planning.tests.conftest import YEAR

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _as(page, username):
    page.context.clear_cookies()
    login(page, username, CAST_PASSWORD)


def test_propose_change_and_approve_a_plan(page, world, run, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    problems = []
    _as(page, "karin")
    page.goto("/plans/")
    problems += axe_check(page)
    page.goto("/plans/new/")
    problems += axe_check(page)
    page.locator("#id_year").fill(str(YEAR))
    page.locator("#id_budget_sek").fill("60000")
    page.locator("#id_min_office_audit").fill("0")
    page.locator("#id_min_factory_audit").fill("0")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(lambda url: "/plans/new/" not in url)
    plan = FollowUpPlan.objects.get()
    assert page.get_by_test_id("coordinated").inner_text() == str(plan.items.count())
    problems += axe_check(page)
    item = plan.items.first()
    page.locator(f"a[href='/plans/{plan.public_id}/items/{item.pk}/']").click()
    page.wait_for_url(f"**/plans/{plan.public_id}/items/{item.pk}/")
    problems += axe_check(page)
    page.locator("#id_followup_type").select_option("dialogue")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(f"**/plans/{plan.public_id}/")
    item.refresh_from_db()
    assert item.followup_type == "dialogue" and item.origin == "changed"
    for url in (
        f"/plans/{plan.public_id}/items/new/",
        f"/plans/{plan.public_id}/items/new/?supplier_q={world.supplier_a.name[:4]}",
        f"/plans/{plan.public_id}/?q={world.supplier_a.name[:4]}&region=01#items",
        f"/plans/{plan.public_id}/items/{item.pk}/remove/",
        "/plans/external/",
        f"/plans/followed-up/?year={YEAR}",
    ):
        assert page.goto(url).status == 200
        problems += axe_check(page)

    _as(page, "stig")  # the steering group approves, after the confirmation page
    page.goto(f"/plans/{plan.public_id}/")
    page.locator(f"a[href='/plans/{plan.public_id}/approve/']").click()
    page.wait_for_url("**/approve/")
    problems += axe_check(page)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/jobs/**")
    page.get_by_test_id("job-result").wait_for()
    plan.refresh_from_db()
    assert plan.status == "approved"
    assert FollowUp.objects.count() == plan.items.count()

    site = "/".join(page.url.split("/", 3)[:3]) + "/"
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": site}])
    for url in ("/plans/", f"/plans/{plan.public_id}/", "/plans/external/"):
        page.goto(url)
        assert page.locator("html").get_attribute("lang") == "en"
        problems += axe_check(page)
    assert problems == []
