"""Spend imports into Parquet partitions, and screening runs stored with their rows."""

import io
import json

import pyarrow as pa
import pytest
from django.core.management import call_command
from django.urls import reverse

from hallbar.core.imports import create_job, run_import_job
from hallbar.core.models import ImportJob
from hallbar.organisations.models import Region
from hallbar.risk import runs
from hallbar.risk.models import ScreeningRun
from hallbar.risk.screening import store
from hallbar.risk.spend import COLUMNS, spend_root, stored_partitions
from hallbar.suppliers.models import ProductionSite
from hallbar.suppliers.services import save_supplier

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "uploads"


@pytest.fixture
def risk_table(monkeypatch):
    """A hand-made risk table: gloves from Malaysia are high risk on workers' rights."""
    table = pa.table(
        {
            "category_key": ["general-consumables", "general-consumables", "office-supplies"],
            "country": ["MY", "", ""],
            "hr": [10.0, 5.0, 2.0],
            "wr": [17.5, 6.0, 2.0],
            "env": [7.0, 5.0, 3.0],
            "be": [5.0, 4.0, 2.0],
        }
    )
    monkeypatch.setattr(runs, "risk_table", lambda: (table, {"analyses": [], "parameters": {}}))
    return table


def lines(rows):
    header = ",".join(COLUMNS)
    body = "\n".join(",".join(str(r.get(c, "")) for c in COLUMNS) for r in rows)
    return f"{header}\n{body}\n".encode()


def import_spend(
    content, region="01", filename="fakturor.csv", year=2025, dry_run=False, **options
):
    job = create_job(
        kind=ImportJob.Kind.SPEND,
        uploaded=io.BytesIO(content),
        filename=filename,
        acting_user=None,
        region=Region.objects.get(county_code=region),
        dry_run=dry_run,
        options={"year": year, **options},
    )
    return run_import_job(job)


GLOVES = {
    "invoice_date": "2025-03-01",
    "supplier_org_number": "5560360793",
    "supplier_name": "Medisupply Sverige AB",
    "category": "general-consumables",
    "amount_sek": "1000",
}


def test_import_writes_a_partition_and_reports_unmatched_spend(reference_data):
    save_supplier(
        supplier=None,
        acting_user=None,
        name="Medisupply Sverige AB",
        country="SE",
        org_number="5560360793",
    )
    job = import_spend(
        lines(
            [
                GLOVES,
                {
                    **GLOVES,
                    "supplier_org_number": "",
                    "supplier_name": "Okänd AB",
                    "amount_sek": "3000",
                },
                {**GLOVES, "amount_sek": "-200"},
            ]
        )
    )
    assert job.status == "done", job.issues
    assert job.summary["unmatched_share_percent"] == "78.9"  # 3000 of 3800
    (partition,) = stored_partitions()
    assert (partition.region, partition.year, partition.rows) == ("01", 2025, 3)


def test_bad_lines_are_listed_and_nothing_is_written(reference_data):
    job = import_spend(
        lines(
            [
                GLOVES,
                {**GLOVES, "amount_sek": "x"},
                {**GLOVES, "invoice_date": "2025-02-30"},
                {**GLOVES, "supplier_org_number": "", "supplier_name": ""},
            ]
        )
    )
    assert job.status == "rejected"
    assert {(i["row"], i["column"]) for i in job.issues} == {
        (3, "amount_sek"),
        (4, "invoice_date"),
        (5, "supplier_name"),
    }
    assert stored_partitions() == []


def test_reimport_replaces_the_partition_instead_of_adding(reference_data):
    import_spend(lines([GLOVES, GLOVES]))
    import_spend(lines([GLOVES]))
    (partition,) = stored_partitions()
    assert partition.rows == 1


def test_an_import_killed_while_writing_leaves_the_earlier_partition_intact(
    reference_data, monkeypatch
):
    import_spend(lines([GLOVES, GLOVES]))
    before = store.partition_path(spend_root(), "01", 2025).read_bytes()

    def crash(*args, **kwargs):
        raise OSError("disk full")  # the write dies before the atomic rename

    monkeypatch.setattr(store.pq, "ParquetWriter", crash)
    with pytest.raises(OSError):
        import_spend(lines([GLOVES]))
    assert store.partition_path(spend_root(), "01", 2025).read_bytes() == before
    assert ImportJob.objects.order_by("-created_at").first().status == "failed"


def test_screening_run_keeps_rows_and_national_pool(reference_data, risk_table, cast, client_for):
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
    run = runs.run_screening(year=2025, acting_user=cast.secretariat)
    national = run.rows.get(region_code="SE")
    assert float(national.spend_sek) == 1500
    assert national.wr == 17.5 and national.priority == "high"
    assert national.exposure == pytest.approx(1500 * 17.5 / 25)
    assert run.rows.filter(region_code="01").get().exposure == pytest.approx(1000 * 17.5 / 25)
    client = client_for(cast.alice)
    page = client.get(reverse("risk:screening-detail", args=[run.public_id])).content.decode()
    assert "Medisupply Sverige AB" in page
    row = client.get(reverse("risk:screening-row", args=[run.public_id, national.pk]))
    assert row.status_code == 200
    xlsx = client.get(reverse("risk:screening-detail", args=[run.public_id]), {"format": "xlsx"})
    assert xlsx.content[:2] == b"PK"
    assert (
        client_for(cast.charlie)
        .get(reverse("risk:screening-detail", args=[run.public_id]))
        .status_code
        == 404
    )


def test_risk_screen_command_prints_the_json_described(reference_data, risk_table, capsys):
    import_spend(lines([GLOVES, {**GLOVES, "category": "office-supplies", "amount_sek": "250"}]))
    call_command("risk_screen", "--year", "2025", "--format", "json")
    data = json.loads(capsys.readouterr().out)
    first = data["rows"][0]
    assert set(first) >= {
        "category",
        "supplier",
        "region_code",
        "spend_sek",
        "hr",
        "wr",
        "env",
        "be",
        "exposure",
        "priority",
    }
    assert first["category"] == "general-consumables" and first["region_code"] == "01"
    assert ScreeningRun.objects.count() == 1


def test_only_the_secretariat_runs_screenings(reference_data, cast, client_for):
    assert (
        client_for(cast.alice).post(reverse("risk:screening-start"), {"year": 2025}).status_code
        == 404
    )
    assert client_for(cast.dave).get(reverse("risk:spend")).status_code == 404
