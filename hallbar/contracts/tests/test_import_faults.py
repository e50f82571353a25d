"""Fault injection: an exception at a chosen row or a lost database connection, while checking or
while writing, leaves no partial data and a failed job that says what happened.

Contracts (CSV, XLSX and OCDS) and suppliers here; spend in hallbar/risk/tests/test_spend_faults.py,
a worker killed mid-import in hallbar/core/tests/test_killed_imports.py. The faults are injected
with hallbar/core/tests/faults.py.
"""

import io

import pytest
from django.db import OperationalError
from openpyxl import Workbook

from hallbar.contracts.imports import COLUMNS, RowChecker
from hallbar.contracts.models import Contract
from hallbar.contracts.tests.factories import GOOD_ROW, contract_csv, contract_ocds, good_rows
from hallbar.core.history import HistoryBatch
from hallbar.core.imports import create_job, run_import_job
from hallbar.core.models import HistoryEntry, ImportJob
from hallbar.core.tests.faults import inject
from hallbar.organisations.models import Region
from hallbar.suppliers.models import ProductionSite, Supplier, SupplierName

pytestmark = pytest.mark.django_db

ROWS = 6
FAULT_AT = 4


def contracts_file(kind: str) -> tuple[bytes, str]:
    if kind == "ocds":
        return contract_ocds(ROWS), "avtal.json"
    if kind == "csv":
        return contract_csv(good_rows(ROWS)), "avtal.csv"
    book = Workbook()
    sheet = book.active
    sheet.append(COLUMNS)
    for row in good_rows(ROWS):
        sheet.append([{**GOOD_ROW, **row}.get(c, "") for c in COLUMNS])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue(), "avtal.xlsx"


def suppliers_file() -> tuple[bytes, str]:
    lines = ["name,country,org_number"] + [
        f"Leverantör {i} AB,SE,{number}"
        for i, number in enumerate(
            ["5560360793", "5565475489", "5560160680", "5569112237", "5567037485", "5560125790"]
        )
    ]
    return ("\n".join(lines) + "\n").encode(), "lev.csv"


def run(kind: str):
    if kind == "suppliers":
        content, filename = suppliers_file()
        job_kind, region = ImportJob.Kind.SUPPLIERS, None
    else:
        content, filename = contracts_file(kind)
        job_kind, region = ImportJob.Kind.CONTRACTS, Region.objects.get(county_code="01")
    job = create_job(
        kind=job_kind,
        uploaded=io.BytesIO(content),
        filename=filename,
        acting_user=None,
        region=region,
    )
    return run_import_job(job)


def nothing_written(history_before: int):
    assert not Contract.objects.exists()
    assert not Supplier.objects.exists() and not SupplierName.objects.exists()
    assert not ProductionSite.objects.exists()
    assert HistoryEntry.objects.count() == history_before


KINDS = ["csv", "xlsx", "ocds", "suppliers"]


def test_the_files_import_without_faults(library):
    for kind in KINDS:
        job = run(kind)
        assert job.status == ImportJob.Status.DONE, (kind, job.issues[:3])
    assert Contract.objects.count() == ROWS and Supplier.objects.count() == ROWS


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    "error, said",
    [
        (RuntimeError("injected fault"), "injected fault"),
        (OperationalError("server closed the connection unexpectedly"), "server closed"),
    ],
)
def test_a_fault_at_a_row_while_writing_leaves_nothing(library, monkeypatch, kind, error, said):
    """Each row written adds a history entry: the fault strikes at the entry of row FAULT_AT."""
    inject(monkeypatch, HistoryBatch, "add", FAULT_AT, error)
    history_before = HistoryEntry.objects.count()
    with pytest.raises(type(error)):
        run(kind)
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED
    assert said in job.issues[0]["message"]
    nothing_written(history_before)


@pytest.mark.parametrize("kind", ["csv", "xlsx", "ocds"])
@pytest.mark.parametrize(
    "error, said",
    [
        (RuntimeError("injected fault"), "injected fault"),
        (OperationalError("connection lost"), "connection lost"),
    ],
)
def test_a_fault_at_a_row_while_checking_leaves_nothing(library, monkeypatch, kind, error, said):
    inject(monkeypatch, RowChecker, "check", FAULT_AT, error)
    history_before = HistoryEntry.objects.count()
    job = run(kind)
    assert job.status == ImportJob.Status.FAILED
    assert said in job.issues[0]["message"]
    nothing_written(history_before)
