"""In a real browser: the secretariat runs a screening, follows its progress step by step on the
job page (which reloads itself, no JavaScript needed) and then sees the result."""

import os
from pathlib import Path

import pytest

from hallbar.core.models import BackgroundJob
from hallbar.core.tasks import run_job
from hallbar.core.tests.browser import login, serious_violations
from hallbar.demo.testing import CAST_PASSWORD
from hallbar.risk import jobs as risk_jobs
from hallbar.risk.models import ScreeningRun
from hallbar.risk.tests.test_browser_screening import world  # noqa: F401 - the fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
SHOTS = os.environ.get("HALLBAR_SHOTS", "")


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("width", [1366, 390])
def test_secretariat_runs_a_screening_and_sees_progress_then_the_result(
    page,
    world,  # noqa: F811
    settings,
    monkeypatch,
    width,
):
    settings.TASKS = DB_TASKS  # queued for the worker, as in production
    page.set_viewport_size({"width": width, "height": 900})
    _cast, first = world
    problems = []
    # Given the secretariat on the screening page
    login(page, "karin", CAST_PASSWORD)
    page.goto("/risk/screening/")
    # When it runs a screening
    page.get_by_role("button", name="Kör en screening").click()
    page.wait_for_url("**/jobs/**")
    # Then the job page says the job waits for the worker, and reloads itself
    assert page.get_by_test_id("job-progress").is_visible()
    assert page.locator("[data-running]").count() == 1
    problems += serious_violations(page)
    assert _fits(page)
    job = BackgroundJob.objects.get()
    seen = []
    real = risk_jobs.run_screening

    def screening(**kwargs):
        report = kwargs.pop("progress")

        def progress(step):
            report(step)
            if step == 3:  # while the worker runs, the page shows where it is
                page.reload()
                seen.append(page.get_by_test_id("job-progress").inner_text())
                if SHOTS and width == 1366:
                    Path(SHOTS).mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=f"{SHOTS}/job-progress-sv.png", full_page=True)
                problems.extend(serious_violations(page))

        return real(**kwargs, progress=progress)

    monkeypatch.setattr(risk_jobs, "run_screening", screening)
    # When the worker runs the job
    run_job.call(job.pk, "sv")
    assert "Steg 3 av 4" in seen[0] and "50 %" in seen[0]
    # Then the page, reloading itself, shows the result and leads to the run
    page.get_by_test_id("job-result").wait_for(timeout=10_000)
    assert "Screeningen av 2025 är klar" in page.get_by_test_id("job-result").inner_text()
    assert page.locator("[data-running]").count() == 0
    if SHOTS and width == 1366:
        page.screenshot(path=f"{SHOTS}/job-done-sv.png", full_page=True)
    problems += serious_violations(page)
    assert _fits(page)
    page.get_by_role("link", name="Öppna screeningen").click()
    run = ScreeningRun.objects.exclude(pk=first.pk).get()
    page.wait_for_url(f"**/risk/screening/{run.public_id}/")
    assert problems == []
