"""In a real browser: the spend and screening pages pass axe-core for the secretariat and a buyer."""

import io

import pyarrow as pa
import pytest

from hallbar.core.imports import create_job, run_import_job
from hallbar.core.models import ImportJob
from hallbar.core.tests.browser import axe_check, login
from hallbar.demo.testing import CAST_PASSWORD, make_cast
from hallbar.organisations.models import Region
from hallbar.organisations.services import load_reference_data
from hallbar.risk import runs
from hallbar.risk.spend import COLUMNS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(transactional_db, settings, tmp_path, monkeypatch):
    settings.DATA_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "uploads"
    load_reference_data()
    cast = make_cast()
    table = pa.table(
        {
            "category_key": ["general-consumables"],
            "country": [""],
            "hr": [9.0],
            "wr": [16.0],
            "env": [6.0],
            "be": [4.0],
        }
    )
    monkeypatch.setattr(
        runs, "risk_table", lambda countries=(): (table, {"analyses": [], "parameters": {}})
    )
    line = {
        "invoice_date": "2025-05-02",
        "supplier_name": "Medisupply Sverige AB",
        "category": "general-consumables",
        "amount_sek": "4200",
    }
    content = ",".join(COLUMNS) + "\n" + ",".join(line.get(c, "") for c in COLUMNS) + "\n"
    job = create_job(
        kind=ImportJob.Kind.SPEND,
        uploaded=io.BytesIO(content.encode()),
        filename="f.csv",
        acting_user=None,
        region=Region.objects.get(county_code="01"),
        options={"year": 2025},
    )
    run_import_job(job)
    run = runs.run_screening(year=2025, acting_user=cast.secretariat)
    return cast, run


@pytest.mark.presentation
@pytest.mark.parametrize("username", ["karin", "alice"])
def test_axe_on_spend_and_screening_pages(page, world, username):
    _cast, run = world
    login(page, username, CAST_PASSWORD)
    row = run.rows.first()
    problems = []
    for path in [
        "/risk/spend/",
        "/risk/screening/",
        f"/risk/screening/{run.public_id}/",
        f"/risk/screening/{run.public_id}/?region=01&priority=high",
        f"/risk/screening/{run.public_id}/rows/{row.pk}/",
    ]:
        assert page.goto(path).status == 200, path
        problems += axe_check(page)
    assert problems == []
