"""The annual report: every figure and breakdown of the year is shown, formatted the same way in
the HTML page and in the PDF; the command writes both; the secretariat and the steering group
generate the PDF as a background job; every member reads it, nobody outside the cooperation."""

import os
import re
import subprocess
from dataclasses import replace
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pypdf
import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation

from hallbar.core.models import BackgroundJob
from hallbar.followups.tests.conftest import open_case, world  # noqa: F401 - the fixture
from hallbar.organisations.models import Region
from hallbar.reporting import annual_report as module
from hallbar.reporting.annual_report import (
    build_report,
    report_body,
    report_document,
    report_pdf,
)
from hallbar.reporting.figures import (
    Breakdown,
    Figure,
    Unit,
    YearFigures,
    figure_values,
    year_figures,
)
from hallbar.reporting.formatting import format_figure
from hallbar.reporting.jobs import ANNUAL_REPORT, report_path

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("data_dir")]
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
YEAR = timezone.localdate().year


def compact(text: str) -> str:
    """The text without any white space (the PDF's lines break where the page's do not)."""
    return re.sub(r"\s+", "", text)


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(BytesIO(pdf)).pages)


def page_values(html: str) -> dict[str, str]:
    """The value shown for each figure in the report's figures (list or table), by its key."""
    return {
        key: value.strip()
        for key, value in re.findall(
            r'data-figure="([^"]+)">.*?data-testid="figure-value">([^<]*)<', html, re.S
        )
    }


# -- a year with every kind of figure, to check the report is generic -------------------------


def _figure(key, unit, value, national=None, label=None):
    return Figure(key, label or f"Label of {key}", f"How {key} is computed.", unit, value, national)


def fake_year_figures(year, region=None, *, national=None):
    """Figures of every unit, a planned/done pair, a missing value and two breakdowns."""
    scale = int(region.county_code) if region else 100
    national = fake_year_figures(year) if region else None

    def n(key):
        return national.value(key) if national else None

    figures = [
        _figure("followups_planned", Unit.COUNT, 40 * scale, n("followups_planned")),
        _figure("followups_done", Unit.COUNT, 30 * scale, n("followups_done")),
        _figure("spend_followed_up", Unit.SEK, 12_345_678 * scale, n("spend_followed_up")),
        _figure("funding_per_inhabitant", Unit.SEK_PER_INHABITANT, Decimal("2.5"), None),
        _figure("share_published", Unit.PERCENT, Decimal("12.34"), None),
        _figure("median_days_to_close", Unit.DAYS, 17, None),
        _figure("not_measured", Unit.COUNT, None, None),
    ]
    breakdowns = [
        Breakdown(
            "cases_by_type",
            "Cases by type",
            "Each follow-up counted once, by its type.",
            Unit.COUNT,
            [("Självskattning", 2345), ("Revision på plats", 7)],
        ),
        Breakdown(
            "funding_by_area",
            "Funding by area",
            "The contributions of the regions of each area.",
            Unit.SEK,
            [("Område A", 1_500_000), ("Område B", 980_000)],
        ),
    ]
    return YearFigures(year=year, region=region, figures=figures, breakdowns=breakdowns)


def use_figures(monkeypatch, fake) -> None:
    """Make the report read fake(year, region, national=...) instead of the database's figures:
    for the whole year's figures and for the regions' table alike."""
    monkeypatch.setattr(module, "year_figures", fake)
    monkeypatch.setattr(
        module,
        "figure_values",
        lambda year, region, keys: {
            f.key: f.value for f in fake(year, region).figures if f.key in set(keys)
        },
    )


def test_values_are_formatted_by_unit_in_each_language():
    with translation.override("sv"):
        assert format_figure(1234567, Unit.COUNT) == "1\u202f234\u202f567"
        assert format_figure(Decimal("2.5"), Unit.SEK_PER_INHABITANT) == "2,50 kr per invånare"
        assert format_figure(Decimal("12.34"), Unit.PERCENT) == "12,3 %"
        assert format_figure(Decimal("4.0"), Unit.COUNT) == "4"
        assert format_figure(None, Unit.SEK) == "–"
    with translation.override("en"):
        assert format_figure(1234567, Unit.SEK) == "1,234,567 kr"
        assert format_figure(17, Unit.DAYS) == "17 days"


