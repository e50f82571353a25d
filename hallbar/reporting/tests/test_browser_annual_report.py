"""In a real browser, in Swedish and English, at desktop and phone width: the secretariat reads
the annual report, generates its PDF (the job page shows the result) and downloads it.

Set HALLBAR_SHOTS to a directory to keep screenshots of the pages.
"""

import pypdf
import pytest
from django.test import override_settings
from django.utils import timezone
from playwright.sync_api import expect

from hallbar.core.tests.browser import VIEWS, check_page, login
from hallbar.demo.testing import CAST_PASSWORD, make_cast
from hallbar.organisations.services import load_reference_data
from hallbar.reporting.tests.test_annual_report import fake_year_figures, use_figures

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("data_dir"),
]
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
YEAR = timezone.localdate().year


@pytest.fixture
def world(transactional_db, monkeypatch):
    load_reference_data()
    use_figures(monkeypatch, fake_year_figures)
    return make_cast()


@override_settings(TASKS=IMMEDIATE)
@pytest.mark.parametrize(("language", "width"), VIEWS)
def test_the_secretariat_reads_the_report_generates_the_pdf_and_downloads_it(
    page, world, live_server, tmp_path, language, width
):
    page.set_viewport_size({"width": width, "height": 900})
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    login(page, "karin", CAST_PASSWORD)
    # Given the secretariat on the report page, the report in the page's language
    page.goto(f"/reporting/annual-report/?year={YEAR}&language={language}")
    report = page.get_by_test_id("annual-report")
    expect(report).to_be_visible()
    assert report.get_attribute("lang") == language
    assert page.locator("html").get_attribute("lang") == language
    # Then every figure, the plan, the regions' table and the charts are shown
    expect(page.locator("[data-figure]")).to_have_count(7)
    expect(page.get_by_test_id("report-regions").locator("tbody tr")).to_have_count(21)
    expect(page.locator("figure.report-chart svg")).to_have_count(2)
    amount = "12 345 678 kr" if language == "sv" else "12,345,678 kr"
    assert amount in report.inner_text().replace("\u202f", " ")
    assert check_page(page, "annual-report", f"annual-report-{language}", widths=None) == []
    # When it chooses the other language of the report
    other = "en" if language == "sv" else "sv"
    page.locator("#report-language").select_option(other)
    page.get_by_test_id("report-choice").locator("button[type=submit]").click()
    expect(page.locator(f"[data-testid=annual-report][lang={other}]")).to_be_visible()
    # and generates the PDF
    page.get_by_test_id("report-pdf").locator("button[type=submit]").click()
    # Then the job page shows the result (the immediate backend ran it) and leads to the PDF
    expect(page.get_by_test_id("job-result")).to_be_visible()
    assert check_page(page, "annual-report", f"annual-report-job-{language}", widths=None) == []
    with page.expect_download() as download:
        page.get_by_test_id("job-result").locator("xpath=..").locator("a.button").click()
    pdf = tmp_path / "report.pdf"
    download.value.save_as(pdf)
    text = "".join(p.extract_text() for p in pypdf.PdfReader(pdf).pages)
    assert f"{YEAR}" in text and "Label of spend_followed_up" in text
    # and the report page now offers the generated PDF to download
    page.goto(f"/reporting/annual-report/?year={YEAR}&language={other}")
    expect(page.get_by_test_id("report-pdf").locator("a.button")).to_be_visible()
    assert check_page(page, widths=None) == []
