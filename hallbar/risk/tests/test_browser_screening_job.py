"""In a real browser: the secretariat runs a screening, follows its progress step by step on the
job page (which reloads itself, no JavaScript needed) and then sees the result."""

import pytest

from hallbar.core.models import BackgroundJob
from hallbar.core.tasks import run_job
from hallbar.core.tests.browser import VIEWS, check_page, login
from hallbar.demo.testing import CAST_PASSWORD
from hallbar.risk import jobs as risk_jobs
from hallbar.risk.models import ScreeningRun
from hallbar.risk.tests.test_browser_screening import world  # noqa: F401 - the fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


# What the secretariat reads, in each language
WORDS = {
    "sv": {
        "run": "Kör en screening",
        "step": "Steg 3 av 4",
        "done": "Screeningen av 2025 är klar",
        "open": "Öppna screeningen",
    },
    "en": {
        "run": "Run a screening",
        "step": "Step 3 of 4",
        "done": "The screening of 2025 is done",
        "open": "Open the screening",
    },
}


def _queued_language(job: BackgroundJob) -> str:
    """The language the job was queued in (the task's second argument), as the worker gets it."""
    from django_tasks_db.models import DBTaskResult

    task = DBTaskResult.objects.get()
    assert task.args_kwargs["args"][0] == job.pk
    return task.args_kwargs["args"][1]


@pytest.mark.parametrize(("language", "width"), VIEWS)
def test_secretariat_runs_a_screening_and_sees_progress_then_the_result(
    page,
    live_server,
    world,  # noqa: F811
    settings,
    monkeypatch,
    language,
    width,
):
    settings.TASKS = DB_TASKS  # queued for the worker, as in production
    words = WORDS[language]
    page.set_viewport_size({"width": width, "height": 900})
    _cast, first = world
    problems = []
    # Given the secretariat on the screening page, in the language it chose
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    login(page, "karin", CAST_PASSWORD)
    page.goto("/risk/screening/")
    assert page.locator("html").get_attribute("lang") == language
    # When it runs a screening
    page.get_by_role("button", name=words["run"]).click()
    page.wait_for_url("**/jobs/**")
    # Then the job page says the job waits for the worker, and reloads itself
    assert page.get_by_test_id("job-progress").is_visible()
    assert page.locator("[data-running]").count() == 1
    problems += check_page(page, widths=(width,))
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
                problems.extend(
                    check_page(page, "screening-job", f"job-progress-{language}", widths=(width,))
                )

        return real(**kwargs, progress=progress)

    monkeypatch.setattr(risk_jobs, "run_screening", screening)
    # When the worker runs the job, in the language it was queued in
    run_job.call(job.pk, _queued_language(job))
    assert words["step"] in seen[0] and "50 %" in seen[0]
    # Then the page, reloading itself, shows the result and leads to the run
    page.get_by_test_id("job-result").wait_for(timeout=10_000)
    assert words["done"] in page.get_by_test_id("job-result").inner_text()
    assert page.locator("[data-running]").count() == 0
    problems += check_page(page, "screening-job", f"job-done-{language}", widths=(width,))
    page.get_by_role("link", name=words["open"]).click()
    run = ScreeningRun.objects.exclude(pk=first.pk).get()
    page.wait_for_url(f"**/risk/screening/{run.public_id}/")
    assert problems == []