def test_every_figure_and_breakdown_is_in_the_page_and_the_pdf_with_the_same_value(
    reference_data, monkeypatch
):
    use_figures(monkeypatch, fake_year_figures)
    expected = fake_year_figures(YEAR)
    for language in ("sv", "en"):
        report = build_report(YEAR, language)
        html = report_body(report)
        text = compact(pdf_text(report_pdf(report)))
        with translation.override(language):
            shown = {f.key: format_figure(f.value, f.unit) for f in expected.figures}
        # Every figure on the page and in the printed document holds the one formatted value
        assert page_values(html) == shown
        assert page_values(report_document(report)) == shown
        assert sorted(re.findall(r'data-figure="([^"]+)"', html)) == sorted(shown)  # once each
        for figure in expected.figures:
            # and the PDF has the label directly followed by the same value
            assert compact(figure.label) + compact(shown[figure.key]) in text, figure.key
            assert compact(figure.definition) in text
        # Every breakdown is a chart with its table, on the page and in the PDF
        for breakdown in expected.breakdowns:
            assert f'data-breakdown="{breakdown.key}"' in html
            assert compact(breakdown.title) in text
            for label, value in breakdown.rows:
                with translation.override(language):
                    cell = format_figure(value, breakdown.unit)
                assert compact(label) + compact(cell) in text
        assert html.count("<svg") == 2
    # The plan: 30 of 40 done
    plan = build_report(YEAR, "en").plan
    assert [(r.planned.key, r.done.key if r.done else None, r.share) for r in plan] == [
        ("followups_planned", "followups_done", "75.0 %")
    ]
    # Value for money (the figures have no groups): the kronor figures and the funding chart
    report = build_report(YEAR, "en")
    [value] = report.value
    assert [f.key for f in value.figures] == ["spend_followed_up", "funding_per_inhabitant"]
    assert [c.key for c in value.charts] == ["funding_by_area"]
    [achieved] = report.achieved
    value_keys = {"spend_followed_up", "funding_per_inhabitant"}
    assert [f.key for f in achieved.figures] == [
        f.key for f in expected.figures if f.key not in value_keys
    ]
    assert [c.key for c in achieved.charts] == ["cases_by_type"]


GROUPS = {
    "followups_planned": "followups",
    "followups_done": "followups",
    "spend_followed_up": "coordination",
    "funding_per_inhabitant": "funding",
    "share_published": "cases",
    "median_days_to_close": "mystery",  # a group with no title: still shown
}


def grouped_year_figures(year, region=None, *, national=None):
    """The same figures in groups, as the figures module defines them."""
    plain = fake_year_figures(year, region)
    figures = [replace(f, group=GROUPS.get(f.key, "")) for f in plain.figures]
    breakdowns = [
        replace(
            b,
            group="funding" if "funding" in b.key else "cases",
            row_heading="Area" if "funding" in b.key else "",
        )
        for b in plain.breakdowns
    ]
    return YearFigures(year=year, region=region, figures=figures, breakdowns=breakdowns)


