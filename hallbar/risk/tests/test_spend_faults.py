"""Fault injection into spend imports: an exception or a lost database connection at a chosen
line, while checking or while writing, leaves the stored partition and the unmatched spend as they
were, and a failed job that says what happened (contracts and suppliers:
hallbar/contracts/tests/test_import_faults.py; a killed worker: test_killed_imports.py in core).
"""

import pytest
from django.db import OperationalError

from hallbar.core.models import ImportJob
from hallbar.core.tests.faults import inject
from hallbar.risk import spend, spend_matching
from hallbar.risk.screening import store
from hallbar.risk.spend import spend_root
from hallbar.risk.tests.test_spend_and_runs import GLOVES, import_spend, lines
from hallbar.suppliers.models import UnmatchedSpend

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("data_dir")]

LINES = 6
FAULT_AT = 4
ERRORS = [
    (RuntimeError("injected fault"), "injected fault"),
    (OperationalError("server closed the connection unexpectedly"), "server closed"),
]


def spend_file(amount: int) -> bytes:
    """LINES lines of suppliers the registry does not know (each is unmatched spend)."""
    return lines(
        [
            {
                **GLOVES,
                "supplier_org_number": "",
                "supplier_name": f"Okänd {i}",
                "amount_sek": amount,
            }
            for i in range(LINES)
        ]
    )


@pytest.fixture
def earlier(reference_data):
    """An earlier import of region 01's 2025 spend: its partition and unmatched spend."""
    job = import_spend(spend_file(100))
    assert job.status == ImportJob.Status.DONE, job.issues[:3]
    return {
        "partition": store.partition_path(spend_root(), "01", 2025).read_bytes(),
        "unmatched": sorted(UnmatchedSpend.objects.values_list("name", "spend_sek")),
    }


def left_as_it_was(earlier):
    assert store.partition_path(spend_root(), "01", 2025).read_bytes() == earlier["partition"]
    assert store.versions(spend_root(), "01", 2025)[0].absent  # no new version kept
    assert sorted(UnmatchedSpend.objects.values_list("name", "spend_sek")) == earlier["unmatched"]
    assert not [p for p in spend_root().iterdir() if p.name.startswith(store.TEMP_PREFIX)]


def test_the_file_imports_without_faults(earlier):
    job = import_spend(spend_file(200))
    assert job.status == ImportJob.Status.DONE and job.summary["lines"] == LINES
    assert store.partition_path(spend_root(), "01", 2025).read_bytes() != earlier["partition"]


@pytest.mark.parametrize("error, said", ERRORS)
def test_a_fault_at_a_line_while_checking_leaves_the_partition(earlier, monkeypatch, error, said):
    inject(monkeypatch, spend, "check_line", FAULT_AT, error)
    job = import_spend(spend_file(200))
    assert job.status == ImportJob.Status.FAILED
    assert said in job.issues[0]["message"]
    left_as_it_was(earlier)


@pytest.mark.parametrize("error, said", ERRORS)
def test_a_fault_at_a_line_while_writing_leaves_the_partition(earlier, monkeypatch, error, said):
    """Each unmatched line written is keyed (spend_matching._key): the fault strikes at the
    key of line FAULT_AT."""
    inject(monkeypatch, spend_matching, "_key", FAULT_AT, error)
    with pytest.raises(type(error)):
        import_spend(spend_file(200))
    job = ImportJob.objects.order_by("-created_at").first()
    assert job.status == ImportJob.Status.FAILED
    assert said in job.issues[0]["message"]
    left_as_it_was(earlier)
