"""Spend imports cover one stated year, show what they replace, and can be undone.

Issue 10, item 3: one stray line dated in another year must not replace that year; a file that
shrinks a partition by more than half needs a confirmation; the replaced version is kept and
restored byte for byte; and the restore is itself undone by restoring again.
"""

import csv
import datetime as dt
import hashlib
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone, translation

from hallbar.core.models import HistoryEntry, ImportJob
from hallbar.risk.screening import store
from hallbar.risk.spend import COLUMNS, spend_root, spend_versions, stored_partitions, template_rows
from hallbar.risk.tests.test_spend_and_runs import GLOVES, import_spend

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("data_dir")]


def lines(rows) -> bytes:
    """Return a CSV of invoice lines, quoted where a value holds a comma."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows([[row.get(c, "") for c in COLUMNS] for row in rows])
    return buffer.getvalue().encode()


def partition_file():
    return store.partition_path(spend_root(), "01", 2025)


def sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def year_file(count: int, amount: str = "1000") -> bytes:
    return lines([{**GLOVES, "amount_sek": amount}] * count)


# --- The year is explicit ----------------------------------------------------------------------


def test_a_stray_line_of_another_year_is_a_row_error_and_nothing_is_written(reference_data):
    # Given 2025 holds ten lines
    import_spend(year_file(10))
    before = sha256(partition_file())

    # When a 2025 file with one line dated 2024 is imported
    job = import_spend(
        lines([GLOVES, {**GLOVES, "invoice_date": "2024-12-31", "amount_sek": "3"}, GLOVES])
    )

    # Then that line is an error naming the date and the year, and nothing is written
    assert job.status == "rejected"
    assert [(i["row"], i["column"]) for i in job.issues] == [(3, "invoice_date")]
    assert "2024-12-31" in job.issues[0]["message"] and "2025" in job.issues[0]["message"]
    assert [(p.year, p.rows) for p in stored_partitions()] == [(2025, 10)]
    assert sha256(partition_file()) == before
    assert [v.absent for v in spend_versions("01", 2025)] == [True]  # only the first import's


def test_an_import_without_a_year_is_refused(reference_data):
    with translation.override("en"):
        job = import_spend(year_file(1), year=None)
    assert job.status == "rejected"
    assert job.issues[0]["row"] is None and "year" in job.issues[0]["message"]
    assert stored_partitions() == []


def test_the_template_imports_into_this_year(reference_data, cast, client_for):
    response = client_for(cast.alice).get(reverse("risk:spend-template", args=["csv"]))
    content = response.content.decode("utf-8-sig").encode()
    job = import_spend(content, year=timezone.localdate().year)
    assert job.status == "done", job.issues


# --- Amounts keep their precision --------------------------------------------------------------


@pytest.mark.parametrize("amount", ["12,345", "1.005", "12,500"])
def test_an_amount_with_three_decimals_is_a_row_error_naming_it(reference_data, amount):
    with translation.override("en"):
        job = import_spend(lines([GLOVES, {**GLOVES, "amount_sek": amount}]))
    assert job.status == "rejected"
    ((row, column, message),) = [(i["row"], i["column"], i["message"]) for i in job.issues]
    assert (row, column) == (3, "amount_sek")
    assert amount in message and "two decimals" in message
    assert stored_partitions() == []


def test_amounts_with_oere_are_kept_exactly(reference_data):
    job = import_spend(
        lines([{**GLOVES, "amount_sek": "12 345,67"}, {**GLOVES, "amount_sek": "0.1"}])
    )
    assert job.status == "done", job.issues
    assert store.partition_totals(partition_file()) == (2, Decimal("12345.77"))


# --- Preview and the shrink rule ---------------------------------------------------------------


def test_a_dry_run_lists_the_partition_with_its_lines_and_totals_now_and_after(reference_data):
    import_spend(year_file(4, "250"))
    job = import_spend(year_file(3, "100,50"), dry_run=True)
    assert job.status == "done" and job.summary == {"written": 0}
    (part,) = job.preview["partitions"]
    assert part == {
        "region": "01",
        "year": 2025,
        "current_rows": 4,
        "current_sek": "1000.00",
        "new_rows": 3,
        "new_sek": "301.50",
        "shrinks": True,  # 301.50 kr is less than half of 1 000 kr
    }
    assert store.partition_totals(partition_file()).rows == 4


def test_a_shrinking_file_is_refused_without_confirmation_and_written_with_it(reference_data):
    # Given 2025 holds ten lines
    import_spend(year_file(10))
    before = sha256(partition_file())

    # When a file of four lines is imported without confirmation: nothing is written
    job = import_spend(year_file(4))
    assert job.status == ImportJob.Status.AWAITING_CONFIRMATION
    assert job.preview["needs_confirmation"] is True
    assert sha256(partition_file()) == before

    # and with it, the partition is replaced
    job = import_spend(year_file(4), confirm=True)
    assert job.status == "done", job.issues
    assert store.partition_totals(partition_file()).rows == 4


@pytest.mark.parametrize(
    ("current", "new", "shrinks"),
    [
        ((10, "1000"), (5, "500"), False),  # exactly half is not more than half
        ((10, "1000"), (4, "1000"), True),  # fewer than half the lines
        ((10, "1000"), (10, "499.99"), True),  # less than half the kronor
        ((10, "-1000"), (10, "-600"), False),  # credit notes: absolute totals
        ((0, "0"), (1, "5"), False),
    ],
)
def test_shrink_rule(current, new, shrinks):
    assert (
        store.shrinks_by_more_than_half(
            store.Totals(current[0], Decimal(current[1])), store.Totals(new[0], Decimal(new[1]))
        )
        is shrinks
    )


# --- Versions: undo, undo of the undo, pruning -------------------------------------------------


def test_undo_restores_the_replaced_partition_byte_for_byte_and_undo_again_redoes(
    reference_data,
):
    # Given an import of ten lines, then one of twelve that replaces it
    import_spend(year_file(10))
    first = sha256(partition_file())
    import_spend(year_file(12))
    second = sha256(partition_file())
    assert first != second
    assert [(v.rows, v.absent) for v in spend_versions("01", 2025)] == [(10, False), (0, True)]

    # When the import is undone: the earlier file is back, byte for byte
    out = io.StringIO()
    call_command("import_spend", "--undo", "--region", "01", "--year", "2025", stdout=out)
    assert sha256(partition_file()) == first
    assert "12 lines" in out.getvalue() and "10 lines" in out.getvalue()
    (entry,) = HistoryEntry.objects.filter(action=HistoryEntry.Action.RESTORED)
    assert entry.changes["spend_year"] == 2025 and entry.changes["lines"] == [12, 10]

    # When the undo is undone: the newer file is back
    call_command("import_spend", "--undo", "--region", "01", "--year", "2025", stdout=io.StringIO())
    assert sha256(partition_file()) == second
    assert HistoryEntry.objects.filter(action=HistoryEntry.Action.RESTORED).count() == 2
    assert [v.rows for v in spend_versions("01", 2025)] == [10, 0]


def test_undo_of_a_first_import_removes_its_lines_and_undo_again_brings_them_back(reference_data):
    # Given the first import of a region and year (a wrong year, say)
    import_spend(year_file(3, amount="250"))
    first = sha256(partition_file())

    # When it is undone: the partition is gone, readers see nothing, the history says so
    out = io.StringIO()
    call_command("import_spend", "--undo", "--region", "01", "--year", "2025", stdout=out)
    assert not partition_file().exists() and stored_partitions() == []
    assert "3 lines, 750.00 SEK -> 0 lines" in out.getvalue()
    (entry,) = HistoryEntry.objects.filter(action=HistoryEntry.Action.RESTORED)
    assert entry.changes["lines"] == [3, 0]
    assert [(v.rows, v.absent) for v in spend_versions("01", 2025)] == [(3, False)]

    # When the undo is undone: the same file is back, byte for byte
    call_command("import_spend", "--undo", "--region", "01", "--year", "2025", stdout=io.StringIO())
    assert sha256(partition_file()) == first
    assert [(p.year, p.rows) for p in stored_partitions()] == [(2025, 3)]
    assert [v.absent for v in spend_versions("01", 2025)] == [True]


def test_undo_without_an_earlier_version_says_so(reference_data):
    with pytest.raises(CommandError, match="no earlier version"):
        call_command("import_spend", "--undo", "--region", "01", "--year", "2025")


def test_secretariat_undoes_a_first_import_on_the_page_and_brings_it_back(
    reference_data, cast, client_for
):
    import_spend(year_file(2))
    client = client_for(cast.secretariat)
    url = reverse("risk:spend-restore", args=["01", 2025])
    page = client.get(url).content.decode()
    assert 'data-testid="restore-preview"' in page
    assert "No lines stored" in page or "Inga rader lagrade" in page
    client.post(url)
    assert stored_partitions() == []
    spend_page = client.get(reverse("risk:spend")).content.decode()
    assert url in spend_page  # listed among the removed, with a way back
    client.post(url)
    assert [(p.year, p.rows) for p in stored_partitions()] == [(2025, 2)]


def test_pruning_keeps_five_versions_and_drops_old_ones_but_the_newest(tmp_path):
    root = tmp_path / "spend"
    table = store.conform(
        store.pa.table(
            {
                "region_code": ["01"],
                "invoice_date": [dt.date(2025, 1, 2)],
                "category_key": ["c"],
                "amount_sek": [Decimal("1.00")],
            }
        )
    )
    # Given eight writes of a partition: seven replacements, of which five versions are kept
    for _ in range(8):
        store.write_partition(root, "01", 2025, table)
    kept = store.versions(root, "01", 2025)
    assert len(kept) == store.KEEP_VERSIONS == 5
    assert kept == sorted(kept, key=lambda v: v.replaced_at, reverse=True)

    # When pruned 91 days later: only the newest version stays, so the last import can be undone
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=store.KEEP_VERSION_DAYS + 1)
    assert store.prune_versions(root, "01", 2025, now=later) == 4
    assert [v.path for v in store.versions(root, "01", 2025)] == [kept[0].path]
    # and the readers never see versions
    assert [p.rows for p in store.partitions(root)] == [1]


# --- Command -----------------------------------------------------------------------------------


def test_command_requires_a_year_and_reports_a_stray_line(reference_data, tmp_path):
    path = tmp_path / "fakturor.csv"
    path.write_bytes(lines([GLOVES, {**GLOVES, "invoice_date": "2019-06-01"}]))
    with pytest.raises(CommandError, match="--year"):
        call_command("import_spend", str(path), "--region", "01")
    out = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_spend", str(path), "--region", "01", "--year", "2025", stdout=out)
    assert "fakturor.csv, row 3, column invoice_date" in out.getvalue()
    assert stored_partitions() == []


def test_command_dry_run_prints_the_partition_and_shrink_needs_the_flag(reference_data, tmp_path):
    import_spend(year_file(10))
    path = tmp_path / "fakturor.csv"
    path.write_bytes(year_file(2))
    args = [str(path), "--region", "01", "--year", "2025"]

    out = io.StringIO()
    call_command("import_spend", *args, "--dry-run", stdout=out)
    assert "would replace region 01, 2025: now 10 lines, 10,000.00 SEK -> 2 lines" in out.getvalue()
    assert "--confirm-shrink" in out.getvalue()

    with pytest.raises(CommandError, match="confirmation"):
        call_command("import_spend", *args, stdout=io.StringIO())
    assert store.partition_totals(partition_file()).rows == 10

    call_command("import_spend", *args, "--confirm-shrink", stdout=io.StringIO())
    assert store.partition_totals(partition_file()).rows == 2


# --- Pages -------------------------------------------------------------------------------------


def upload(client, content, year=2025, **extra):
    return client.post(
        reverse("risk:spend"),
        {
            "file": _named(content),
            "region": extra.pop("region_pk"),
            "year": year,
            **extra,
        },
    )


def _named(content):
    file = io.BytesIO(content)
    file.name = "fakturor.csv"
    return file


def test_page_previews_the_partition_and_writes_only_after_confirmation(
    reference_data, cast, client_for, tasks_immediate, django_capture_on_commit_callbacks
):
    from hallbar.organisations.models import Region

    import_spend(year_file(10))
    before = sha256(partition_file())
    client = client_for(cast.alice)
    region = Region.objects.get(county_code="01")

    # When Alice uploads a smaller 2025 file: the job stops at the preview, nothing written
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, year_file(4), region_pk=region.pk)
    job = ImportJob.objects.get(created_by=cast.alice)
    assert response.status_code == 302 and job.awaits_confirmation
    page = client.get(reverse("core:import-job", args=[job.public_id])).content.decode()
    assert 'data-testid="spend-preview"' in page and "Region Stockholm" in page
    assert "10 000,00 kr" in page.replace("\u202f", " ") or "10,000.00 kr" in page
    assert 'name="confirm_shrink"' in page
    assert sha256(partition_file()) == before

    # When she confirms without ticking the box: still nothing written
    confirm = reverse("core:import-job-confirm", args=[job.public_id])
    fingerprint = job.preview["fingerprint"]
    client.post(confirm, {"fingerprint": fingerprint})
    job.refresh_from_db()
    assert job.awaits_confirmation and sha256(partition_file()) == before

    # When she ticks it: the partition is replaced
    with django_capture_on_commit_callbacks(execute=True):
        client.post(confirm, {"fingerprint": fingerprint, "confirm_shrink": "1"})
    job.refresh_from_db()
    assert job.status == "done", job.issues
    assert store.partition_totals(partition_file()).rows == 4


def test_page_confirmation_of_a_stale_preview_writes_nothing(
    reference_data, cast, client_for, tasks_immediate, django_capture_on_commit_callbacks
):
    from hallbar.organisations.models import Region

    client = client_for(cast.alice)
    region = Region.objects.get(county_code="01")
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, year_file(3), region_pk=region.pk)
    job = ImportJob.objects.get(created_by=cast.alice)
    assert job.awaits_confirmation and stored_partitions() == []
    # Another import writes the partition after Alice's check
    import_spend(year_file(10))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("core:import-job-confirm", args=[job.public_id]),
            {"fingerprint": job.preview["fingerprint"]},
        )
    job.refresh_from_db()
    # the re-check finds the 10 lines and asks again instead of writing over them
    assert job.awaits_confirmation
    assert job.preview["partitions"][0]["current_rows"] == 10
    assert store.partition_totals(partition_file()).rows == 10


def test_a_year_is_required_on_the_page(reference_data, cast, client_for):
    from hallbar.organisations.models import Region

    region = Region.objects.get(county_code="01")
    response = upload(client_for(cast.alice), year_file(1), year="", region_pk=region.pk)
    assert response.status_code == 200 and not ImportJob.objects.exists()
    assert 'name="year"' in response.content.decode()


def test_secretariat_restores_the_previous_version_after_a_confirmation_page(
    reference_data, cast, client_for
):
    import_spend(year_file(10))
    first = sha256(partition_file())
    import_spend(year_file(8))
    url = reverse("risk:spend-restore", args=["01", 2025])

    # Only the secretariat sees the button and the page
    assert url not in client_for(cast.alice).get(reverse("risk:spend")).content.decode()
    assert client_for(cast.alice).get(url).status_code == 404
    assert client_for(cast.alice).post(url).status_code == 404
    client = client_for(cast.secretariat)
    assert url in client.get(reverse("risk:spend")).content.decode()

    # The confirmation page shows now and after and changes nothing
    page = client.get(url)
    assert page.status_code == 200 and 'data-testid="restore-preview"' in page.content.decode()
    assert sha256(partition_file()) != first

    # Posting restores it and records who did
    assert client.post(url).status_code == 302
    assert sha256(partition_file()) == first
    entry = HistoryEntry.objects.get(action=HistoryEntry.Action.RESTORED)
    assert entry.actor == cast.secretariat
    # and a partition without versions has no restore page
    assert client.get(reverse("risk:spend-restore", args=["01", 2024])).status_code == 404


def test_template_example_is_dated_this_year(settings):
    columns, (row,) = template_rows()
    assert row[columns.index("invoice_date")].startswith(str(timezone.localdate().year))
    assert columns == COLUMNS
