"""Files people can open: Swedish CSV for Swedish Excel, English CSV, XLSX with an autofilter.

The unit tests parse what `hallbar.core.exports` writes; the download tests parse the files the
pages hand out, so that no export can bypass the rule.
"""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from hallbar.core.exports import table_response, write_table

HEADERS = ["Namn", "Belopp", "Andel", "Datum"]
ROWS = [["Åre AB", Decimal("1234.50"), 0.25, date(2025, 1, 31)], ["=SUM(A1)", -12, None, None]]


def _csv(language: str) -> bytes:
    buffer = io.BytesIO()
    write_table(buffer, HEADERS, ROWS, file_format="csv", language=language)
    return buffer.getvalue()


def test_swedish_csv_has_a_bom_semicolons_and_decimal_commas():
    content = _csv("sv")
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == HEADERS
    assert rows[1] == ["Åre AB", "1234,50", "0,25", "2025-01-31"]
    assert rows[2] == ["'=SUM(A1)", "-12", "", ""]


def test_english_csv_has_a_bom_commas_and_decimal_points():
    content = _csv("en")
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[1] == ["Åre AB", "1234.50", "0.25", "2025-01-31"]


def test_csv_follows_the_active_language():
    with translation.override("sv"):
        swedish = table_response(HEADERS, ROWS, file_format="csv", name="x")
    with translation.override("en"):
        english = table_response(HEADERS, ROWS, file_format="csv", name="x")
    assert swedish.content.decode("utf-8-sig").splitlines()[0] == "Namn;Belopp;Andel;Datum"
    assert english.content.decode("utf-8-sig").splitlines()[0] == "Namn,Belopp,Andel,Datum"
    assert swedish["Content-Type"] == "text/csv; charset=utf-8"
    assert swedish["Content-Disposition"] == 'attachment; filename="x.csv"'


def test_xlsx_has_a_frozen_bold_header_and_an_autofilter_over_the_data():
    response = table_response(HEADERS, ROWS, file_format="xlsx", name="x", sheet_title="Data")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:D3"
    assert sheet["A1"].font.bold
    assert sheet["B2"].value == 1234.5 and sheet["A3"].value == "'=SUM(A1)"


def test_xlsx_without_rows_still_filters_its_header():
    response = table_response(HEADERS, [], file_format="xlsx", name="x")
    assert load_workbook(io.BytesIO(response.content)).active.auto_filter.ref == "A1:D1"


# --- every download of the pages goes through the rule ---------------------------------------


def _parse_csv(response) -> list[list[str]]:
    assert response.status_code == 200, response.status_code
    assert response.content.startswith(b"\xef\xbb\xbf")
    text = response.content.decode("utf-8-sig")
    first = text.splitlines()[0]
    assert ";" in first and "," not in first.replace('","', ""), first
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def _parse_xlsx(response):
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:")
    assert sheet.freeze_panes == "A2"
    return sheet


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "url", "params"),
    [
        ("alice", "contracts:contract-list", {}),
        ("alice", "suppliers:supplier-list", {}),
        ("secretariat", "followups:followup-list", {}),
        ("steering", "funding:contribution-list", {"year": 2025}),
    ],
)
def test_page_downloads_are_swedish_csv_and_filterable_xlsx(cast, client_for, who, url, params):
    # (The plan's export, the screening's and the templates go through the same helper.)
    client = client_for(getattr(cast, who))
    path = reverse(url)
    rows = _parse_csv(client.get(path, {**params, "format": "csv"}))
    assert len(rows[0]) > 1
    _parse_xlsx(client.get(path, {**params, "format": "xlsx"}))


@pytest.mark.django_db
def test_the_import_error_report_is_swedish_csv(cast, client_for, reference_data):
    from hallbar.core.imports import create_job, run_import_job
    from hallbar.core.models import ImportJob
    from hallbar.organisations.models import Region

    job = create_job(
        kind=ImportJob.Kind.CONTRACTS,
        uploaded=io.BytesIO(b"reference,title\nA,B\n"),
        filename="fel.csv",
        acting_user=cast.alice,
        region=Region.objects.get(county_code="01"),
    )
    job = run_import_job(job)
    client = client_for(cast.alice)
    rows = _parse_csv(
        client.get(reverse("core:import-job", args=[job.public_id]), {"format": "csv"})
    )
    assert len(rows) == 1 + len(job.issues)
    assert rows[1][0] == "fel.csv"
