"""A screening started on the page runs in the background with its steps shown, and gives the
same rows as a screening run directly."""

import pytest
from django.urls import reverse

from hallbar.core.models import BackgroundJob
from hallbar.core.tasks import run_job
from hallbar.risk import jobs as risk_jobs
from hallbar.risk import runs
from hallbar.risk.jobs import SCREENING
from hallbar.risk.models import ScreeningRun
from hallbar.risk.tests.test_spend_and_runs import GLOVES, import_spend, lines, risk_table  # noqa: F401
from hallbar.suppliers.models import ProductionSite
from hallbar.suppliers.services import save_supplier

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("data_dir")]
DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def _rows(run: ScreeningRun) -> list[tuple]:
    return sorted(
        run.rows.values_list(
            "region_code", "category_key", "supplier_key", "country", "spend_sek", "exposure"
        )
    )


def test_a_screening_runs_in_the_background_like_a_direct_run(
    reference_data,
    risk_table,  # noqa: F811 - the imported fixture
    cast,
    client_for,
    settings,
    django_capture_on_commit_callbacks,
    monkeypatch,
):
    # Given a year of spend, one supplier with a production site
    supplier = save_supplier(
        supplier=None,
        acting_user=None,
        name="Medisupply Sverige AB",
        country="SE",
        org_number="5560360793",
    )
    ProductionSite.objects.create(supplier=supplier, name="Klang", country="MY", tier=1)
    import_spend(lines([GLOVES]), region="01")
    import_spend(lines([{**GLOVES, "amount_sek": "500"}]), region="23")
    direct = runs.run_screening(year=2025, acting_user=cast.secretariat)
    # When the secretariat runs a screening on the page, it is only queued
    client = client_for(cast.secretariat)
    settings.TASKS = DUMMY
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("risk:screening-start"), {"year": 2025})
    job = BackgroundJob.objects.get(kind=SCREENING)
    assert response.url == reverse("core:job", args=[job.public_id])
    assert job.status == "pending" and ScreeningRun.objects.count() == 1
    page = client.get(response.url).content.decode()
    assert 'data-testid="job-progress"' in page and "data-running" in page
    # When the worker runs it, each of the four steps is reported and the run is the same
    steps = []
    real = runs.run_screening

    def watching(**kwargs):
        report = kwargs.pop("progress")
        return real(**kwargs, progress=lambda step: (steps.append(step), report(step)))

    monkeypatch.setattr(risk_jobs, "run_screening", watching)
    run_job.call(job.pk, "sv")
    job.refresh_from_db()
    assert steps == [1, 2, 3, 4] and job.status == "done"
    background = ScreeningRun.objects.get(public_id=job.result["run"])
    assert _rows(background) == _rows(direct)
    assert background.totals["rows"] == direct.totals["rows"] == job.result["rows"]
    assert background.started_by == cast.secretariat
    page = client.get(reverse("core:job", args=[job.public_id])).content.decode()
    assert reverse("risk:screening-detail", args=[background.public_id]) in page
    assert "data-running" not in page
    # Members see the job; suppliers do not
    assert client_for(cast.alice).get(reverse("core:job", args=[job.public_id])).status_code == 200
    assert (
        client_for(cast.charlie).get(reverse("core:job", args=[job.public_id])).status_code == 404
    )


def test_a_year_without_spend_is_refused_before_any_job(reference_data, cast, client_for):
    response = client_for(cast.secretariat).post(reverse("risk:screening-start"), {"year": 1999})
    assert response.url == reverse("risk:screening-list")
    assert not BackgroundJob.objects.exists()
