"""Public results (no login): the searchable list, the figures page and the open-data files."""

import csv
import io
import json

import pytest
from django.urls import reverse
from django.utils import translation

from hallbar.reporting import opendata
from hallbar.reporting.figures import Breakdown, YearFigures
from hallbar.reporting.tests.public_world import make_public_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast):
    return make_public_world(cast)


def _page(client, name, query="", language="sv", args=()):
    client.cookies["django_language"] = language
    response = client.get(reverse(name, args=args) + query, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_list_filters_by_category_country_and_year(world, client):
    new, old = world.published.reference, world.published_clean.reference
    page = _page(client, "results:list", language="en")
    assert new in page and old in page and world.unpublished.reference not in page
    assert "2 published results" in page

    page = _page(client, "results:list", f"?category={world.other_category.slug}")
    assert old in page and new not in page
    page = _page(client, "results:list", "?country=TH")  # the tier-2 site's country counts
    assert new in page and old not in page
    page = _page(client, "results:list", "?country=VN")
    assert old in page and new not in page
    page = _page(client, "results:list", f"?year={world.year - 1}")
    assert old in page and new not in page
    # the filters offer only what published cases have
    assert f'value="{world.year}"' in page and 'value="TH"' in page


def test_list_sorts_and_says_when_nothing_matches(world, client):
    new, old = world.published.reference, world.published_clean.reference
    page = _page(client, "results:list")  # newest publication first
    assert page.index(new) < page.index(old)
    page = _page(client, "results:list", "?sort=published")
    assert page.index(old) < page.index(new)
    page = _page(client, "results:list", "?sort=reference")  # UPP-(Y-1)-… before UPP-Y-…
    assert page.index(old) < page.index(new)
    page = _page(client, "results:list", "?sort=-reference")
    assert page.index(new) < page.index(old)
    page = _page(client, "results:list", "?country=BR", language="en")
    assert "No published result matches the filters." in page
    assert new not in page


def test_list_pages(world, client, monkeypatch):
    monkeypatch.setattr("hallbar.followups.views.PAGE_SIZE", 1)
    first = _page(client, "results:list", language="en")
    assert world.published.reference in first and world.published_clean.reference not in first
    assert "Page 1 of 2" in first
    second = _page(client, "results:list", "?page=2", language="en")
    assert world.published_clean.reference in second


def test_detail_shows_the_public_facts(world, client):
    page = _page(client, "results:detail", language="en", args=[world.published.public_id])
    assert "Malaysia" in page and "Thailand" in page
    assert "1 confidential, not described" in page
    missing = client.get(reverse("results:detail", args=[world.unpublished.public_id]))
    assert missing.status_code == 404


def test_result_rows_count_deviations_as_the_summary_does(world):
    rows = {row["reference"]: row for row in opendata.result_rows()}
    assert set(rows) == {world.published.reference, world.published_clean.reference}
    row = rows[world.published.reference]
    assert row["countries"] == ["MY", "TH"]
    assert row["deviations"] == 2
    assert row["deviations_human_rights"] == 0  # the confidential one's area is not given
    assert row["deviations_workers_rights"] == 1
    assert row["deviations_confidential"] == 1
    assert row["deviations_remedied"] == 1
    assert row["type"] == "factory_audit" and row["type_sv"] == "fabriksrevision"
    assert row["category_sv"] == world.category.name_sv
    clean = rows[world.published_clean.reference]
    assert clean["deviations"] == 0 and clean["status_en"] == "closed"
    # the documented columns are exactly the file's columns, in order
    assert list(row) == opendata.DATASETS["published-results"].headers


def test_files_are_the_same_in_both_languages_and_parse(world, client):
    for name, dataset in opendata.DATASETS.items():
        sv = client.get(f"/datasets/{name}.csv", HTTP_ACCEPT_LANGUAGE="sv").content
        client.cookies["django_language"] = "en"
        en = client.get(f"/datasets/{name}.csv", HTTP_ACCEPT_LANGUAGE="en").content
        del client.cookies["django_language"]
        assert sv == en
        reader = csv.reader(io.StringIO(sv.decode("utf-8-sig")))
        assert next(reader) == dataset.headers
        document = json.loads(client.get(f"/datasets/{name}.json").content)
        assert document["licence"] == "https://creativecommons.org/licenses/by/4.0/"
        assert document["columns"] == dataset.headers
    results = json.loads(client.get("/datasets/published-results.json").content)["rows"]
    assert {r["reference"] for r in results} == {
        world.published.reference,
        world.published_clean.reference,
    }
    assert client.get("/datasets/unknown.csv").status_code == 404
    assert client.get("/datasets/figures.xml").status_code == 404


def test_figures_file_has_every_figure_of_every_year(world, client):
    document = json.loads(client.get("/datasets/figures.json").content)
    published = [
        r for r in document["rows"] if r["key"] == "summaries_published" and r["year"] == world.year
    ]
    assert published and published[0]["value"] == 1  # one published case this year
    assert published[0]["label_sv"] and published[0]["label_en"]
    assert {r["year"] for r in document["rows"]} == {world.year - 1, world.year}


def _with_breakdown(real):
    def fake(year, region=None):
        figures = real(year, region)
        breakdown = Breakdown(
            key="test_rows",
            title=translation.gettext("Region"),
            definition="Definition",
            unit="sek",
            rows=[("Region Stockholm", 1500), ("Region Skåne", 250)],
        )
        return YearFigures(year, region, figures.figures, [breakdown])

    return fake


def test_figures_page_renders_every_figure_and_breakdown(world, client, monkeypatch):
    from hallbar.reporting import figures as figures_module

    fake = _with_breakdown(figures_module.year_figures)
    monkeypatch.setattr("hallbar.reporting.public_views.year_figures", fake)
    monkeypatch.setattr("hallbar.reporting.opendata.year_figures", fake)
    page = _page(client, "public:figures", f"?year={world.year}")
    assert "Publicerade sammanfattningar" in page
    assert page.count('role="img"') == 2  # the breakdown and the deviations by area
    assert "1 500 kr" in page.replace("\u202f", " ")
    page = _page(client, "public:figures", f"?year={world.year}", language="en")
    assert "1,500 kr" in page
    assert "Workers&#x27; rights" in page  # the published deviation by area
    rows = json.loads(client.get("/datasets/figure-breakdowns.json").content)["rows"]
    assert [r["label_sv"] for r in rows if r["year"] == world.year] == [
        "Region Stockholm",
        "Region Skåne",
    ]


def test_datasets_page_documents_every_column_and_the_licence(world, client):
    page = _page(client, "public:datasets", language="en")
    assert "CC BY 4.0" in page
    for dataset in opendata.DATASETS.values():
        for column in dataset.columns:
            assert f"<code>{column.name}</code>" in page
        for file_format in ("csv", "json"):
            assert dataset.url(file_format) in page
