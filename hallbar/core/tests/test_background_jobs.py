"""Background jobs: steps, result and error recorded by the worker; the job page in each state;
a job nothing has been heard from is marked failed instead of polling forever."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from hallbar.core import jobs
from hallbar.core.jobs import JobKind, JobResult, register_job_kind, start_job
from hallbar.core.models import BackgroundJob
from hallbar.core.tasks import run_job

KIND = "tests.counting"
DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
SEEN: list[tuple[int, str]] = []


def _run(job, progress):
    for step in (1, 2, 3):
        progress(step)
        SEEN.append((step, BackgroundJob.objects.get(pk=job.pk).status))
    if job.params.get("refuse"):
        raise ValidationError("The count is refused.")
    if job.params.get("crash"):
        raise RuntimeError("secret internals")
    return {"counted": 3}


@pytest.fixture(autouse=True)
def counting_kind():
    register_job_kind(
        KIND,
        JobKind(
            title="Counting",
            steps=("one", "two", "three"),
            run=_run,
            may_view=lambda user, job: user.is_secretariat,
            describe=lambda job: JobResult(f"Counted {job.result['counted']}.", "/done/", "Open"),
            back=lambda job: ("Back", "/back/"),
        ),
    )
    SEEN.clear()
    yield
    jobs._KINDS.pop(KIND, None)


def _start(user, settings, capture, **params) -> BackgroundJob:
    settings.TASKS = DUMMY
    with capture(execute=True):
        return start_job(KIND, acting_user=user, params=params, subject="s")


def test_the_worker_records_each_step_and_the_result(
    cast, settings, django_capture_on_commit_callbacks
):
    job = _start(cast.alice, settings, django_capture_on_commit_callbacks)
    assert job.status == "pending" and job.total_steps == 3
    # a second start of the same kind and subject gives the same job
    assert start_job(KIND, acting_user=cast.alice, subject="s") == job
    run_job.call(job.pk, "en")
    job.refresh_from_db()
    assert SEEN == [(1, "running"), (2, "running"), (3, "running")]
    assert job.status == "done" and job.step == 3 and job.percent == 100
    assert job.result == {"counted": 3} and job.finished_at
    # delivered twice, the task does not run the job again
    run_job.call(job.pk, "en")
    assert len(SEEN) == 3


def test_a_refusal_and_a_crash_fail_the_job_with_a_message(
    cast, settings, django_capture_on_commit_callbacks
):
    refused = _start(cast.alice, settings, django_capture_on_commit_callbacks, refuse=True)
    run_job.call(refused.pk, "en")
    refused.refresh_from_db()
    assert refused.status == "failed" and refused.error == "The count is refused."
    crashed = start_job(KIND, acting_user=cast.alice, params={"crash": True}, subject="t")
    run_job.call(crashed.pk, "en")
    crashed.refresh_from_db()
    assert crashed.status == "failed" and "secret" not in crashed.error
    assert "Nothing was changed" in crashed.error


def test_the_job_page_shows_each_state(
    cast, client_for, settings, django_capture_on_commit_callbacks
):
    job = _start(cast.alice, settings, django_capture_on_commit_callbacks)
    client = client_for(cast.alice)
    url = reverse("core:job", args=[job.public_id])
    settings.LANGUAGE_CODE = "en"
    # waiting: the page reloads itself and has a link to reload
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "data-running" in page and 'data-testid="job-progress"' in page
    # running: step x of y and a percentage
    BackgroundJob.objects.filter(pk=job.pk).update(status="running", step=2)
    response = client.get(url)
    page = response.content.decode()
    assert response.context["job"].percent == 33 and 'value="33"' in page
    assert response.context["step_label"] == "two"
    # done: the result and where it leads, no more reloading
    run_job.call(job.pk, "en")
    BackgroundJob.objects.filter(pk=job.pk).update(status="pending")
    job.refresh_from_db()
    jobs.run_background_job(job)
    page = client.get(url).content.decode()
    assert "Counted 3." in page and 'href="/done/"' in page and "data-running" not in page
    # another member the kind does not allow: 404; the secretariat may
    assert client_for(cast.bob).get(url).status_code == 404
    assert client_for(cast.secretariat).get(url).status_code == 200


def test_a_job_nothing_is_heard_from_is_marked_failed(
    cast, client_for, settings, django_capture_on_commit_callbacks
):
    # Given a job whose worker was killed mid-run
    job = _start(cast.alice, settings, django_capture_on_commit_callbacks)
    long_ago = timezone.now() - jobs.stale_after() - timedelta(seconds=1)
    BackgroundJob.objects.filter(pk=job.pk).update(status="running", step=2, updated_at=long_ago)
    # When its page is read
    page = client_for(cast.alice).get(reverse("core:job", args=[job.public_id]))
    # Then it is failed, says so, and stops reloading
    job.refresh_from_db()
    assert job.status == "failed" and job.finished_at
    html = page.content.decode()
    assert 'data-testid="job-error"' in html and "data-running" not in html
    # and a new start is possible
    assert start_job(KIND, acting_user=cast.alice, subject="s") != job
    # A recent job is left alone
    fresh = start_job(KIND, acting_user=cast.alice, subject="u")
    assert not jobs.mark_if_stale(fresh) and fresh.status == "pending"


@pytest.mark.django_db
def test_a_running_import_updates_itself_without_a_timed_reload(client, cast):
    """WCAG 2.2.1: no meta refresh; the page polls with JavaScript and offers "Update now"."""
    from hallbar.core.models import ImportJob

    job = ImportJob.objects.create(
        kind=ImportJob.Kind.CONTRACTS,
        filename="avtal.csv",
        stored_path="imports/avtal.csv",
        region=cast.alice.memberships.first().organisation.region,
        created_by=cast.alice,
        status=ImportJob.Status.VALIDATING,
        total_rows=10,
        processed_rows=4,
    )
    client.force_login(cast.alice)
    html = client.get(reverse("core:import-job", args=[job.public_id])).content.decode()
    assert 'http-equiv="refresh"' not in html
    assert "data-running" in html and "js/job.js" in html
    job.status = ImportJob.Status.DONE
    job.save()
    html = client.get(reverse("core:import-job", args=[job.public_id])).content.decode()
    assert "data-running" not in html