def test_grouped_figures_are_shown_in_their_groups_and_none_is_left_out(
    reference_data, monkeypatch
):
    use_figures(monkeypatch, grouped_year_figures)
    titles = {
        "followups": "Follow-ups",
        "cases": "Cases",
        "funding": "Funding",
        "coordination": "The value of coordination",
    }
    monkeypatch.setattr(module.figures_module, "GROUP_TITLES", titles, raising=False)
    report = build_report(YEAR, "en")
    # The achievements: the groups in the titles' order, then the others, nothing twice
    assert [(g.key, g.title, [f.key for f in g.figures]) for g in report.achieved] == [
        ("followups", "Follow-ups", ["followups_planned", "followups_done"]),
        ("cases", "Cases", ["share_published"]),
        ("", "Other figures", ["median_days_to_close", "not_measured"]),
    ]
    assert [c.key for c in report.achieved[1].charts] == ["cases_by_type"]
    # Value for money: funding and the value of coordination
    assert [(g.title, [f.key for f in g.figures]) for g in report.value] == [
        ("Funding", ["funding_per_inhabitant"]),
        ("The value of coordination", ["spend_followed_up"]),
    ]
    assert [c.row_heading for c in report.value[0].charts] == ["Area"]
    # Every figure is on the page and in the PDF once, with the same value
    html = report_body(report)
    with translation.override("en"):
        shown = {f.key: format_figure(f.value, f.unit) for f in grouped_year_figures(YEAR).figures}
    assert page_values(html) == shown
    assert sorted(re.findall(r'data-figure="([^"]+)"', html)) == sorted(shown)
    text = compact(pdf_text(report_pdf(report)))
    for figure in grouped_year_figures(YEAR).figures:
        assert compact(figure.label) + compact(shown[figure.key]) in text
    assert '<th scope="col">Area</th>' in html


def test_the_regions_table_has_a_row_per_region_with_its_own_figures(reference_data, monkeypatch):
    use_figures(monkeypatch, fake_year_figures)
    report = build_report(YEAR, "en")
    regions = list(Region.objects.select_related("organisation"))
    assert [row.name for row in report.regions] == [r.name for r in regions]
    stockholm = report.regions[0]
    assert regions[0].county_code == "01"
    assert stockholm.values[:3] == ["40", "30", "12,345,678 kr"]
    assert [c.key for c in report.region_columns] == [
        "followups_planned",
        "followups_done",
        "spend_followed_up",
        "funding_per_inhabitant",
        "share_published",
    ]


def test_the_report_of_a_year_with_follow_ups(world):  # noqa: F811
    # Given a year with follow-ups in a few regions, one summary published
    for _ in range(3):
        open_case(world)
    open_case(world, supplier=world.supplier_b, lead_region=world.jamtland)
    with translation.override("sv"):  # the labels in the report's language
        figures = year_figures(YEAR)
    assert figures.value("followups_total") == 4
    # When the report is printed in Swedish
    report = build_report(YEAR, "sv")
    pdf = report_pdf(report)
    # Then the PDF has the title page, and every figure with the page's value beside its label
    text = pdf_text(pdf)
    assert "Hållbar upphandling" in text and f"{YEAR}" in text
    values = page_values(report_body(report))
    assert set(values) == {f.key for f in figures.figures}
    for figure in figures.figures:
        with translation.override("sv"):
            assert values[figure.key] == format_figure(figure.value, figure.unit)
        assert compact(figure.label) + compact(values[figure.key]) in compact(text)
    # and the regions' table has Stockholm's and Jämtland's own counts
    regions = {row.name: row.values for row in report.regions}
    # (supplier A's three cases: Stockholm and Jämtland share its contract; B's is Jämtland's)
    assert regions["Region Stockholm"][0] == "3"
    assert regions["Region Jämtland Härjedalen"][0] == "4"
    assert regions["Region Norrbotten"][0] == "0"


def test_a_regions_values_are_its_figures_of_the_year(world):  # noqa: F811
    # Given follow-ups led by two regions
    for _ in range(2):
        open_case(world)
    open_case(world, supplier=world.supplier_b, lead_region=world.jamtland)
    # When only some figures of a region are asked for (the regions' table of the report)
    for region in (world.stockholm, world.jamtland, Region.objects.get(county_code="25")):
        every = {f.key: f.value for f in year_figures(YEAR, region).figures}
        keys = list(every)[::2]
        # Then each is the value the region's whole set of figures gives it, and no other is made
        assert figure_values(YEAR, region, keys) == {key: every[key] for key in keys}
    assert figure_values(YEAR, world.jamtland, ["followups_total"]) == {"followups_total": 3}


