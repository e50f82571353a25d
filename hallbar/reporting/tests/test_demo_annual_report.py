"""The demo year's annual report as its readers get it: the PDF, rendered to images with
pdftoppm and read with pypdf, holds every figure of the dashboard with the value the dashboard
shows, in Swedish and in English."""

import html as html_module
import re
import subprocess
from io import BytesIO
from pathlib import Path

import pypdf
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from hallbar.organisations.models import User
from hallbar.reporting.annual_report import annual_report_pdf
from hallbar.reporting.figures import DEFINITIONS

pytestmark = pytest.mark.django_db


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", html_module.unescape(text))


def _dashboard(client, year: int, language: str) -> list[tuple[str, str, str]]:
    """Return (key, label, value) of every figure on the national dashboard of year."""
    user = User.objects.get(username="kansli")
    User.objects.filter(pk=user.pk).update(language=language)
    client.force_login(user)
    page = client.get(reverse("reporting:dashboard") + f"?year={year}").content.decode()
    cards = re.findall(
        r'data-testid="figure-([^"]+)">\s*<h3>(.*?)</h3>\s*'
        r'<p class="card__figure" data-testid="value-\1">(.*?)</p>',
        page,
        re.S,
    )
    return [(key, label.strip(), value.strip()) for key, label, value in cards]


def test_the_demo_years_pdf_holds_every_dashboard_figure_with_its_value(client, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "uploads"
    call_command("load_demo")
    year = timezone.localdate().year
    for language in ("sv", "en"):
        _check(client, tmp_path / language, year, language)


def _check(client, folder: Path, year: int, language: str) -> None:
    folder.mkdir()
    # Given the dashboard of the demo year, as the secretariat reads it
    shown = _dashboard(client, year, language)
    assert {key for key, _label, _value in shown} == set(DEFINITIONS)
    # When the annual report of that year is printed
    pdf = folder / "report.pdf"
    pdf.write_bytes(annual_report_pdf(year, language))
    # Then every page renders (pdftoppm) and is not blank
    subprocess.run(["pdftoppm", "-png", "-r", "30", str(pdf), str(folder / "page")], check=True)
    images = sorted(folder.glob("page-*.png"))
    reader = pypdf.PdfReader(BytesIO(pdf.read_bytes()))
    assert len(images) == len(reader.pages) >= 5
    for image in images:
        darkest = Image.open(image).convert("L").getextrema()[0]
        assert isinstance(darkest, int) and darkest < 100, f"{image.name} is blank"
    # and its text holds each figure's label directly followed by the dashboard's value
    text = _compact("\n".join(page.extract_text() for page in reader.pages))
    missing = [
        (key, label, value)
        for key, label, value in shown
        if _compact(label) + _compact(value) not in text
    ]
    assert missing == [], language