def test_the_pdf_renders_to_pages_that_are_not_blank(world, tmp_path):  # noqa: F811
    open_case(world)
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(report_pdf(build_report(YEAR, "en")))
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == len(pypdf.PdfReader(pdf).pages) >= 5
    from PIL import Image

    for png in pages[:2]:
        image = Image.open(png).convert("L")
        darkest, _lightest = image.getextrema()
        assert darkest < 100, f"{png.name} is blank"
    first = pdf_text(pdf.read_bytes()).split("Contents")[0]
    assert "Hållbar upphandling – the regions' national cooperation" in first
    assert f"Annual report {YEAR}" in first


# -- the command --------------------------------------------------------------------------------


def test_the_command_writes_html_and_pdf(reference_data, tmp_path, monkeypatch):
    use_figures(monkeypatch, fake_year_figures)
    html, pdf = tmp_path / "r.html", tmp_path / "r.pdf"
    call_command("annual_report", year=str(YEAR), format="html", out=str(html), language="en")
    call_command("annual_report", year=str(YEAR), format="pdf", out=str(pdf))
    page = html.read_text()
    assert page.startswith("<!DOCTYPE html>") and '<html lang="en">' in page
    assert "12,345,678" in page and "<svg" in page
    assert pdf.read_bytes().startswith(b"%PDF")
    # the Swedish PDF groups thousands with (non-breaking) spaces, which compact() removes
    assert compact("Label of spend_followed_up 1 234 567 800 kr") in compact(
        pdf_text(pdf.read_bytes())
    )


@pytest.mark.parametrize("year", ["abc", "1999", str(YEAR + 1)])
def test_the_command_refuses_a_bad_year(reference_data, tmp_path, year):
    with pytest.raises(CommandError, match="year|report for"):
        call_command("annual_report", year=year, format="html", out=str(tmp_path / "r.html"))
    assert not (tmp_path / "r.html").exists()


def test_the_command_refuses_a_path_it_cannot_write(reference_data, tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        call_command("annual_report", year=str(YEAR), format="pdf", out=str(tmp_path / "no/r.pdf"))
    with pytest.raises(CommandError, match="is a folder"):
        call_command("annual_report", year=str(YEAR), format="pdf", out=str(tmp_path))
    # a folder the command may not write in (as root, where nothing can be created)
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    out = Path("/proc/annual-report.pdf") if os.geteuid() == 0 else locked / "r.pdf"
    try:
        with pytest.raises(CommandError, match="Cannot write"):
            call_command("annual_report", year=str(YEAR), format="pdf", out=str(out))
    finally:
        locked.chmod(0o700)
    assert not out.exists()


# -- the page, the background job and who may do what -----------------------------------------


def test_members_read_the_page_in_either_language(cast, client_for, monkeypatch):
    use_figures(monkeypatch, fake_year_figures)
    url = reverse("reporting:annual-report")
    response = client_for(cast.alice).get(url, {"year": YEAR, "language": "en"})
    page = response.content.decode()
    assert response.status_code == 200
    assert '<article class="annual-report" lang="en"' in page and "12,345,678 kr" in page
    assert "Generate the PDF" not in page  # a buyer reads, the secretariat generates
    page = client_for(cast.steering).get(url, {"year": YEAR, "language": "sv"}).content.decode()
    assert 'lang="sv"' in page and "12\u202f345\u202f678 kr" in page
    assert reverse("reporting:annual-report-generate") in page


def test_a_bad_year_on_the_page_says_so_and_shows_this_year(cast, client_for, monkeypatch):
    use_figures(monkeypatch, fake_year_figures)
    with translation.override("en"):
        response = client_for(cast.alice).get(
            reverse("reporting:annual-report"),
            {"year": "1066", "language": "en"},
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 200
    assert response.context["year"] == YEAR
    assert any("1066" in str(m) for m in response.context["messages"])


@pytest.mark.parametrize("who", ["auditor", "charlie", "nobody"])
def test_outsiders_see_nothing_of_the_report(cast, client_for, who):
    client = client_for(getattr(cast, who))
    assert client.get(reverse("reporting:annual-report")).status_code == 404
    response = client.post(
        reverse("reporting:annual-report-generate"), {"year": YEAR, "language": "sv"}
    )
    assert response.status_code == 404
    assert not BackgroundJob.objects.exists()


@pytest.mark.parametrize("who", ["alice", "coordinator_a", "contact_jamtland"])
def test_members_outside_the_secretariat_and_steering_group_cannot_generate(cast, client_for, who):
    response = client_for(getattr(cast, who)).post(
        reverse("reporting:annual-report-generate"), {"year": YEAR, "language": "sv"}
    )
    assert response.status_code == 404
    assert not BackgroundJob.objects.exists()


@override_settings(TASKS=IMMEDIATE)
@pytest.mark.parametrize("who", ["secretariat", "steering"])
def test_generation_runs_as_a_job_and_gives_a_pdf_to_download(
    cast, client_for, monkeypatch, django_capture_on_commit_callbacks, who
):
    use_figures(monkeypatch, fake_year_figures)
    client = client_for(getattr(cast, who))
    # When the secretariat or steering group generates the English report
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reporting:annual-report-generate"), {"year": YEAR, "language": "en"}
        )
    job = BackgroundJob.objects.get(kind=ANNUAL_REPORT)
    assert response.url == reverse("core:job", args=[job.public_id])
    # Then the job ran (the immediate backend) through its four steps and kept the PDF
    job.refresh_from_db()
    assert job.status == "done" and job.step == job.total_steps == 4, job.error
    path = report_path(job)
    assert path is not None and path.is_file()
    # and its page leads to the download, which is the PDF of the report
    page = client.get(response.url).content.decode()
    download = reverse("reporting:annual-report-download", args=[job.public_id])
    assert download in page
    response = client.get(download)
    content = b"".join(response.streaming_content)
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="annual-report-{YEAR}.pdf"' in response["Content-Disposition"]
    assert compact("Label of spend_followed_up1,234,567,800 kr") in compact(pdf_text(content))
    # A buyer downloads it from the report page, but does not see the job
    alice = client_for(cast.alice)
    page = alice.get(reverse("reporting:annual-report"), {"year": YEAR, "language": "en"})
    assert download in page.content.decode()
    assert alice.get(download).status_code == 200
    assert alice.get(reverse("core:job", args=[job.public_id])).status_code == 404
    # Outsiders get nothing
    assert client_for(cast.charlie).get(download).status_code == 404


@override_settings(TASKS=IMMEDIATE)
def test_a_bad_year_starts_no_job(cast, client_for):
    response = client_for(cast.secretariat).post(
        reverse("reporting:annual-report-generate"), {"year": "20x6", "language": "sv"}
    )
    assert response.status_code == 302
    assert not BackgroundJob.objects.exists()


def test_a_job_whose_file_is_gone_gives_404(cast, client_for, settings):
    job = BackgroundJob.objects.create(
        kind=ANNUAL_REPORT,
        status="done",
        params={"year": YEAR, "language": "sv"},
        result={"file": "../../etc/passwd", "year": YEAR, "language": "sv"},
    )
    url = reverse("reporting:annual-report-download", args=[job.public_id])
    assert client_for(cast.secretariat).get(url).status_code == 404
    job.result = {"file": "annual-report-gone.pdf", "year": YEAR, "language": "sv"}
    job.save()
    assert client_for(cast.secretariat).get(url).status_code == 404
    assert not Path(settings.MEDIA_ROOT, "reports", "annual-report-gone.pdf").exists()


def test_the_document_is_standalone_html_in_the_report_language(reference_data, monkeypatch):
    use_figures(monkeypatch, fake_year_figures)
    document = report_document(build_report(YEAR, "en"))
    assert '<html lang="en">' in document and "<style>" in document
    assert 'href="http' not in document and 'src="http' not in document
